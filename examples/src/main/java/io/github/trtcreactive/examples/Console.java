package io.github.trtcreactive.examples;

import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The examples' terminal output. Lines are written by one thread of their own, in the order they
 * were submitted, so code running on event loops never waits for the terminal. {@link #close()}
 * waits until every submitted line is written; call it from the program's main thread.
 */
public final class Console implements AutoCloseable {

    private final PrintStream out;
    private final boolean interactive;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "example-console");
        thread.setDaemon(true);
        return thread;
    });
    private boolean progressShown;

    /**
     * A console writing to a stream.
     *
     * @param out where lines go
     * @param interactive whether the stream is a terminal, where the progress line is redrawn in
     *     place; otherwise each progress update is a line of its own
     */
    public Console(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** @return a console on standard output, redrawing progress in place when it is a terminal */
    public static Console system() {
        return new Console(System.out, System.console() != null);
    }

    /**
     * Writes a line.
     *
     * @param text the line
     */
    public void line(String text) {
        writer.execute(() -> {
            if (progressShown) {
                out.print('\n');
                progressShown = false;
            }
            out.println(text);
        });
    }

    /**
     * Writes a formatted line.
     *
     * @param format a {@link String#format} pattern
     * @param args its arguments
     */
    public void line(String format, Object... args) {
        line(String.format(java.util.Locale.ROOT, format, args));
    }

    /**
     * Shows the progress line: redrawn in place on a terminal, a line of its own otherwise.
     *
     * @param text the progress
     */
    public void progress(String text) {
        writer.execute(() -> {
            if (interactive) {
                out.print("\r" + text + "\u001b[K");
                out.flush();
                progressShown = true;
            } else {
                out.println(text);
            }
        });
    }

    /** Writes every line submitted so far, then stops the writer; waits at most 10 s. */
    @Override
    public void close() {
        writer.execute(() -> {
            if (progressShown) {
                out.print('\n');
            }
            out.flush();
        });
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
