package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

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
}
