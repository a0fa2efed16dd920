package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The margin that follows the round trips' jitter: its arithmetic, then a limiter in virtual time. */
class JitterMarginTest {

    private static final long MS = 1_000_000L;
    private static final String KEY = "AKIDjitter";

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    @Test
    void staysAtItsInitialValue_untilSixteenRoundTrips_thenFollowsTheirSpread_withinItsBounds() {
        JitterMargin margin = new JitterMargin(10 * MS, 2 * MS, 100 * MS);
        for (int i = 0; i < 15; i++) {
            margin.record(1 * MS);
        }
        assertThat(margin.nanos()).isEqualTo(10 * MS);
        margin.record(1 * MS);
        assertThat(margin.nanos()).as("steady round trips: the floor").isEqualTo(2 * MS);

        // 64 round trips: the fastest 1 ms, the median 21 ms
        for (int i = 0; i < 64; i++) {
            margin.record(i == 0 ? 1 * MS : (i < 32 ? 11 * MS : 21 * MS));
        }
        assertThat(margin.nanos()).isEqualTo(40 * MS);

        for (int i = 0; i < 64; i++) {
            margin.record(i % 2 == 0 ? 1 * MS : 900 * MS);
        }
        assertThat(margin.nanos()).as("the ceiling").isEqualTo(100 * MS);

        // Old round trips leave the window: steady again, the margin comes back down.
        for (int i = 0; i < 64; i++) {
            margin.record(5 * MS);
        }
        assertThat(margin.nanos()).isEqualTo(2 * MS);
    }

    @Test
    void aRareLateRoundTrip_widensTheMarginToTheWholeSpread_untilItLeavesTheWindow() {
        JitterMargin margin = new JitterMargin(10 * MS, 2 * MS, 100 * MS);
        // A busy machine: one round trip in 32 comes 30 ms late; the median's spread is nothing.
        for (int i = 0; i < 64; i++) {
            margin.record(i % 32 == 5 ? 31 * MS : 1 * MS);
        }
        assertThat(margin.nanos()).as("slowest less fastest").isEqualTo(30 * MS);

        for (int i = 0; i < 64; i++) {
            margin.record(1 * MS);
        }
        assertThat(margin.nanos()).as("the late ones gone: the floor").isEqualTo(2 * MS);
    }

    @Test
    void byDefault_aRareLateRoundTrip_widensTheMargin_andEveryWindowOfThePeriodPlusItHoldsTheLimit() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Long> sent = run(limiter, 200, i -> i % 32 == 5 ? 26 : 1);

