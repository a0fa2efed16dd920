package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The client soak's emulator, in a process of its own so that the soak's heap, threads and timers
 * are the client's alone (see {@link SoakEmulator}, which starts it). It accepts every key pair of
 * a {@link RotatingCredentials} of the same run length, posts its event callbacks to the soak's
 * receiver, prints {@code ready URI SDKAPPID} and then answers one command per line on its standard
 * input, each with one line ({@code ok [value]} or {@code error message}):
 * <pre>
 * join ROOM USER          a user joins a room
 * fault ACTION KIND N     the next N calls of ACTION meet a fault: trickle, reset or throttle
 * clear                   no more faults
 * connections             the client connections open now
 * usersig USER SECONDS    a UserSig for a user
 * </pre>
 * It closes and exits when its input ends, so it never outlives the soak.
 */
public final class SoakEmulatorMain {

    private SoakEmulatorMain() {}

    /**
     * Serves until standard input ends.
     *
     * @param args {@code CALLBACK_URL CALLBACK_KEY RUN_SECONDS PERIOD_SECONDS}
     * @throws Exception when the emulator cannot start or the input cannot be read
     */
    public static void main(String[] args) throws Exception {
        RotatingCredentials credentials = new RotatingCredentials(Duration.ofSeconds(Long.parseLong(args[2])),
                Duration.ofSeconds(Long.parseLong(args[3])));
        TrtcEmulatorBuilder builder = TrtcEmulator.builder().callbacks(URI.create(args[0]), args[1]);
        credentials.all().forEach(builder::credentials);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (TrtcEmulator emulator = builder.start();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("ready " + emulator.uri() + " " + emulator.sdkAppId());
            for (String line = in.readLine(); line != null; line = in.readLine()) { // the process's main thread
                try {
                    out.println(answer(emulator, line.split(" ")));
                } catch (RuntimeException e) {
                    out.println("error " + e);
                }
            }
        }
    }

    private static String answer(TrtcEmulator emulator, String[] command) {
        switch (command[0]) {
            case "join" -> emulator.rooms().join(command[1], command[2]);
            case "fault" -> emulator.faults().next(command[1], fault(command[2]), Integer.parseInt(command[3]));
            case "clear" -> emulator.faults().clear();
            case "connections" -> {
                return "ok " + (emulator.connectionsOpened() - emulator.connectionsClosed());
            }
            case "usersig" -> {
                return "ok " + emulator.userSigs().generate(command[1], Duration.ofSeconds(Long.parseLong(command[2])));
            }
            default -> throw new IllegalArgumentException("unknown command " + command[0]);
        }
        return "ok";
    }

    /** The faults the soak injects, by name. */
    static Fault fault(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "trickle" -> Fault.trickle(Duration.ofMillis(20));
            case "reset" -> Fault.resetMidResponse();
            case "throttle" -> Fault.requestLimitExceeded();
            default -> throw new IllegalArgumentException("unknown fault " + kind + "; trickle, reset or throttle");
        };
    }
}
