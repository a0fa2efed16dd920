package io.github.trtcreactive.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * The service of the fleet tests, in a process of its own as a real one is, and warm as a running
 * one is: the test's own JVM, with its heap and collector, does not stamp the requests. {@code FleetEmulator ACTION MARK}
 * prints {@code ready URI SECRET_ID SECRET_KEY}, serves until its standard input ends, then prints
 * a line per request of the action, {@code REFUSED|OK EPOCH_NANOS FIRED}, where FIRED says whether
 * its {@code EndTime - StartTime} is MARK seconds (a fired call, not a warm-up), and {@code end}.
 */
public final class FleetEmulator {

    private FleetEmulator() {}

    /**
     * Serves until standard input ends, then reports.
     *
     * @param args the action to report and the seconds that mark a fired call
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String action = args[0];
        long mark = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (TrtcEmulator emulator = TrtcEmulator.builder().start()) {
            warmUp(emulator, mark);
            out.println("ready " + emulator.uri() + " " + emulator.credentials().secretId() + " "
                    + emulator.credentials().secretKey());
            InputStream in = System.in;
            while (in.read() >= 0) { // this process's main thread, until the test is done
                continue;
            }
            for (RecordedRequest request : emulator.requests(action)) {
                boolean fired = request.body().path("EndTime").asLong() - request.body().path("StartTime").asLong()
                        == mark;
                out.println((request.errorCode() != null ? "REFUSED " : "OK ") + nanos(request.receivedAt()) + " "
                        + fired);
            }
            out.println("end");
        }
    }

    /**
     * Warms the emulator up as a running service is warm: a cold JVM takes its first requests slowly
     * and stamps those queued behind them at once, crowding a window the clients never crowded.
     * Other actions at once (most refused as over their limits, which runs that path too), then a
     * few of the reported action one after another (within its limit, and not marked as fired), then
     * a pause longer than its window.
     */
    private static void warmUp(TrtcEmulator emulator, long mark) throws InterruptedException {
        long now = Instant.now().getEpochSecond();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", 1400000001L)
                .put("StartTime", now - mark - 2).put("EndTime", now);
        try (TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(emulator.credentials())
                .endpoint(emulator.uri()).region("ap-singapore").rateLimiter(TrtcRateLimiter.disabled())
                .retryPolicy(RetryPolicy.none()).build()) {
            Flux.fromIterable(List.of("DescribeScaleInfo", "DescribeUnusualEvent"))
                    .flatMap(action -> Flux.range(0, 150).flatMap(i -> client.call(action, body).onErrorComplete()))
                    .blockLast(Duration.ofSeconds(60)); // this process's main thread, before it serves
            Flux.range(0, 10).concatMap(i -> client.call("DescribeRoomInfo", body).onErrorComplete())
                    .blockLast(Duration.ofSeconds(60));
        }
        Thread.sleep(1500); // past the reported action's window
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
