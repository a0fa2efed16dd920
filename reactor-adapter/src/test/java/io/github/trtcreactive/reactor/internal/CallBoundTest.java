package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class CallBoundTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final class Closed extends RuntimeException {
        Closed() {
            super("closed", null, false, false);
        }
    }

    private static final class Late extends RuntimeException {
        Late() {
            super("late", null, false, false);
        }
    }

    private static <T> Mono<T> bound(Mono<T> call, Duration deadline, ClientLifecycle lifecycle,
            reactor.core.scheduler.Scheduler timer) {
        return new CallBound<>(call, deadline, new LoopTimer(List.of(), timer), lifecycle, Late::new, Closed::new);
    }

    @Test
    void closing_endsEveryCallInFlight_andCancelsItsWork() {
        ClientLifecycle lifecycle = new ClientLifecycle();
        AtomicInteger cancelled = new AtomicInteger();
        List<StepVerifier> calls = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            calls.add(StepVerifier.create(bound(Mono.never().doOnCancel(cancelled::incrementAndGet),
                    Duration.ofMinutes(1), lifecycle, Schedulers.parallel())).expectSubscription()
                    .expectError(Closed.class).verifyLater());
        }
        assertThat(lifecycle.watching()).isEqualTo(1_000);
        lifecycle.close();
        calls.forEach(v -> v.verify(WAIT));
        assertThat(cancelled).hasValue(1_000);
        assertThat(lifecycle.watching()).isZero();
        StepVerifier.create(bound(Mono.just(1), Duration.ofMinutes(1), lifecycle, Schedulers.parallel()))
                .expectError(Closed.class).verify(WAIT);
    }

    @Test
    void theDeadline_endsTheCall_andAnEndedCallIsNoLongerWatchedOrTimed() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ClientLifecycle lifecycle = new ClientLifecycle();
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.create(bound(Mono.never().doOnCancel(cancelled::incrementAndGet), Duration.ofSeconds(5),
                        lifecycle, time))
                .expectSubscription()
                .then(() -> time.advanceTimeBy(Duration.ofMillis(4_999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> time.advanceTimeBy(Duration.ofMillis(1)))
                .expectError(Late.class).verify(WAIT);
        assertThat(cancelled).hasValue(1);

        StepVerifier.create(bound(Mono.delay(Duration.ofSeconds(1), time), Duration.ofSeconds(5), lifecycle, time))
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext(0L).expectComplete().verify(WAIT);
        StepVerifier.create(bound(Mono.error(new IllegalStateException("own")), Duration.ofSeconds(5), lifecycle,
                time)).expectErrorMessage("own").verify(WAIT);
        assertThat(lifecycle.watching()).isZero();
    }

    /** A scheduler that counts the timers set and not yet released. */
    private static final class CountingTimer implements reactor.core.scheduler.Scheduler {
        final VirtualTimeScheduler time = VirtualTimeScheduler.create();
        final AtomicInteger live = new AtomicInteger();

        @Override
        public reactor.core.Disposable schedule(Runnable task) {
            return time.schedule(task);
        }

        @Override
        public reactor.core.Disposable schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
            java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            live.incrementAndGet();
            reactor.core.Disposable scheduled = time.schedule(() -> {
                if (released.compareAndSet(false, true)) {
                    live.decrementAndGet();
                }
                task.run();
            }, delay, unit);
            return () -> {
                if (released.compareAndSet(false, true)) {
                    live.decrementAndGet();
                }
                scheduled.dispose();
            };
        }

        @Override
        public Worker createWorker() {
            return time.createWorker();
        }
    }

    @Test
    void everyEnd_releasesItsTimer() {
        CountingTimer timer = new CountingTimer();
        ClientLifecycle lifecycle = new ClientLifecycle();
        StepVerifier.create(bound(Mono.just(1), Duration.ofSeconds(5), lifecycle, timer)).expectNext(1)
                .expectComplete().verify(WAIT);
        StepVerifier.create(bound(Mono.error(new IllegalStateException()), Duration.ofSeconds(5), lifecycle, timer))
                .expectError(IllegalStateException.class).verify(WAIT);
        bound(Mono.never(), Duration.ofSeconds(5), lifecycle, timer).subscribe().dispose();
        assertThat(timer.live).hasValue(0);
        StepVerifier.create(bound(Mono.never(), Duration.ofSeconds(5), lifecycle, timer)).expectSubscription()
                .then(lifecycle::close).expectError(Closed.class).verify(WAIT);
        assertThat(timer.live).hasValue(0);
    }

    @Test
    void aCallStartedOnAnEventLoop_keepsItsDeadlineOnThatLoop() {
        io.netty.channel.DefaultEventLoopGroup loops = new io.netty.channel.DefaultEventLoopGroup(1);
        try {
            ClientLifecycle lifecycle = new ClientLifecycle();
            VirtualTimeScheduler neverAdvanced = VirtualTimeScheduler.create();
            LoopTimer timer = new LoopTimer(loops, neverAdvanced);
            java.util.concurrent.atomic.AtomicReference<String> endedOn = new java.util.concurrent.atomic.AtomicReference<>();
            Mono<Object> call = Mono.defer(() -> new CallBound<>(Mono.never(), Duration.ofMillis(50), timer, lifecycle,
                    Late::new, Closed::new)).doOnError(e -> endedOn.set(Thread.currentThread().getName()))
                    .subscribeOn(reactor.core.scheduler.Schedulers.fromExecutor(loops.next()));
            StepVerifier.create(call).expectError(Late.class).verify(WAIT);
            assertThat(endedOn.get()).startsWith("defaultEventLoopGroup");
            assertThat(lifecycle.watching()).isZero();
        } finally {
            loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void ends_areToldOnce_beforeTheCaller_withTheTranslatedError() {
        ClientLifecycle lifecycle = new ClientLifecycle();
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallBound.Ends ends = new CallBound.Ends() {
            @Override
            public void succeeded() {
                told.add("succeeded");
            }

            @Override
            public void failed(Throwable error) {
                told.add("failed " + error.getMessage());
            }

            @Override
            public void cancelled() {
                told.add("cancelled");
            }
        };
        java.util.function.UnaryOperator<Throwable> translate = e -> new IllegalStateException("translated "
                + e.getMessage());
        LoopTimer timer = new LoopTimer(List.of(), reactor.core.scheduler.Schedulers.parallel());
        StepVerifier.create(new CallBound<>(Mono.just(1).doOnNext(v -> told.add("value")), Duration.ofSeconds(5),
                        timer, lifecycle, Late::new, Closed::new, translate, ends))
                .expectNextMatches(v -> told.contains("succeeded")).expectComplete().verify(WAIT);
        StepVerifier.create(new CallBound<>(Mono.error(new RuntimeException("own")), Duration.ofSeconds(5), timer,
                        lifecycle, Late::new, Closed::new, translate, ends))
                .expectErrorMessage("translated own").verify(WAIT);
        StepVerifier.create(new CallBound<>(Mono.never(), Duration.ofMillis(20), timer, lifecycle, Late::new,
                        Closed::new, translate, ends))
                .expectErrorMessage("translated late").verify(WAIT);
        new CallBound<>(Mono.never(), Duration.ofSeconds(5), timer, lifecycle, Late::new, Closed::new, translate, ends)
                .subscribe().dispose();
        assertThat(told).containsExactly("value", "succeeded", "failed translated own", "failed translated late",
                "cancelled");
    }

    @Test
    void cancellingTheCaller_releasesEverything() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ClientLifecycle lifecycle = new ClientLifecycle();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger subscribed = new AtomicInteger();
        Mono<Object> work = Mono.never().doOnSubscribe(s -> subscribed.incrementAndGet())
                .doOnCancel(cancelled::incrementAndGet);
        StepVerifier.create(bound(work, Duration.ofSeconds(5), lifecycle, time)).expectSubscription().thenCancel()
                .verify(WAIT);
        assertThat(subscribed).as("cancelled in onSubscribe: the work never started").hasValue(0);
        bound(work, Duration.ofSeconds(5), lifecycle, time).subscribe().dispose();
        assertThat(subscribed).hasValue(1);
        assertThat(cancelled).hasValue(1);
        assertThat(lifecycle.watching()).isZero();
        lifecycle.close(); // nothing left to tell
    }
}
