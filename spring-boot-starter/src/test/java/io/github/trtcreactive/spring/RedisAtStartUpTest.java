package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;

/**
 * The application with {@code trtc.rate-limit.redis-uri} set while Redis is down: it starts, health
 * says the store is unreachable, calls go on, and when Redis comes the store connects by itself.
 * Also what the Redis properties refuse.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAtStartUpTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    private static final String FELL_BACK = "The shared rate-limit store (RedisLimitStore) failed";
    private static final String CAME_BACK = "The shared rate-limit store (RedisLimitStore) answers again";

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TrtcAutoConfiguration.class));

    private static DescribeRoomInfoRequest rooms(long sdkAppId) {
        long now = System.currentTimeMillis() / 1000;
        return DescribeRoomInfoRequest.builder().sdkAppId(sdkAppId).startTime(now - 60).endTime(now).build();
    }

    /** Checks a condition on the test thread every 200 ms until it holds; fails after 30 s. */
    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("still not: " + what).isLessThan(deadline);
            Mono.delay(Duration.ofMillis(200)).block();
        }
    }

    private static long count(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).count();
    }

    @Test
    void withRedisDownAtStartUp_theApplicationStarts_healthSaysSo_andTheStoreJoinsRedisWhenItComes(
            CapturedOutput output) throws Exception {
        int port = TestRedis.freePort();
        TestRedis[] redis = new TestRedis[1];
        try {
            contexts.withPropertyValues("trtc.emulator.enabled=true",
                    "trtc.rate-limit.redis-uri=redis://127.0.0.1:" + port).run(context -> {
                assertThat(context).hasNotFailed();
                TrtcHealthIndicator indicator = context.getBean(TrtcHealthIndicator.class);
                TrtcAsyncClient client = context.getBean(TrtcAsyncClient.class);
                long sdkAppId = context.getBean(TrtcEmulator.class).sdkAppId();
                Health down = indicator.health().block(WAIT);
                assertThat(down.getStatus()).as("the limiter goes on without Redis").isEqualTo(Status.UP);
                assertThat(down.getDetails()).containsEntry("redis",
                        "unreachable: RedisConnectionException; counting locally at this process's share");
                for (int i = 0; i < 3; i++) {
                    assertThat(client.describeRoomInfo(rooms(sdkAppId)).block(WAIT)).as("a call at the share")
                            .isNotNull();
                }
                assertThat(count(output, FELL_BACK)).as("one warning for three calls").isEqualTo(1);

                redis[0] = TestRedis.start(port);
                eventually("health says Redis is reachable", () -> ((String) indicator.health().block(WAIT)
                        .getDetails().get("redis")).startsWith("reachable ("));
                assertThat(indicator.health().block(WAIT).getStatus()).isEqualTo(Status.UP);
                eventually("the limiter's schedule is in Redis", () -> {
                    client.describeRoomInfo(rooms(sdkAppId)).block(WAIT);
                    return !redis[0].keys("trtc-reactive:limit:*").isEmpty();
                });
                // A key can be in Redis before the limiter has an answer to log: on a loaded machine a
                // reservation's answer may come after its call gave up waiting (the script still ran).
                eventually("the limiter says Redis answers again", () -> {
                    client.describeRoomInfo(rooms(sdkAppId)).block(WAIT);
                    return count(output, CAME_BACK) >= 1;
                });
                assertThat(count(output, CAME_BACK)).isEqualTo(1);
            });
        } finally {
            if (redis[0] != null) {
                redis[0].close();
            }
        }
    }

    @Test
    void anEmptyOrBlankKeyPrefix_failsTheStart_namingTheProperty() {
        for (String prefix : new String[] {"", " "}) {
            contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.rate-limit.redis-uri=redis://127.0.0.1:1",
                    "trtc.rate-limit.redis-key-prefix=" + prefix).run(context -> assertThat(context).hasFailed()
                    .getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("trtc.rate-limit.redis-key-prefix"));
        }
    }

    @Test
    void aMalformedRedisUri_failsTheStart_namingThePropertyButNotItsValue(CapturedOutput output) {
        contexts.withPropertyValues("trtc.emulator.enabled=true",
                "trtc.rate-limit.redis-uri=redis://:hun ter2@127.0.0.1:1").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trtc.rate-limit.redis-uri: redisUri is not a valid Redis URI")
                .message().doesNotContain("ter2"));
        assertThat(output.getAll()).doesNotContain("ter2");
    }
}
