package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.auth.Credentials;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch; // blocking-ok: used only by main, off any event loop

/**
 * The standalone emulator: {@code java -jar emulator/target/trtc-emulator.jar [options]}. It prints
 * where it listens and the credentials and application it accepts (a key you passed in is not
 * echoed, only where it came from), then serves until stopped. {@code --help} lists every option.
 */
public final class EmulatorMain {

    private static final String[][] OPTIONS = {
        {"--port N", "the port on 127.0.0.1 (default 0: a free one, printed)"},
        {"--secret-id ID", "the SecretId accepted (default " + TrtcEmulatorBuilder.DEFAULT_SECRET_ID + ")"},
        {"--secret-key KEY", "the SecretKey accepted (default an emulator key, printed)"},
        {"--sdk-app-id N", "the SDKAppID of the emulated application (default "
                + TrtcEmulatorBuilder.DEFAULT_SDK_APP_ID + ")"},
        {"--app-key KEY", "the key robot UserSigs are signed with (default an emulator key, printed)"},
        {"--rate-limit-scale F", "multiplies every documented rate limit (default 1)"},
        {"--room ROOM:USER,USER", "puts users in a room at start; a room of digits is numeric (repeatable)"},
        {"--admin", "serves /_emulator/rooms on the same port to fill rooms over HTTP (off by default)"},
        {"--request-log N", "how many of the latest requests to keep for inspection (default 10000)"},
        {"--request-log-bytes N", "the most heap, in bytes, the kept requests may hold (default "
                + TrtcEmulatorBuilder.DEFAULT_REQUEST_LOG_BYTES + ", 64 MiB)"},
        {"--callback-url URL", "posts event callbacks (rooms, media, task lifecycles) to this URL (default none)"},
        {"--callback-key KEY", "signs the callbacks with this key, 1 to 32 letters and digits (default unsigned)"},
        {"--help", "prints this and exits"},
    };

    private EmulatorMain() {}

    /**
     * Starts the emulator and serves until the process is stopped.
     *
     * @param args the options; {@code --help} lists them
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
        if (emulator == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1); // blocking-ok: see below
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "trtc-emulator-shutdown"));
        stopped.await(); // blocking-ok: the main thread of a standalone server waits for shutdown
    }

    /**
     * Parses the options, starts the emulator and prints its banner; visible for tests.
     *
     * @return the running emulator, or null after printing the help
     */
    static TrtcEmulator start(String[] args, PrintStream out) {
        TrtcEmulatorBuilder builder = TrtcEmulator.builder();
        String secretId = TrtcEmulatorBuilder.DEFAULT_SECRET_ID;
        String secretKey = null;
        boolean appKeyGiven = false;
        List<String[]> rooms = new ArrayList<>();
        String callbackUrl = null;
        String callbackKey = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--help") || option.equals("-h")) {
                out.println(usage());
                return null;
            }
            if (option.equals("--admin")) {
                builder.admin(true);
                continue;
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
                case "--app-key" -> {
                    builder.appKey(value);
                    appKeyGiven = true;
                }
                case "--rate-limit-scale" -> builder.rateLimitScale(Double.parseDouble(value));
                case "--room" -> rooms.add(room(value));
                case "--request-log" -> builder.requestLogSize((int) Math.min(number(option, value), Integer.MAX_VALUE));
                case "--request-log-bytes" -> builder.requestLogBytes(number(option, value));
                case "--callback-url" -> callbackUrl = value;
                case "--callback-key" -> callbackKey = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (callbackUrl != null) {
            builder.callbacks(java.net.URI.create(callbackUrl), callbackKey);
        } else if (callbackKey != null) {
            throw new IllegalArgumentException("--callback-key needs --callback-url");
        }
        String key = secretKey != null ? secretKey : TrtcEmulatorBuilder.DEFAULT_SECRET_KEY;
        TrtcEmulator emulator = builder.credentials(Credentials.of(secretId, key)).start();
        for (String[] room : rooms) {
            String[] users = room[1].split(",");
            if (room[0].matches("\\d{1,10}")) {
                emulator.rooms().join(Long.parseLong(room[0]), users);
            } else {
                emulator.rooms().join(room[0], users);
            }
        }
        out.println("trtc-emulator listening on " + emulator.uri());
        out.println("  TRTC_ENDPOINT=" + emulator.uri());
        out.println("  TENCENTCLOUD_SECRET_ID=" + secretId);
        out.println(secretKey != null ? "  TENCENTCLOUD_SECRET_KEY=(the key you passed with --secret-key)"
                : "  TENCENTCLOUD_SECRET_KEY=" + key + "   (emulator credentials, not a real key)");
        out.println("  TENCENTCLOUD_REGION=ap-singapore   (every action is offered there; the emulator checks regions)");
        out.println("  TRTC_SDK_APP_ID=" + emulator.sdkAppId());
        out.println(appKeyGiven ? "  TRTC_SDK_APP_KEY=(the key you passed with --app-key)"
                : "  TRTC_SDK_APP_KEY=" + emulator.appKey());
        for (String[] room : rooms) {
            out.println("  room " + room[0] + ": " + room[1]);
        }
        if (callbackUrl != null) {
            out.println("  callbacks to " + callbackUrl + (callbackKey != null ? ", signed" : ", unsigned"));
        }
        return emulator;
    }

    private static String[] room(String value) {
        int colon = value.indexOf(':');
        if (colon < 1 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--room needs ROOM:USER[,USER...], was " + value);
        }
        return new String[] {value.substring(0, colon), value.substring(colon + 1)};
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was " + value);
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar trtc-emulator.jar [options]\n");
        for (String[] option : OPTIONS) {
            text.append(String.format("  %-24s %s%n", option[0], option[1]));
        }
        return text.toString().stripTrailing();
    }
}
