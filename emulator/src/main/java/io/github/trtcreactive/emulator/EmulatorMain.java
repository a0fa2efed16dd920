package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.auth.Credentials;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch; // blocking-ok: used only by main, off any event loop

/**
 * The standalone emulator: {@code java -jar emulator/target/trtc-emulator.jar [options]}. It prints
 * where it listens and the credentials and application it accepts, then serves until stopped.
 */
public final class EmulatorMain {

    private EmulatorMain() {}

    /**
     * Starts the emulator and serves until the process is stopped.
     *
     * @param args {@code --port N --secret-id ID --secret-key KEY --sdk-app-id N --app-key KEY --rate-limit-scale F}
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        TrtcEmulator emulator;
        try {
            emulator = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("trtc-emulator: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1); // blocking-ok: see below
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "trtc-emulator-shutdown"));
        stopped.await(); // blocking-ok: the main thread of a standalone server waits for shutdown
    }

    /** Parses the options, starts the emulator and prints its banner; visible for tests. */
    static TrtcEmulator start(String[] args, PrintStream out) {
        TrtcEmulatorBuilder builder = TrtcEmulator.builder();
        String secretId = TrtcEmulatorBuilder.DEFAULT_SECRET_ID;
        String secretKey = TrtcEmulatorBuilder.DEFAULT_SECRET_KEY;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("options:");
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = rest.remove(0);
            switch (option) {
                case "--port" -> builder.port((int) Math.min(number(option, value), Integer.MAX_VALUE));
                case "--secret-id" -> secretId = value;
                case "--secret-key" -> secretKey = value;
                case "--sdk-app-id" -> builder.sdkAppId(number(option, value));
                case "--app-key" -> builder.appKey(value);
                case "--rate-limit-scale" -> builder.rateLimitScale(Double.parseDouble(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        TrtcEmulator emulator = builder.credentials(Credentials.of(secretId, secretKey)).start();
        out.println("trtc-emulator listening on " + emulator.uri());
        out.println("  TRTC_ENDPOINT=" + emulator.uri());
        out.println("  TENCENTCLOUD_SECRET_ID=" + secretId);
        out.println("  TENCENTCLOUD_SECRET_KEY=" + secretKey + "   (emulator credentials, not a real key)");
        out.println("  TRTC_SDK_APP_ID=" + emulator.sdkAppId());
        out.println("  TRTC_SDK_APP_KEY=" + emulator.appKey());
        return emulator;
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was " + value);
        }
    }

    static String usage() {
        return "usage: java -jar trtc-emulator.jar [--port N] [--secret-id ID] [--secret-key KEY] "
                + "[--sdk-app-id N] [--app-key KEY] [--rate-limit-scale F]";
    }
}
