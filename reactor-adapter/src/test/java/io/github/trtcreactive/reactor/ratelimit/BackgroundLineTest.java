package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The background line gives a place up however its caller leaves: the line never stays busy for nobody. */
class BackgroundLineTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static long in(Duration d) {
        return Schedulers.parallel().now(TimeUnit.NANOSECONDS) + d.toNanos();
    }

    private static Mono<Long> run(BackgroundLine line, Mono<Long> asking) {
        return line.run(in(WAIT), () -> new IllegalStateException("beyond the maximum wait"), () -> asking);
    }

    @Test
    void aCallerCancelledAsItSubscribes_leavesTheLineFree() {
        BackgroundLine line = new BackgroundLine(Schedulers.parallel());
        for (int i = 0; i < 3; i++) {
            BaseSubscriber<Long> cancelledFirst = new BaseSubscriber<>() { };
            cancelledFirst.cancel();
            run(line, Mono.just(1L)).subscribe(cancelledFirst);
        }
        assertThat(line.busy()).isFalse();
        StepVerifier.create(run(line, Mono.just(7L))).expectNext(7L).expectComplete().verify(WAIT);
    }

    @Test
    void aCallerCancelledWhileWaiting_orWhenLetThrough_passesTheTurnOn() {
        BackgroundLine line = new BackgroundLine(Schedulers.parallel());
        Disposable first = run(line, Mono.never()).subscribe();
        Disposable second = run(line, Mono.just(2L)).subscribe(); // waits behind the first
        second.dispose();
        first.dispose();
        assertThat(line.busy()).isFalse();
        StepVerifier.create(run(line, Mono.just(7L))).expectNext(7L).expectComplete().verify(WAIT);
    }

    @Test
    void cancelRacingTheTurn_andResubscribe_neverLeaveTheLineBusy() {
        BackgroundLine line = new BackgroundLine(Schedulers.parallel());
        for (int i = 0; i < 4000; i++) {
            AtomicReference<Disposable> asker = new AtomicReference<>();
            Disposable holder = run(line, Mono.never()).subscribe();
            Races.race(
                    () -> asker.set(run(line, Mono.just(1L)).subscribe()),
                    holder::dispose, // lets the asker through, perhaps as it leaves
                    () -> {
                        Disposable d = asker.get();
                        if (d != null) {
                            d.dispose();
                        }
                    },
                    () -> run(line, Mono.just(3L)).subscribe().dispose());
            Disposable d = asker.get();
            if (d != null) {
                d.dispose();
            }
        }
        StepVerifier.create(run(line, Mono.just(7L))).expectNext(7L).expectComplete().verify(WAIT);
        assertThat(line.busy()).isFalse();
    }
}
