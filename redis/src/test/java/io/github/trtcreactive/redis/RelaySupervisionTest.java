package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The receiver's reading of the Redis relay is supervised: Redis killed and started again, or the
 * stream deleted, and events published by another instance reach it again; the outage is logged once
 * at WARN and shows in {@code backgroundHealth()}. And the relay's and the store's close: on an event
 * loop without blocking, {@code closeLater()} completes once released, and later calls fail.
 */
class RelaySupervisionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
        originalErr.print(logText()); // kept in the test's report
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private long warnings(String text) {
        return logText().lines().filter(line -> line.contains("WARN") && line.contains(text)).count();
    }

    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(50)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    private static byte[] enter(String user) {
        long now = System.currentTimeMillis();
        return ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + now + ",\"EventInfo\":{\"RoomId\":\"r\","
                + "\"EventMsTs\":" + now + ",\"UserId\":\"" + user + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Another instance publishes until this one has the event (a publication fails while Redis is down). */
    private static void publishUntilSeen(RedisCallbackRelay other, String user, List<String> users) {
        byte[] body = enter(user);
        String key = CallbackEvent.parse(body, 0, Instant.EPOCH).deduplicationKey();
        StepVerifier.create(Mono.defer(() -> other.publish(key, 1, body, Duration.ofMinutes(11)))
                        .onErrorResume(e -> Mono.just(false))
                        .repeatWhenEmpty(n -> n.delayElements(Duration.ofMillis(100)))
                        .repeat(() -> !users.contains(user)).delayElements(Duration.ofMillis(100))
                        .takeUntil(published -> users.contains(user)).then())
                .expectComplete().verify(WAIT);
        await(() -> users.contains(user));
    }

    private static BackgroundStatus reading(TrtcCallbacks callbacks) {
        return callbacks.backgroundHealth().get(0);
    }

    @Test
    void relayReader_whenRedisIsKilledAndStartedAgain_recovers_andWarnsOnce() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
                RedisCallbackRelay other = RedisCallbackRelay.connect(redis.uri(), "supervised", 10_000)) {
            TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned()
                    .relay(RedisCallbackRelay.connect(redis.uri(), "supervised", 10_000)).build();
            List<String> users = new CopyOnWriteArrayList<>();
            Disposable subscription = callbacks.events().subscribe(e -> users.add(e.userId()));
            try {
                publishUntilSeen(other, "before", users);
                assertThat(reading(callbacks).state()).isEqualTo(State.UP);

                redis.kill();
                await(() -> reading(callbacks).state() == State.RESTARTING);
                await(() -> reading(callbacks).restarts() >= 3); // a few restarts in one outage
                redis.startAgain();
                publishUntilSeen(other, "after", users);
                await(() -> reading(callbacks).state() == State.UP);

                assertThat(users).containsExactly("before", "after");
                assertThat(reading(callbacks).lastError()).isPresent();
                assertThat(warnings("background loop callbacks.relay stopped")).as("one WARN per outage").isEqualTo(1);
                assertThat(logText()).contains("background loop callbacks.relay runs again");
            } finally {
                subscription.dispose();
                callbacks.close();
            }
        }
    }

    @Test
    void relayReader_whenTheStreamIsDeleted_goesOnReadingTheNewStream() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
                RedisCallbackRelay other = RedisCallbackRelay.connect(redis.uri(), "deleted", 10_000)) {
            TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned()
                    .relay(RedisCallbackRelay.connect(redis.uri(), "deleted", 10_000)).build();
            List<String> users = new CopyOnWriteArrayList<>();
            Disposable subscription = callbacks.events().subscribe(e -> users.add(e.userId()));
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                publishUntilSeen(other, "before", users);
                assertThat(connection.sync().del("{deleted}:stream")).isEqualTo(1);
                publishUntilSeen(other, "after", users);
                assertThat(users).containsExactly("before", "after");
                assertThat(reading(callbacks).healthy()).isTrue();
            } finally {
                admin.shutdown();
                subscription.dispose();
                callbacks.close();
            }
        }
    }

    @Test
    void relayAndStore_closeOnANonBlockingThread_doNotBlock_closeLaterReleases_andCloseIsTerminal() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            RedisCallbackRelay relay = RedisCallbackRelay.connect(redis.uri(), "closing", 10_000);
            RedisLimitStore store = RedisLimitStore.connect(redis.uri());
            StepVerifier.create(store.ping(Duration.ofSeconds(5)).retry(50)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
            // BlockHound is installed for every test: a blocking call on the parallel thread would fail.
            StepVerifier.create(Mono.fromRunnable(() -> {
                relay.close();
                store.close();
            }).subscribeOn(Schedulers.parallel())).expectComplete().verify(WAIT);
            StepVerifier.create(relay.closeLater().then(store.closeLater()).subscribeOn(Schedulers.parallel()))
                    .expectComplete().verify(WAIT);
            assertThat(store.closeAsync()).isCompleted();

            StepVerifier.create(relay.publish("k", 1, enter("late"), Duration.ofMinutes(2)))
                    .expectError(TrtcClientClosedException.class).verify(WAIT);
            StepVerifier.create(relay.events()).expectError(TrtcClientClosedException.class).verify(WAIT);
            StepVerifier.create(store.ping(Duration.ofSeconds(1))).expectError(TrtcClientClosedException.class)
                    .verify(WAIT);

            RedisCallbackRelay second = RedisCallbackRelay.connect(redis.uri(), "closing", 10_000);
            StepVerifier.create(second.closeLater().subscribeOn(Schedulers.parallel())).expectComplete().verify(WAIT);
        }
    }
}
