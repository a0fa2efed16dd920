package io.github.trtcreactive.examples;

import java.util.Arrays;

/**
 * The examples jar's entry point: {@code java -jar trtc-examples.jar EXAMPLE [options]}, where
 * EXAMPLE is {@code quickstart}, {@code moderation-bot} or {@code dashboard}.
 */
public final class Main {

    private Main() {}

    /**
     * Runs the named example.
     *
     * @param args the example's name, then its options
     */
    public static void main(String[] args) {
        String example = args.length == 0 ? "quickstart" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (example) {
            case "quickstart" -> Quickstart.main(rest);
            case "moderation-bot" -> ModerationBot.main(rest);
            case "dashboard" -> LiveDashboard.main(rest);
            default -> {
                System.err.println("unknown example '" + example + "'; choose quickstart, moderation-bot or dashboard");
                System.exit(2);
            }
        }
    }
}
