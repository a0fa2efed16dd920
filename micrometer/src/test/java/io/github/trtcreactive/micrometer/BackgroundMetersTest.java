package io.github.trtcreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.callback.CallbackRelay;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@code trtc.background.restarts}: counted by loop, from the callback and the poll listeners. */
class BackgroundMetersTest {

    @Test
    void aRelayReaderThatFails_isCountedPerRestart_taggedByLoop() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicInteger reads = new AtomicInteger();
        CallbackRelay relay = new CallbackRelay() {
            @Override
            public Mono<Boolean> publish(String key, long sdkAppId, byte[] body, Duration remember) {
                return Mono.just(true);
            }

            @Override
            public Flux<Relayed> events() {
                return Flux.defer(() -> reads.incrementAndGet() <= 2 ? Flux.error(new IllegalStateException("down"))
                        : Flux.never());
            }

            @Override
            public void close() {
            }
        };
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().relay(relay).scheduler(time)
                .listener(TrtcMicrometer.callbackMetrics(registry)).build();
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(reads).hasValue(3);
        assertThat(registry.get("trtc.background.restarts").tag("loop", "callbacks.relay").counter().count())
                .isEqualTo(2);
        callbacks.close();
    }

    @Test
    void pollMetrics_countARestartOfTheCallbackRouting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrtcMicrometer.pollMetrics(registry).onBackgroundRestart(new BackgroundStatus("pollers.callback-routing",
                State.RESTARTING, 1, Optional.of(IllegalStateException.class.getName())));
        assertThat(registry.get("trtc.background.restarts").tag("loop", "pollers.callback-routing").counter().count())
                .isEqualTo(1);
    }
}
