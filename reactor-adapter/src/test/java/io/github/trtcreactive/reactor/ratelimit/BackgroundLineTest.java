package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
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

    /**
     * A clock that stands still and timers that fire when told, without a lock (a virtual-time
     * scheduler's queue takes one, which BlockHound rightly refuses on the racers' threads).
     */
    private static final class ManualTimers implements Scheduler {
        private final Queue<Runnable> due = new ConcurrentLinkedQueue<>();

        @Override
        public Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            Disposable.Swap cancelled = Disposables.swap();
            due.add(() -> {
                if (!cancelled.isDisposed()) {
                    task.run();
                }
            });
            return cancelled;
        }

        @Override
        public long now(TimeUnit unit) {
            return 0;
        }

        /** Fires every timer set so far. */
        void fire() {
            Runnable task;
            while ((task = due.poll()) != null) {
                task.run();
            }
        }

        @Override
        public Worker createWorker() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theDeadlineRacingTheTurn_eachCallerAsksOrIsTooLate_once_andTheLineIsFreed() {
        for (int i = 0; i < 4000; i++) {
            ManualTimers timers = new ManualTimers();
            BackgroundLine line = new BackgroundLine(timers);
            long deadline = WAIT.toNanos();
            IllegalStateException tooLate = new IllegalStateException("beyond the maximum wait");
            Disposable holder = line.run(deadline, () -> tooLate, Mono::<Long>never).subscribe();
            AtomicInteger asked = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Disposable waiter = line.run(deadline, () -> tooLate, () -> {
                asked.incrementAndGet();
                return Mono.<Long>never();
            }).subscribe(v -> { }, errors::add);
            Races.race(holder::dispose, timers::fire); // the holder leaves as the waiter's deadline passes

            assertThat(asked.get() + errors.size()).as("asked or too late, once").isEqualTo(1);
            assertThat(errors).allSatisfy(e -> assertThat(e).isSameAs(tooLate));
            waiter.dispose();
            assertThat(line.busy()).as("busy for nobody").isFalse();
        }
    }
}
