package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A lane's waiters: a scheduler that refuses its timer fails them with a {@link TrtcException}, after
 * letting go of the lane's monitor, and a waiter so failed is not reported as queued; a permit is
 * never lost to a caller who leaves as it is granted (raced 4,000 times on non-blocking threads).
 */
class LaneWaitersTest {

    private static final String ACTION = "DescribeRoom";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private VirtualTimeScheduler time = VirtualTimeScheduler.create();
    /** The virtual clock and timers, until told to refuse new timers (a scheduler shut down). */
    private volatile boolean refusing;

    private final Scheduler scheduler = new Scheduler() {
        @Override
        public Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            if (refusing) {
                throw new RejectedExecutionException("scheduler shut down");
            }
            return time.schedule(task, delay, unit);
        }

        @Override
        public long now(TimeUnit unit) {
            return time.now(unit);
        }

        @Override
        public Worker createWorker() {
            return time.createWorker();
        }
    };

    /** Every listener call, and how many came while the lane's monitor was held. */
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final AtomicInteger underMonitor = new AtomicInteger();
    private Lane lane;

    private final RateLimitListener listener = new RateLimitListener() {
        @Override
        public void onQueued(String action, Duration expectedWait, int queued) {
            note("queued");
        }

        @Override
        public void onLeftQueue(String action, boolean granted) {
            note(granted ? "left:granted" : "left");
        }
    };

    private void note(String what) {
        heard.add(what);
        if (Thread.holdsLock(lane)) {
            underMonitor.incrementAndGet();
        }
    }

    private static final int ROUNDS = 4000;
    private static final Duration PERIOD = Duration.ofSeconds(1);

    /** A new clock and lane for one round of a race. */
    private void freshRound() {
        time.dispose();
        time = VirtualTimeScheduler.create();
        refusing = false;
        heard.clear();
        oneASecond();
    }

    /** One listener report per waiter that left the queue, and none under the monitor. */
    private void assertAccounted(int queued) {
        assertThat(lane.snapshot().queued()).as("waiters left in the lane").isZero();
        assertThat(heard.stream().filter(h -> h.startsWith("left")).count()).isEqualTo(queued);
        assertThat(underMonitor).as("signals under the lane's monitor").hasValue(0);
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** One permit a second: the first call is granted at once, the next ones queue. */
    private Lane oneASecond() {
        lane = new Lane("AKIDlane", ACTION, new TokenBucket(1, SECOND, 0, 1, SECOND), SECOND, JitterMargin.fixed(0),
                scheduler, listener, 0.25, 100, Duration.ofSeconds(1));
        return lane;
    }

    private Disposable acquire(List<Throwable> errors) {
        return lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30)).subscribe(p -> { }, e -> {
            errors.add(e);
            if (Thread.holdsLock(lane)) {
                underMonitor.incrementAndGet();
            }
        });
    }

    @Test
    void aRefusedTimer_failsTheQueuedWaiters_outsideTheMonitor_withATrtcException() {
        oneASecond();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        acquire(errors); // granted at once
        acquire(errors); // queued: its timer set
        acquire(errors); // queued behind it
        refusing = true;
        time.advanceTimeBy(Duration.ofSeconds(1)); // grants the second; the timer for the third is refused

        assertThat(underMonitor).as("signals and listener calls under the lane's monitor").hasValue(0);
        assertThat(errors).singleElement().isInstanceOf(TrtcClientException.class)
                .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(RejectedExecutionException.class));
        assertThat(heard).containsExactly("queued", "queued", "left:granted", "left");
        assertThat(lane.snapshot().queued()).isZero();
    }

    @Test
    void aWaiterFailedAsItIsQueued_isNotReportedAsQueued() {
        oneASecond();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        acquire(errors); // granted at once
        refusing = true;
        acquire(errors); // would queue, but its timer is refused

        assertThat(heard).as("a failed waiter is not queued").doesNotContain("queued").containsExactly("left");
        assertThat(errors).singleElement().isInstanceOf(TrtcException.class);
        assertThat(underMonitor).hasValue(0);
        assertThat(lane.snapshot().queued()).isZero();
    }

    @Test
    void cancelRacingTheGrant_neverLosesAPermit() {
        for (int i = 0; i < ROUNDS; i++) {
            freshRound();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            acquire(errors); // takes this second's permit
            AtomicInteger got = new AtomicInteger();
            // Counted as it reaches the caller's chain (a disposed subscriber then drops it: its permit, spent).
            Disposable waiter = lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30))
                    .doOnNext(p -> got.incrementAndGet()).subscribe();
            Races.race(() -> time.advanceTimeBy(PERIOD), waiter::dispose);

            // Whoever did not get the second permit leaves it to the next caller, at once.
            AtomicInteger next = new AtomicInteger();
            lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30)).subscribe(p -> next.incrementAndGet());
            assertThat(got.get() + next.get()).as("the second permit, granted once").isEqualTo(1);
            time.advanceTimeBy(PERIOD);
            assertThat(next).as("the later caller is granted").hasValue(1);
            assertThat(errors).isEmpty();
            assertAccounted((int) heard.stream().filter("queued"::equals).count());
        }
    }

    @Test
    void cancelRacingARefusedTimer_failsOrCancelsEachWaiterOnce_andLeavesNoneQueued() {
        for (int i = 0; i < ROUNDS; i++) {
            freshRound();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            acquire(errors); // granted
            AtomicInteger got = new AtomicInteger();
            lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30)).subscribe(p -> got.incrementAndGet());
            Disposable last = acquire(errors); // fails when the timer for it is refused, unless it leaves first
            refusing = true;
            Races.race(() -> time.advanceTimeBy(PERIOD), last::dispose);

            assertThat(got).as("the first waiter's permit").hasValue(1);
            assertThat(errors).hasSizeLessThanOrEqualTo(1).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(TrtcClientException.class).hasRootCauseInstanceOf(RejectedExecutionException.class));
            assertAccounted(2);
        }
    }

    @Test
    void resubscribeRacingCancel_neverLosesAPermit_norLeavesAWaiter() {
        for (int i = 0; i < ROUNDS; i++) {
            freshRound();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            acquire(errors); // takes this second's permit
            AtomicInteger got = new AtomicInteger();
            var shared = lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30)).doOnNext(p -> got.incrementAndGet());
            Disposable first = shared.subscribe();
            AtomicReference<Disposable> again = new AtomicReference<>();
            Races.race(first::dispose, () -> again.set(shared.subscribe()), () -> time.advanceTimeBy(PERIOD));
            again.get().dispose();
            time.advanceTimeBy(PERIOD.multipliedBy(2));
            assertThat(lane.snapshot().queued()).isZero();
            AtomicInteger next = new AtomicInteger();
            lane.acquire(CallPriority.INTERACTIVE, Duration.ofSeconds(30)).subscribe(p -> next.incrementAndGet());
            time.advanceTimeBy(PERIOD);
            assertThat(next).as("a later caller is granted").hasValue(1);
            assertThat(got).as("permits delivered in two seconds").hasValueLessThanOrEqualTo(2);
            assertThat(errors).isEmpty();
            assertThat(underMonitor).hasValue(0);
        }
    }
}
