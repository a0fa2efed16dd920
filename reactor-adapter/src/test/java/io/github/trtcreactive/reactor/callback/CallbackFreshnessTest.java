package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.emulator.EmulatorClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Callbacks' age: a captured request cannot be replayed later, a replay inside the tolerance is a
 * duplicate, and no replay is ever emitted twice. A movable clock plays the real time the service
 * stamps (the emulator's fixed clock, moved by the test); the virtual scheduler moves the
 * deduplication window with it.
 */
class CallbackFreshnessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "fresh1";
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private final EmulatorClock clock = EmulatorClock.fixed(T0);
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private void advance(Duration by) {
        clock.advance(by);
        time.advanceTimeBy(by);
    }

    private static String event(String user, Instant sent) {
        return "{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + sent.toEpochMilli() + ",\"EventInfo\":"
                + "{\"RoomId\":\"r\",\"EventMsTs\":" + T0.toEpochMilli() + ",\"UserId\":\"" + user + "\"}}";
    }

    private static CallbackReply send(TrtcCallbacks callbacks, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return callbacks.accept(Map.of("Sign", CallbackSignature.sign(KEY, bytes)), bytes).block(WAIT);
    }

    @Test
    void callbacksOlderThanMaxEventAge_orOverAMinuteAhead_are401_sayingWhy() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).clock(clock).scheduler(time).build();

        assertThat(send(callbacks, event("stale", T0.minus(Duration.ofMinutes(10)).minusMillis(1)))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).contains("stale event").contains("maxEventAge (600 s)");
        });
        assertThat(send(callbacks, event("ahead", T0.plusSeconds(61)))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).contains("ahead of the receiver's clock");
        });
        assertThat(send(callbacks, event("2020", Instant.parse("2020-01-01T00:00:00Z"))).status()).isEqualTo(401);
        assertThat(send(callbacks, event("2100", Instant.parse("2100-01-01T00:00:00Z"))).status()).isEqualTo(401);
        assertThat(send(callbacks, event("oldest", T0.minus(Duration.ofMinutes(10)))).status()).isEqualTo(200);
        assertThat(send(callbacks, event("late clock", T0.plusSeconds(59))).status()).isEqualTo(200);
        assertThat(callbacks.rejectedCount()).isEqualTo(4);
        assertThat(callbacks.acceptedCount()).isEqualTo(2);
    }

    @Test
    void aReplay_isADuplicateInsideTheTolerance_andStaleOutsideIt_neverEmittedTwice() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).clock(clock).scheduler(time).build();
        List<String> users = new CopyOnWriteArrayList<>();
        Disposable subscription = callbacks.events().subscribe(e -> users.add(e.userId()));
        String captured = event("alice", T0);
        // Stamped by a clock running ahead: it stays acceptable until 10 min 59 s from now.
        String early = event("bob", T0.plusSeconds(59));
        try {
            assertThat(send(callbacks, captured).status()).isEqualTo(200);
            assertThat(send(callbacks, early).status()).isEqualTo(200);
            for (Duration step : List.of(Duration.ofMinutes(3), Duration.ofMinutes(3), Duration.ofMinutes(3),
                    Duration.ofSeconds(59))) {
                advance(step); // past the 2-minute deduplication window, but not the age limit
                assertThat(send(callbacks, captured).status()).as("replayed after %s", step).isEqualTo(200);
                assertThat(send(callbacks, early).status()).isEqualTo(200);
            }
            advance(Duration.ofSeconds(2)); // 10 min 1 s: alice's request is stale, bob's still in the tolerance
            assertThat(send(callbacks, captured).status()).isEqualTo(401);
            assertThat(send(callbacks, early).status()).isEqualTo(200);
            advance(Duration.ofMinutes(1));
            assertThat(send(callbacks, early).status()).isEqualTo(401);
            time.advanceTime();

            assertThat(users).containsExactly("alice", "bob");
            assertThat(callbacks.duplicateCount()).isEqualTo(9);
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void aCallbackWithoutATimestamp_is400_unlessTheCheckIsSwitchedOff() {
        String untimed = "{\"EventGroupId\":1,\"EventType\":103,\"EventInfo\":{\"RoomId\":\"r\",\"UserId\":\"u\"}}";
        TrtcCallbacks checked = TrtcCallbacks.builder().key(KEY).clock(clock).scheduler(time).build();
        assertThat(send(checked, untimed)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("no CallbackTs or CallbackMsTs");
        });
        TrtcCallbacks unchecked = TrtcCallbacks.builder().key(KEY).maxEventAge(null).build();
        assertThat(send(unchecked, untimed).status()).isEqualTo(200);
        assertThat(send(unchecked, event("old", Instant.parse("2020-01-01T00:00:00Z"))).status()).isEqualTo(200);

        assertThatThrownBy(() -> TrtcCallbacks.builder().maxEventAge(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEventAge");
    }

    @Test
    void aFullDeduplicationWindow_refusesNewEvents_ratherThanForgettingAKeyEarly() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).clock(clock).scheduler(time)
                .deduplication(Duration.ofMinutes(2), 2).build();
        assertThat(send(callbacks, event("a", T0)).status()).isEqualTo(200);
        assertThat(send(callbacks, event("b", T0)).status()).isEqualTo(200);
        assertThat(send(callbacks, event("c", T0))).satisfies(r -> {
            assertThat(r.status()).as("the service retries it").isEqualTo(503);
            assertThat(r.body()).contains("deduplication window is full");
        });
        assertThat(send(callbacks, event("a", T0)).status()).as("still a duplicate").isEqualTo(200);
        assertThat(callbacks.duplicateCount()).isEqualTo(1);
        advance(Duration.ofMinutes(12));
        assertThat(send(callbacks, event("c", clock.instant())).status()).as("room once keys expire").isEqualTo(200);
        assertThat(callbacks.acceptedCount()).isEqualTo(3);
    }
}
