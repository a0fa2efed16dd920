package io.github.trtcreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** The pollers' and the callback receiver's meters, with the emulator sending callbacks. */
class PollAndCallbackMetersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(20)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void polls_statusChanges_followedTasks_andCallbackOutcomes_areCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key("meters1").listener(TrtcMicrometer.callbackMetrics(meters))
                .build();
        DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
        try (TrtcEmulator emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false)
                .callbacks(URI.create("http://127.0.0.1:" + server.port() + "/"), "meters1").start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore")
                        .credentials(emulator.credentials()).endpoint(emulator.uri())
                        .rateLimiter(TrtcRateLimiter.disabled()).build()) {
            // A short safety cadence: the statuses arrive whether or not a callback is late (the emulator's
            // sender retries a failed one after 10 s); this test is about the meters, not the timing.
            TaskPollers pollers = TaskPollers.builder(client).callbacks(callbacks)
                    .safetyPolling(Duration.ofMillis(200), Duration.ofMinutes(1))
                    .listener(TrtcMicrometer.pollMetrics(meters)).build();
            emulator.rooms().join("metered", "anchor");
            String task = client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(emulator.sdkAppId())
                    .roomId("metered").roomIdType(0L).userId("robot")
                    .userSig(emulator.userSigs().generate("robot", Duration.ofHours(1)))
                    .recordParams(RecordParams.builder().recordMode(1L).build())
                    .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                            .tencentVod(TencentVod.builder().build()).build()).build()).build()).block(WAIT).taskId();

            StepVerifier.create(pollers.poll(TaskKind.CLOUD_RECORDING, emulator.sdkAppId(), task,
                            PollOptions.DEFAULTS.withInterval(Duration.ofMillis(50))))
                    .assertNext(u -> assertThat(u.status().value()).isEqualTo("Idle"))
                    .then(() -> assertThat(meters.get("trtc.poll.followed").tag("trtc.action", "DescribeCloudRecording")
                            .gauge().value()).isEqualTo(1.0))
                    .then(() -> emulator.clock().advance(Duration.ofSeconds(1)))
                    .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                    .then(() -> client.deleteCloudRecording(DeleteCloudRecordingRequest.builder()
                            .sdkAppId(emulator.sdkAppId()).taskId(task).build()).subscribe())
                    .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                    .expectComplete()
                    .verify(WAIT);

            assertThat(meters.get("trtc.poll.followed").tag("trtc.action", "DescribeCloudRecording").gauge().value())
                    .isZero();
            assertThat(meters.get("trtc.poll.polls").tag("outcome", "success").counter().count()).isGreaterThanOrEqualTo(2);
            double changes = meters.find("trtc.poll.status_changes").counters().stream().mapToDouble(c -> c.count()).sum();
            assertThat(changes).isEqualTo(3);

            await(() -> meters.find("trtc.callback.events").tag("outcome", "accepted").counters().stream()
                    .mapToDouble(c -> c.count()).sum() >= 5); // 101, 103, 201, 203, 301, ...
            assertThat(meters.get("trtc.callback.events").tag("trtc.event_group", "1").tag("trtc.event_type", "103")
                    .tag("outcome", "accepted").counter().count()).isEqualTo(1);

            byte[] body = ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + System.currentTimeMillis() + ",\"EventInfo\":{\"RoomId\":\"x\","
                    + "\"EventMsTs\":1,\"UserId\":\"u\"}}").getBytes(StandardCharsets.UTF_8);
            Map<String, String> signed = Map.of("Sign", CallbackSignature.sign("meters1", body));
            callbacks.accept(signed, body).block(WAIT);
            callbacks.accept(signed, body).block(WAIT);
            callbacks.accept(Map.of("Sign", "wrong"), body).block(WAIT);
            assertThat(meters.get("trtc.callback.events").tag("trtc.event_type", "103").tag("outcome", "duplicate")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.get("trtc.callback.events").tag("outcome", "refused")
                    .tag("http.response.status_code", "401").counter().count()).isEqualTo(1);
        } finally {
            server.disposeNow();
            callbacks.close();
        }
    }

    @Test
    void metricStreams_reportTheirSeriesAndPolls() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore")
                        .credentials(emulator.credentials()).endpoint(emulator.uri())
                        .rateLimiter(TrtcRateLimiter.disabled()).build()) {
            var streams = io.github.trtcreactive.reactor.metric.MetricStreams.create(client,
                    reactor.core.scheduler.Schedulers.parallel(), Duration.ofMillis(100), TrtcMicrometer.pollMetrics(meters));
            StepVerifier.create(streams.realTimeScale(emulator.sdkAppId(), null, Instant.now().minusSeconds(120))
                            .take(5))
                    .expectNextCount(5)
                    .expectComplete()
                    .verify(WAIT);
            assertThat(meters.get("trtc.poll.polls").tag("trtc.action", "DescribeTRTCRealTimeScaleData")
                    .tag("outcome", "success").counter().count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("trtc.poll.followed").tag("trtc.action", "DescribeTRTCRealTimeScaleData").gauge()
                    .value()).isZero();
        }
    }
}
