package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * The store when Redis is not there at start-up, against a real server started later on the store's
 * port: it connects by itself, the limiter counts at its share meanwhile, and each switch is logged
 * once; the password is in no log line, message or toString. Waits are polls with generous bounds.
 */
class RedisStartUpTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    private static final String SECRET = "hunter2-startup-secret";
    private static final String ACCOUNT = "AKIDstartup";
    private static final String FELL_BACK = "WARN io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter - The"
            + " shared rate-limit store (RedisLimitStore) failed";
    private static final String CAME_BACK = "INFO io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter - The"
            + " shared rate-limit store (RedisLimitStore) answers again";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setErr(originalErr);
        originalErr.print(logText()); // kept in the test's report
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private long lines(String text) {
        return logText().lines().filter(line -> line.contains(text)).count();
    }

    private RedisProcess redisNotStarted(String... options) throws Exception {
        RedisProcess redis = RedisProcess.onFreePort(options);
        closing.add(redis);
        return redis;
    }

    /** Polls a condition (without blocking a non-blocking thread) until it holds, or fails after 30 s. */
    private static void eventually(String what, BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ZERO, Duration.ofMillis(100))
                        .filter(tick -> condition.getAsBoolean()).next())
                .as(what).expectNextCount(1).expectComplete().verify(EVENTUALLY);
    }

    /** One call through the limiter; completes when it had its permit. */
    private static Mono<Long> call(TrtcRateLimiter limiter) {
        return limiter.limit(ACCOUNT, "DescribeRoomInfo", Mono.fromCallable(System::nanoTime));
    }

    /** Calls every 200 ms until a condition holds (the limiter retries a failed store only after 1 s). */
    private static void callUntil(TrtcRateLimiter limiter, String what, BooleanSupplier condition) {
        StepVerifier.create(call(limiter).then(Mono.delay(Duration.ofMillis(200))).repeat()
                        .takeUntil(tick -> condition.getAsBoolean()).then())
                .as(what).expectComplete().verify(EVENTUALLY);
    }

    @Test
    void connect_whileRedisIsDown_givesAStoreThatJoinsRedisWhenItComes_andTheLimiterLogsEachSwitchOnce()
            throws Exception {
        RedisProcess redis = redisNotStarted("--requirepass", SECRET);
        String uri = "redis://:" + SECRET + "@127.0.0.1:" + redis.port();
        RedisLimitStore store = RedisLimitStore.connect(uri);
        closing.add(store);
        List<String> heard = new CopyOnWriteArrayList<>();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(store).listener(new RateLimitListener() {
            @Override
            public void onStoreUnavailable(Throwable cause) {
                heard.add("unavailable");
            }

            @Override
            public void onStoreRestored() {
                heard.add("restored");
            }
        }).build();

        // Redis is down: calls go on, counted at this process's share (the limiter's fallback lane).
        StepVerifier.create(Flux.range(0, 8).concatMap(i -> call(limiter)).count())
                .expectNext(8L).expectComplete().verify(EVENTUALLY);
        assertThat(heard).containsExactly("unavailable");
        assertThat(limiter.snapshot()).as("the limit's own lane and its fallback share's").hasSize(2);
        StepVerifier.create(store.ping(Duration.ofSeconds(1)))
                .expectError(RedisConnectionException.class).verify(EVENTUALLY);
        assertThat(lines(FELL_BACK)).as("one warning for eight calls").isEqualTo(1);

        // Redis comes: the store connects by itself and the limiter counts there again.
        redis.startAgain();
        StepVerifier.create(Mono.defer(() -> store.ping(Duration.ofSeconds(1)))
                        .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(100))).timeout(EVENTUALLY))
                .expectNextCount(1).expectComplete().verify(EVENTUALLY.plusSeconds(5));
        callUntil(limiter, "the limiter rejoins the store", () -> heard.contains("restored"));
        assertThat(keys(uri)).as("the shared schedule lives in Redis")
                .contains("trtc-reactive:limit:{" + ACCOUNT + "}:DescribeRoomInfo");
        assertThat(lines(CAME_BACK)).isEqualTo(1);

        // Redis goes again: one warning again, however many calls.
        redis.kill();
        callUntil(limiter, "the limiter falls back again", () -> heard.size() == 3);
        StepVerifier.create(Flux.range(0, 10).concatMap(i -> call(limiter)).count())
                .expectNext(10L).expectComplete().verify(EVENTUALLY);
        assertThat(heard).containsExactly("unavailable", "restored", "unavailable");
        assertThat(lines(FELL_BACK)).isEqualTo(2);
        assertThat(lines(CAME_BACK)).isEqualTo(1);
        assertThat(logText()).doesNotContain(SECRET).as("nor its length").doesNotContain("****");
        assertThat(store).hasToString("RedisLimitStore{prefix=trtc-reactive:limit:}");
    }

    /** The keys of the default prefix, read by a client of the test's own (on the test thread). */
    private static List<String> keys(String uri) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys("trtc-reactive:limit:*");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theConnectLoop_whenItFailsItself_saysSoOnceAtWarn_andStartsAgain() throws Exception {
        RedisProcess redis = redisNotStarted();
        redis.startAgain();
        RedisClient client = RedisClient.create();
        closing.add(client::shutdown);
        AtomicInteger attempts = new AtomicInteger();
        // Each loop gives up after three failed attempts here (production's never does), six fail in all.
        RedisConnector connector = new RedisConnector(() -> attempts.incrementAndGet() <= 6
                ? CompletableFuture.failedFuture(new RedisConnectionException("refused"))
                : client.connectAsync(StringCodec.UTF8, RedisURI.create(redis.uri())),
                Retry.fixedDelay(2, Duration.ofMillis(10)), Duration.ofMillis(100), "the test's Redis", null, null);
        closing.add(connector::closeAsync);
        connector.start();

        eventually("connected", () -> connector.commands() != null);
        assertThat(attempts).hasValue(7);
        assertThat(lines("WARN io.github.trtcreactive.redis.RedisLimitStore - the background connection to Redis"
                + " at the test's Redis stopped")).as("one warning per restart").isEqualTo(2);
        StepVerifier.create(connector.commands().ping()).expectNext("PONG").expectComplete().verify(EVENTUALLY);
    }

    @Test
    void close_onANonBlockingThread_orAnEventLoop_returnsWithoutBlocking_andClosesEverything() throws Exception {
        RedisProcess redis = redisNotStarted();
        RedisLimitStore connecting = RedisLimitStore.connect(redis.uri());
        closing.add(connecting);
        StepVerifier.create(Mono.fromCallable(connecting::closeAsync).subscribeOn(Schedulers.parallel())
                        .flatMap(Mono::fromFuture))
                .as("closed while connecting, on a parallel thread").expectComplete().verify(EVENTUALLY);

        redis.startAgain();
        RedisLimitStore connected = RedisLimitStore.connect(redis.uri());
        closing.add(connected);
        // The PING's answer arrives on Lettuce's event loop: the store is closed right there.
        StepVerifier.create(Mono.defer(() -> connected.ping(Duration.ofSeconds(1)))
                        .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(100)))
                        .flatMap(rtt -> Mono.fromFuture(connected.closeAsync())))
                .as("closed on its own event loop").expectComplete().verify(EVENTUALLY);
        StepVerifier.create(connected.ping(Duration.ofSeconds(1)))
                .expectError(TrtcClientClosedException.class).verify(EVENTUALLY);
        assertThat(logText()).doesNotContain("did not finish cleanly");
    }

    @Test
    void anEmptyOrBlankKeyPrefix_isRefused_namingTheParameter() throws Exception {
        RedisLimitStore store = RedisLimitStore.connect(redisNotStarted().uri());
        closing.add(store);
        for (String prefix : new String[] {"", " ", "\t"}) {
            assertThatThrownBy(() -> store.withKeyPrefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyPrefix");
        }
        assertThatThrownBy(() -> store.withKeyPrefix(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("keyPrefix");
        RedisLimitStore view = store.withKeyPrefix("staging:");
        closing.add(view);
        assertThat(view).hasToString("RedisLimitStore{prefix=staging:}");
    }

    @Test
    void aMalformedUri_failsAtOnce_withAMessageThatDoesNotRepeatIt() {
        for (String uri : new String[] {"redis://:hun ter2@127.0.0.1:6379", "redis://:hunter2@127.0.0.1:notaport",
                "http://:hunter2@127.0.0.1", "redis://:hunter2@[::1", "hunter2", "", "redis://:hunter2@"}) {
            assertThatThrownBy(() -> RedisLimitStore.connect(uri)).as(uri)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("redisUri is not a valid Redis URI")
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("ter2"));
        }
    }
}
