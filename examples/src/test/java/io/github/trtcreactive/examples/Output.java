package io.github.trtcreactive.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what an example prints. */
final class Output {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

    /** @return everything printed so far */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
