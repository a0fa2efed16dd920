package io.github.trtcreactive.reactor.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the SDK logs while some steps run: SLF4J's simple binding writes to {@link System#err}. */
public final class StandardError {

    private StandardError() {}

    /**
     * Runs the steps with standard error captured, and echoes it after, so a failing test still shows it.
     *
     * @param steps what to run
     * @return what was written to standard error meanwhile
     */
    public static String during(Runnable steps) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            steps.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
