package io.github.trtcreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The moderation bot against the emulator, which enforces the limits the bot must keep. */
class ModerationBotTest {

    @Test
    void run_printsProgressAndASummaryWithNoThrottle() {
        Output output = new Output();

        int status = ModerationBot.run(Map.of(), output.console,
                new String[] {"--rooms", "8", "--users-per-room", "40", "--limit-scale", "10"});

        String text = output.text();
        assertThat(status).as(text).isZero();
        assertThat(text).startsWith("No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: using the embedded TRTC"
                + " emulator");
        assertThat(text).contains("Muting and removing 320 users in 8 rooms; limits: SetUserBlocked 200/s,"
                + " RemoveUser 200/s");
        assertThat(text).containsPattern("muted [\\d,]+ · removed [\\d,]+ · gone \\d+ of 320 users");
        assertThat(text).contains("  server throttles   0\n");
        assertThat(text).containsPattern("trtc.client.call +SetUserBlocked success: [\\d,]+ calls, mean [\\d.]+ ms");
        assertThat(text).containsPattern("trtc.ratelimit.wait RemoveUser: [\\d,]+ permits");
        assertThat(text).containsPattern("users +\\d+ muted, \\d+ removed, \\d+ already gone, 0 failed");
        assertThat(text).containsPattern("latency +p50 [\\d.]+ ms, p99 [\\d.]+ ms");
        assertThat(text).containsPattern("elapsed +[\\d.]+ s; the limits allow no less than 1\\.\\d\\d s");
    }

    @Test
    void atTheDocumentedLimits_everyUserIsMutedAndRemoved_andTheEmulatorRefusedNothing() {
        Output output = new Output();
        ModerationBot.Stats stats = new ModerationBot.Stats();
        ModerationBot.Plan plan = new ModerationBot.Plan(3, 25, 1);
        try (ExampleEnvironment environment = ExampleEnvironment.resolve(Map.of(), output.console, "the bot", false,
                emulator -> emulator, client -> client.callListener(stats).rateLimiter(ModerationBot.limiter(1)))) {
            TrtcEmulator emulator = environment.emulator().orElseThrow();

            StepVerifier.create(ModerationBot.moderate(environment, output.console, plan, stats))
                    .assertNext(report -> {
                        assertThat(report.throttles()).isZero();
                        assertThat(report.failed()).as(output::text).isZero();
                        assertThat(report.muted() + report.gone()).isEqualTo(75);
                        assertThat(report.removed()).isEqualTo(report.muted());
                        // 75 mutes at 20/s: the limits allow no less than 3.7 s
                        assertThat(report.minimum()).isEqualTo(Duration.ofMillis(3700));
                        assertThat(report.elapsed()).isGreaterThanOrEqualTo(report.minimum());
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(60));

            List<RecordedRequest> requests = emulator.requests();
            assertThat(requests).noneMatch(r -> "RequestLimitExceeded".equals(r.errorCode()));
            assertThat(requests).filteredOn(r -> r.action().equals("SetUserBlocked")).hasSize(75);
            for (long room = 700_000; room < 700_003; room++) {
                assertThat(emulator.rooms().users(room)).as("room %d", room).isEmpty();
            }
        } finally {
            output.console.close();
        }
    }

    @Test
    void withCredentials_itCallsTheConfiguredEndpoint_andCountsAbsentUsersAsGone() {
        try (TrtcEmulator service = TrtcEmulator.start()) {
            Output output = new Output();
            Map<String, String> env = Map.of(
                    "TENCENTCLOUD_SECRET_ID", service.credentials().secretId(),
                    "TENCENTCLOUD_SECRET_KEY", service.credentials().secretKey(),
                    "TRTC_ENDPOINT", service.uri().toString(),
                    "TRTC_SDK_APP_ID", Long.toString(service.sdkAppId()));

            int status = ModerationBot.run(env, output.console, new String[] {"--rooms", "2", "--users-per-room", "5",
                    "--limit-scale", "10"});

            String text = output.text();
            assertThat(status).as(text).isZero();
            assertThat(text).startsWith("Using the TRTC service at " + service.uri());
            assertThat(text).contains("--limit-scale applies to the emulator only");
            assertThat(text).contains("limits: SetUserBlocked 20/s, RemoveUser 20/s");
            assertThat(text).containsPattern("users +0 muted, 0 removed, 10 already gone, 0 failed");
            assertThat(service.arrivals("SetUserBlocked")).isEqualTo(10);
        }
    }
}
