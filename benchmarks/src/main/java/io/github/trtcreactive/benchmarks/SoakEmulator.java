package io.github.trtcreactive.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The soak's handle on its emulator, which runs in a child JVM ({@link SoakEmulatorMain}): the
 * soak's own heap, threads, timers and connections are then the client's, not the emulator's
 * request log, tasks and event loops. Each method sends one command and waits for its one-line
 * answer, at most 30 s (an emulator that hangs is stopped, and the command fails); they block (on a
 * pipe to a local process, for well under a millisecond), so the workload calls them off Reactor's
 * non-blocking threads. The child's own errors go to this process's standard error.
 */
final class SoakEmulator implements AutoCloseable {

    /** The longest an answer may take: past it the emulator counts as hung, and is stopped. */
    private static final long ANSWER_SECONDS = 30;
    /** Said by the reader when the emulator's output ends. */
    private static final String ENDED = "\u0000ended";

    private final Process process;
    private final Writer commands;
    /** The emulator's lines, read by a thread of their own so that every wait for one is bounded. */
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Object asking = new Object();
    private final URI uri;
    private final long sdkAppId;

    private SoakEmulator(Process process) throws IOException {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    answers.add(line);
                }
            } catch (IOException ended) {
                // the process is gone: said below
            }
            answers.add(ENDED);
        }, "soak-emulator-answers");
        reader.setDaemon(true);
        reader.start();
        String ready = next();
        if (ready == null || !ready.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException("the soak's emulator did not start: " + ready);
        }
        String[] parts = ready.split(" ");
        this.uri = URI.create(parts[1]);
        this.sdkAppId = Long.parseLong(parts[2]);
    }

    /**
     * Starts the emulator process and waits until it listens.
     *
     * @param callbackUrl where it posts its event callbacks
     * @param callbackKey the key it signs them with
     * @param run how long the run lasts, for the rotating key pairs it accepts
     * @param period how long each key pair is used
     * @return the handle
     * @throws IOException when the process cannot be started or did not start listening
     */
    static SoakEmulator start(URI callbackUrl, String callbackKey, Duration run, Duration period) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SoakEmulatorMain.class.getName(), callbackUrl.toString(), callbackKey,
                Long.toString(run.toSeconds()), Long.toString(period.toSeconds())))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new SoakEmulator(process);
    }

    /** {@return where the emulator listens} */
    URI uri() {
        return uri;
    }

    /** {@return the emulated application} */
    long sdkAppId() {
        return sdkAppId;
    }

    /** A user joins a room. */
    void join(String room, String user) {
        ask("join " + room + " " + user);
    }

    /** The next calls of an action meet a fault: {@code trickle}, {@code reset} or {@code throttle}. */
    void fault(String action, String kind, int times) {
        ask("fault " + action + " " + kind + " " + times);
    }

    /** Clears the faults not yet met. */
    void clearFaults() {
        ask("clear");
    }

    /** {@return the client connections open at the emulator now} */
    long openConnections() {
        return Long.parseLong(ask("connections"));
    }

    /** {@return a UserSig of the emulated application for a user} */
    String userSig(String user, Duration validity) {
        return ask("usersig " + user + " " + validity.toSeconds());
    }

    /** Sends one command and returns what its answer says after {@code ok}. */
    private String ask(String command) {
        synchronized (asking) {
            try {
                commands.write(command + "\n");
                commands.flush();
                String answer = next();
                if (answer == null || !answer.startsWith("ok")) {
                    throw new IllegalStateException("the soak's emulator answered " + answer + " to " + command);
                }
                return answer.length() > 3 ? answer.substring(3) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The emulator's next line; null when it ended or hung (a hung emulator is stopped). */
    private String next() {
        try {
            String line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                process.destroyForcibly();
            }
            return line == null || line.equals(ENDED) ? null : line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Ends the emulator's input, so it closes and exits; forced after 10 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException alreadyGone) {
            // the process ended: nothing to close
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
