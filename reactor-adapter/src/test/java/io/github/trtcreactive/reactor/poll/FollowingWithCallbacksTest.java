package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Following 100 recordings for five emulated minutes on the emulator at the documented limits, in
 * virtual time over real sockets ({@link Lockstep}), with and without the emulator's event
 * callbacks: with them, each end is seen within a second of its event, on a tenth of the polls.
 */
class FollowingWithCallbacksTest {

    private static final Duration STEP = Duration.ofMillis(5);
    private static final int TASKS = 100;

    /** What one run saw. */
    record Run(long describes, Map<String, List<TaskUpdate<DescribeCloudRecordingResponse>>> updates,
            Map<String, Double> stoppedAt, Instant start) {}

    private Run run(boolean withCallbacks) {
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        List<AutoCloseable> closing = new ArrayList<>();
        List<Disposable> running = new ArrayList<>();
        TrtcCallbacks callbacks = null;
        DisposableServer server = null;
        TrtcEmulatorBuilder builder = TrtcEmulator.builder().clock(EmulatorClock.fixed(start)).requestLogSize(0);
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try {
            TrtcEmulator emulator;
            if (withCallbacks) {
                // The receiver hands events on on the virtual clock, like the rest of the client; it is
                // bound first so that the emulator can be told where to post.
                callbacks = TrtcCallbacks.builder().key("following1").scheduler(time).build();
                server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
                emulator = builder.callbacks(URI.create("http://127.0.0.1:" + server.port() + "/"), "following1")
                        .start();
            } else {
                emulator = builder.start();
            }
            Lockstep lockstep = new Lockstep(emulator, time);
            closing.add(emulator);
            TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(lockstep.time).listener(lockstep).build();
            TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                    .endpoint(emulator.uri()).clock(emulator.clock()).rateLimiter(limiter)
                    .retryPolicy(RetryPolicy.none()).callListener(lockstep).build();
            closing.add(client);
            TaskPollers pollers = withCallbacks
                    ? TaskPollers.builder(client).scheduler(lockstep.time).callbacks(callbacks).build()
                    : TaskPollers.create(client, lockstep.time);
            List<String> ids = lockstep.record(client, TASKS);

            long describesBefore = emulator.arrivals("DescribeCloudRecording");
            double followedAt = lockstep.seconds();
            Map<String, List<TaskUpdate<DescribeCloudRecordingResponse>>> updates = new ConcurrentHashMap<>();
            for (String id : ids) {
                List<TaskUpdate<DescribeCloudRecordingResponse>> mine = new CopyOnWriteArrayList<>();
                updates.put(id, mine);
                running.add(pollers.poll(TaskKind.CLOUD_RECORDING, emulator.sdkAppId(), id).subscribe(mine::add));
            }
            Map<String, Double> stoppedAt = new ConcurrentHashMap<>();
            for (int second = 0; second < 300; second++) {
                // From 30 s on, one recording a little more than every two seconds is stopped.
                if (second >= 30 && (second - 30) % 2 == 0 && (second - 30) / 2 < TASKS) {
                    String id = ids.get((second - 30) / 2);
                    stoppedAt.put(id, lockstep.seconds() - followedAt);
                    running.add(client.deleteCloudRecording(DeleteCloudRecordingRequest.builder()
                            .sdkAppId(emulator.sdkAppId()).taskId(id).build()).subscribe(r -> { }, e -> { }));
                }
                lockstep.run(Duration.ofSeconds(1), STEP);
            }
            return new Run(emulator.arrivals("DescribeCloudRecording") - describesBefore, updates, stoppedAt,
                    start.plusMillis((long) (followedAt * 1000)));
        } finally {
            running.forEach(Disposable::dispose);
            for (AutoCloseable c : closing) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            if (server != null) {
                server.disposeNow();
            }
            if (callbacks != null) {
                callbacks.close();
            }
            time.dispose();
        }
    }

    @Test
    void withCallbacks_eachEndIsSeenWithinASecondOfItsEvent_onATenthOfThePolls() {
        Run polling = run(false);
        Run following = run(true);

        for (var e : following.updates().entrySet()) {
            List<TaskUpdate<DescribeCloudRecordingResponse>> u = e.getValue();
            assertThat(u).as(e.getKey()).isNotEmpty();
            TaskUpdate<DescribeCloudRecordingResponse> end = u.get(u.size() - 1);
            assertThat(end.status().value()).as("%s ends", e.getKey()).isEqualTo("Exited");
            assertThat(end.event()).as("the end came from its callback").isPresent();
            double eventAt = Duration.between(Instant.parse("2026-06-01T00:00:00Z"), end.event().get().eventTime())
                    .toMillis() / 1000.0;
            double seenAt = end.observedAt().toEpochMilli() / 1000.0;
            assertThat(seenAt - eventAt).as("seen after its event, s").isBetween(0.0, 1.0);
        }
        for (var e : polling.updates().entrySet()) {
            // Polling every 5 s may see the end only once the recording is gone (5 s after Exited).
            assertThat(e.getValue().get(e.getValue().size() - 1).status().isTerminal()).isTrue();
        }
        assertThat(following.describes() * 10).as("Describe calls: %d following callbacks, %d polling",
                following.describes(), polling.describes()).isLessThanOrEqualTo(polling.describes());
    }
}
