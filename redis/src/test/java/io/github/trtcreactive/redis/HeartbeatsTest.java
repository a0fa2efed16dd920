package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The store's registrations without Redis: a close that comes as a heartbeat starts wins. */
class HeartbeatsTest {

    @Test
    void use_whenTheStoreClosesRightAfterItLooked_stopsTheHeartbeatItStarted() {
        AtomicBoolean closed = new AtomicBoolean();
        Heartbeats[] heartbeats = new Heartbeats[1];
        // The whole close (flag, then stopping every heartbeat) happens just after use() first reads the
        // flag, before its registration is in the map: the interleaving a race test rarely hits.
        BooleanSupplier closingAsItLooks = () -> {
            boolean was = closed.getAndSet(true);
            if (!was) {
                heartbeats[0].stopAll();
            }
            return was;
        };
        heartbeats[0] = new Heartbeats(Duration.ofMinutes(10), (account, key) -> Mono.just(1), closingAsItLooks,
                () -> false);

        heartbeats[0].use("AKIDclosing", "processes", false);

        assertThat(closed).isTrue();
        assertThat(heartbeats[0].running(true)).as("heartbeats running after the close").isZero();
    }

    @Test
    void use_afterTheStoreClosed_startsNothing() {
        Heartbeats heartbeats = new Heartbeats(Duration.ofMinutes(10), (account, key) -> Mono.just(1), () -> true,
                () -> false);

        heartbeats.use("AKIDlate", "processes", false);

        assertThat(heartbeats.running(true)).isZero();
    }

    @Test
    void aRegistrationLetGo_takesItsOwnCountWithIt_andLeavesItsReplacementsCountAlone() {
        AtomicInteger answers = new AtomicInteger(); // each answer counts one more process
        Heartbeats heartbeats = new Heartbeats(Duration.ofMillis(500),
                (account, key) -> Mono.fromSupplier(answers::incrementAndGet), () -> false, () -> false);
        try {
            heartbeats.use("AKIDrotating", "processes", false);
            awaitUntil(() -> Integer.valueOf(1).equals(heartbeats.count("AKIDrotating")));

            // Unused for longer than the idle time: let go at its next beat, its count with it.
            awaitUntil(() -> heartbeats.running(false) == 0);
            assertThat(heartbeats.count("AKIDrotating")).isNull();
            assertThat(heartbeats.countsHeld()).isZero();

            heartbeats.use("AKIDrotating", "processes", false); // the replacement
            awaitUntil(() -> Integer.valueOf(2).equals(heartbeats.count("AKIDrotating")));
            assertThat(heartbeats.countsHeld()).isEqualTo(1);
            assertThat(heartbeats.running(false)).isEqualTo(1);
        } finally {
            heartbeats.stopAll();
        }
    }

    private static void awaitUntil(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
    }
}