        assertThat(limiter.snapshot()).singleElement()
                .satisfies(s -> assertThat(s.margin()).isEqualTo(Duration.ofMillis(25)));
        assertThat(maxInWindow(sent.subList(100, 200), 1025 * MS)).isEqualTo(20);
    }

    @Test
    void onAClockThatReadsNegative_theLimiterSpacesCallsExactlyAsOnOneFromZero() {
        // System.nanoTime() may be negative: no moment may be taken for "never".
        long offset = -4_000_000_000_000_000_000L;
        Scheduler negative = new Scheduler() {
            @Override
            public Disposable schedule(Runnable task) {
                return time.schedule(task);
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                return time.schedule(task, delay, unit);
            }

            @Override
            public long now(TimeUnit unit) {
                return unit.convert(time.now(TimeUnit.NANOSECONDS) + offset, TimeUnit.NANOSECONDS);
            }

            @Override
            public Worker createWorker() {
                return time.createWorker();
            }
        };
        // Round trips of 1 ms and, one in four, 31 ms: the answers' times decide when uses count.
        List<Long> fromZero = relative(run(TrtcRateLimiter.builder().scheduler(time).build(), 200,
                i -> i % 4 == 0 ? 31 : 1));
        time.dispose();
        time = VirtualTimeScheduler.create();
        List<Long> fromNegative = relative(run(TrtcRateLimiter.builder().scheduler(negative).build(), 200,
                i -> i % 4 == 0 ? 31 : 1));

        assertThat(fromNegative).isEqualTo(fromZero);
    }

    private static List<Long> relative(List<Long> sent) {
        return sent.stream().map(t -> t - sent.get(0)).toList();
    }

    @Test
    void aFixedMargin_neverMoves() {
        JitterMargin margin = JitterMargin.fixed(10 * MS);
        for (int i = 0; i < 200; i++) {
            assertThat(margin.record((i % 2) * 50 * MS)).isFalse();
        }
        assertThat(margin.nanos()).isEqualTo(10 * MS);
    }

    @Test
    void byDefault_steadyRoundTrips_bringTheSpacingToThePeriodPlusTwoMilliseconds() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Long> sent = run(limiter, 200, i -> 1);

        assertThat(limiter.snapshot()).singleElement()
                .satisfies(s -> assertThat(s.margin()).isEqualTo(Duration.ofMillis(2)));
        // the last 100 calls are spaced (1 s + 2 ms) / 20
        assertThat(sent.get(199) - sent.get(198)).isEqualTo(1002 * MS / 20);
        assertThat(sent.get(199) - sent.get(99)).isEqualTo(100 * (1002 * MS / 20));
        assertThat(maxInWindow(sent, 1002 * MS)).isEqualTo(20);
    }

    @Test
    void byDefault_jitteryRoundTrips_widenTheMargin_andEveryWindowOfThePeriodPlusItHoldsTheLimit() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        // every other round trip is 30 ms slower than the fastest: the median's spread is 30 ms
        List<Long> sent = run(limiter, 200, i -> i % 2 == 0 ? 1 : 31);

        assertThat(limiter.snapshot()).singleElement()
                .satisfies(s -> assertThat(s.margin()).isEqualTo(Duration.ofMillis(60)));
        assertThat(sent.get(199) - sent.get(198)).isGreaterThanOrEqualTo(1060 * MS / 20);
        assertThat(maxInWindow(sent.subList(100, 200), 1060 * MS)).isEqualTo(20);
    }

    @Test
    void aMarginTheUserSets_staysWhateverTheRoundTrips() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).safetyMargin(Duration.ofMillis(10)).build();
        List<Long> sent = run(limiter, 100, i -> 1);

        assertThat(limiter.snapshot()).singleElement()
                .satisfies(s -> assertThat(s.margin()).isEqualTo(Duration.ofMillis(10)));
        assertThat(sent.get(99) - sent.get(98)).isEqualTo(1010 * MS / 20);
    }

    @Test
    void beforeSixteenAnswers_theMarginIsTheInitialTenMilliseconds() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Long> sent = run(limiter, 15, i -> 1);
        assertThat(limiter.snapshot().get(0).margin()).isEqualTo(Duration.ofMillis(10));
        assertThat(sent.get(14) - sent.get(13)).isEqualTo(1010 * MS / 20);
    }

    /** Subscribes n DescribeRoomInfo calls at once, each answered after its round trip (ms). */
    private List<Long> run(TrtcRateLimiter limiter, int n, IntToLongFunction roundTripMs) {
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            long rtt = roundTripMs.applyAsLong(i);
            limiter.limit(KEY, "DescribeRoomInfo", permit -> {
                permit.sent();
                sentAt.add(time.now(TimeUnit.NANOSECONDS));
                return Mono.delay(Duration.ofMillis(rtt), time).doOnNext(x -> permit.answered());
            }).subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(n / 10 + 5));
        assertThat(sentAt).hasSize(n);
        return sentAt;
    }

    private static int maxInWindow(List<Long> sent, long windowNanos) {
        int max = 0;
        for (long a : sent) {
            int count = 0;
            for (long b : sent) {
                if (b > a - windowNanos && b <= a) {
                    count++;
                }
            }
            max = Math.max(max, count);
        }
        return max;
    }
}
