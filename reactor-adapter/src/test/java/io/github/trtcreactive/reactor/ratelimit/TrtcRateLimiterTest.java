package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The limiter in virtual time: every timing below is exact, and the tests take milliseconds. */
class TrtcRateLimiterTest {

    private static final String KEY = "AKIDlimiter";
    private static final long MS = 1_000_000L;
    /** A one-second limit's window: the period plus the default 10 ms margin. */
    private static final long WINDOW = 1010 * MS;
    private static final double RATE = 20 / 1.010;

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** Subscribes n calls in order and records when each one is sent, in virtual nanoseconds. */
    private List<long[]> fire(TrtcRateLimiter limiter, String action, int n, List<Disposable> handles) {
        List<long[]> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            handles.add(limiter.limit(KEY, action, Mono.fromCallable(() -> {
                sent.add(new long[] {index, time.now(TimeUnit.NANOSECONDS)});
                return index;
            })).subscribe(v -> { }, e -> sent.add(new long[] {index, -1})));
        }
        return sent;
    }

    private static int maxInWindow(List<long[]> sent, long windowNanos) {
        int max = 0;
        for (long[] a : sent) {
            int count = 0;
            for (long[] b : sent) {
                if (b[1] > a[1] - windowNanos && b[1] <= a[1]) {
                    count++;
                }
            }
            max = Math.max(max, count);
        }
        return max;
    }

    @Test
    void hundredCalls_atTwentyPerSecond_takeFiveSeconds_inOrder_neverTwentyOneInAnySecond() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<long[]> sent = fire(limiter, "DescribeCloudRecording", 100, new ArrayList<>());

        time.advanceTimeBy(Duration.ofSeconds(4));
        assertThat(sent).hasSizeLessThan(100);
        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(sent).hasSize(100);
        assertThat(sent).extracting(s -> s[0]).isSorted();
        long interval = WINDOW / 20;
        assertThat((double) sent.get(99)[1]).isCloseTo(5_000 * MS, within((double) interval));
        assertThat(sent.get(1)[1] - sent.get(0)[1]).isEqualTo(interval);
        assertThat(maxInWindow(sent, 1000 * MS)).isEqualTo(20);
        assertThat(maxInWindow(sent, WINDOW)).isEqualTo(20);
    }

    @Test
    void cancelledWaiters_giveTheirPermitsToTheNext() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Disposable> handles = new ArrayList<>();
        List<long[]> sent = fire(limiter, "DescribeCloudRecording", 10, handles);
        assertThat(limiter.snapshot()).singleElement().satisfies(s -> assertThat(s.queued()).isEqualTo(9));

        for (int i = 3; i <= 7; i++) {
            handles.get(i).dispose();
        }
        assertThat(limiter.snapshot()).singleElement().satisfies(s -> assertThat(s.queued()).isEqualTo(4));
        time.advanceTimeBy(Duration.ofSeconds(2));

        long interval = WINDOW / 20;
        assertThat(sent).extracting(s -> s[0]).containsExactly(0L, 1L, 2L, 8L, 9L);
        assertThat(sent.get(3)[1]).isEqualTo(3 * interval);
        assertThat(sent.get(4)[1]).isEqualTo(4 * interval);
    }

    @Test
    void waitsBeyondTheBounds_failAtOnce_namingTheActionAndTheDelay() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).maxWait(Duration.ofSeconds(1)).build();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        for (int i = 0; i < 20; i++) {
            limiter.limit(KEY, "DescribeCloudRecording", Mono.just(i)).subscribe(v -> { }, refused::set);
        }
        assertThat(refused.get()).isNull();

        limiter.limit(KEY, "DescribeCloudRecording", Mono.just(20)).subscribe(v -> { }, refused::set);

        assertThat(refused.get()).isInstanceOfSatisfying(TrtcRateLimitException.class, e -> {
            assertThat(e.action()).isEqualTo("DescribeCloudRecording");
            assertThat(e.neededWait()).isEqualTo(Duration.ofMillis(1010));
            assertThat(e).hasMessageContaining("DescribeCloudRecording").hasMessageContaining("1010 ms");
        });

        TrtcRateLimiter small = TrtcRateLimiter.builder().scheduler(time).maxQueue(5).build();
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            small.limit(KEY, "RemoveUser", Mono.just(i)).subscribe(v -> { }, e -> failures.incrementAndGet());
        }
        assertThat(failures).hasValue(2);
    }

    @Test
    void usageActions_fivePerSecond_roomUsage_onceEveryFifteenSeconds() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).maxWait(Duration.ofMinutes(1)).build();
        List<long[]> usage = fire(limiter, "DescribeTrtcUsage", 10, new ArrayList<>());
        List<long[]> rooms = fire(limiter, "DescribeTrtcRoomUsage", 3, new ArrayList<>());

        time.advanceTimeBy(Duration.ofSeconds(31));

        assertThat(usage.get(9)[1]).isEqualTo(9 * (WINDOW / 5));
        assertThat(rooms).extracting(s -> s[1]).containsExactly(0L, 15_010 * MS, 30_020 * MS);
    }

    @Test
    void burst_goesAtOnce_andTheSustainedRateKeepsEveryWindowWithinTheLimit() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).burst(5).build();
        List<long[]> sent = fire(limiter, "DescribeCloudRecording", 60, new ArrayList<>());

        time.advanceTimeBy(Duration.ZERO);
        assertThat(sent).hasSize(5);
        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(sent).hasSize(60);
        assertThat(maxInWindow(sent, WINDOW)).isLessThanOrEqualTo(20);
    }

    @Test
    void throttled_slowsDown_resendsTheCall_andRecovers() {
        List<Double> rates = new CopyOnWriteArrayList<>();
        RateLimitListener listener = new RateLimitListener() {
            @Override
            public void onThrottled(String action, double ratePerSecond) {
                rates.add(ratePerSecond);
            }
        };
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).listener(listener)
                .recovery(Duration.ofSeconds(10)).build();
        AtomicInteger attempts = new AtomicInteger();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        Mono<String> sharedAccount = Mono.defer(() -> {
            sentAt.add(time.now(TimeUnit.NANOSECONDS));
            return attempts.incrementAndGet() == 1
                    ? Mono.error(new TrtcServiceException("DescribeCloudRecording", "RequestLimitExceeded",
                            "Your current request times equals to `21` in a second, which exceeds the frequency limit "
                                    + "`20` for a second.", "r1", 200))
                    : Mono.just("ok");
        });
        AtomicReference<String> result = new AtomicReference<>();

        limiter.limit(KEY, "DescribeCloudRecording", sharedAccount).subscribe(result::set);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(result.get()).isEqualTo("ok");
        assertThat(rates).singleElement().satisfies(r -> assertThat(r).isCloseTo(RATE / 2, within(0.01)));
        assertThat(sentAt.get(1) - sentAt.get(0)).isEqualTo(WINDOW / 10);
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(limiter.snapshot().get(0).ratePerSecond()).isCloseTo(RATE * 0.8, within(0.05));
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(limiter.snapshot().get(0).ratePerSecond()).isCloseTo(RATE, within(0.01));
    }

    @Test
    void throttled_withALowerStatedLimit_adoptsIt_andGivesUpAfterTheRetries() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).throttleRetries(2).build();
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> alwaysRefused = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new TrtcServiceException("RemoveUser", "RequestLimitExceeded.UinLimitExceeded",
                    "exceeds the frequency limit `10` for a second", "r", 200));
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();

        limiter.limit(KEY, "RemoveUser", alwaysRefused).subscribe(v -> { }, failure::set);
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(attempts).hasValue(3);
        assertThat(failure.get()).isInstanceOf(TrtcServiceException.class);
        assertThat(limiter.snapshot().get(0).permits()).isEqualTo(10);
    }

    @Test
    void otherErrors_areNotRetried_andOverridesAndDisablingWork() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time)
                .limit("DismissRoom", new RateLimit(2, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED)).build();
        AtomicInteger attempts = new AtomicInteger();
        limiter.limit(KEY, "DismissRoom", Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new IllegalStateException("boom"));
        })).subscribe(v -> { }, e -> { });
        assertThat(attempts).hasValue(1);

        List<long[]> sent = fire(limiter, "DismissRoom", 3, new ArrayList<>());
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(sent.get(2)[1] - sent.get(1)[1]).isEqualTo(WINDOW / 2);

        List<long[]> free = fire(TrtcRateLimiter.disabled(), "DismissRoom", 50, new ArrayList<>());
        assertThat(free).hasSize(50).allSatisfy(s -> assertThat(s[1]).isEqualTo(time.now(TimeUnit.NANOSECONDS)));
    }

    @Test
    void tenThousandWaitingCalls_addNoThreads() {
        TrtcRateLimiter limiter = TrtcRateLimiter.create(); // real time, Schedulers.parallel()
        limiter.limit(KEY, "DescribeCloudRecording", Mono.just(0)).block(Duration.ofSeconds(5));
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Disposable> waiting = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            // Background calls may wait ten minutes (interactive ones 30 s): all 10,000 queue.
            waiting.add(limiter.limit(KEY, "DescribeCloudRecording", CallPriority.BACKGROUND, null,
                    permit -> Mono.just(n)).subscribe());
        }
        int during = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(limiter.snapshot().get(0).queued()).isGreaterThan(9_990);
        assertThat(during - before).isLessThanOrEqualTo(2);
        waiting.forEach(Disposable::dispose);
        assertThat(limiter.snapshot().get(0).queued()).isZero();
    }

    @Test
    void aSlowAnswer_delaysThePermitOneWindowLater_byItsExtraRoundTrip() {
        // ms; the second call may have reached the service 200 ms late
        List<Long> sentAt = sendTwoPerSecond(1, 201, 1, 1);

        long interval = WINDOW / 2;
        assertThat(sentAt).containsExactly(0L, interval, 2 * interval,
                // the second call's answer came at interval + 201 ms; the service counted it at most
                // one smallest round trip (1 ms) before that, so the fourth waits a window after it
                interval + 200 * MS + WINDOW);
    }

    @Test
    void aColdFirstRoundTrip_isReassessedOnceFasterOnesAreSeen() {
        // The first call's round trip is slow (a cold start): answered at 150 ms, when 150 ms is the
        // smallest round trip known, it seemed counted when written. The second call shows a round
        // trip of 1 ms, so the first may have been counted as late as 149 ms.
        List<Long> sentAt = sendTwoPerSecond(150, 1, 1);

        long interval = WINDOW / 2;
        // not at 2 * interval (= one window after the first write): a window after 149 ms
        assertThat(sentAt).containsExactly(0L, interval, 149 * MS + WINDOW);
    }

    @Test
    void slowReplies_countNoLaterThanTheWritePlusTheOneWayDelay_soTheLimitIsNotAConcurrencyLimit() {
        // A fast call first (smallest round trip 10 ms), then 21 calls whose replies take 2.5 s each.
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        limiter.limit(KEY, "DescribeRoomInfo", permit -> {
            permit.sent();
            return Mono.delay(Duration.ofMillis(10), time).doOnNext(x -> permit.answered());
        }).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(2));
        long start = time.now(TimeUnit.NANOSECONDS);
        for (int i = 0; i < 21; i++) {
            limiter.limit(KEY, "DescribeRoomInfo", permit -> {
                permit.sent();
                sentAt.add(time.now(TimeUnit.NANOSECONDS) - start);
                return Mono.delay(Duration.ofMillis(2500), time).doOnNext(x -> permit.answered());
            }).subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(sentAt).hasSize(21);
        // The 21st waits a window after the first of the 20 before it, counted at most 200 ms after
        // its write; counting unanswered calls as used "now" sent it only after the first reply (3.5 s).
        assertThat(sentAt.get(20)).isEqualTo(200 * MS + WINDOW);
    }

    @Test
    void refusalsOfCallsInFlightTogether_slowTheBucketOnce_andAStatedLimitNeedsToPersist() {
        List<Double> rates = new CopyOnWriteArrayList<>();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).recovery(Duration.ofSeconds(30))
                .listener(new RateLimitListener() {
                    @Override
                    public void onThrottled(String action, double ratePerSecond) {
                        rates.add(ratePerSecond);
                    }
                }).build();
        AtomicInteger attempts = new AtomicInteger();
        // The first attempt of each of ten calls is refused, stating a limit of 10 once.
        for (int i = 0; i < 10; i++) {
            AtomicInteger mine = new AtomicInteger();
            limiter.limit(KEY, "DescribeCloudRecording", Mono.defer(() -> {
                attempts.incrementAndGet();
                // Refused 600 ms after sending: all ten were granted before the first refusal arrived.
                return mine.incrementAndGet() == 1
                        ? Mono.delay(Duration.ofMillis(600), time).then(Mono.error(new TrtcServiceException(
                                "DescribeCloudRecording", "RequestLimitExceeded",
                                "exceeds the frequency limit `10` for a second", "r", 200)))
                        : Mono.just("ok");
            })).subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(attempts).hasValue(20);
        assertThat(rates).as("ten refusals of calls granted before the decrease: one decrease").singleElement()
                .satisfies(r -> assertThat(r).isCloseTo(RATE / 2, within(0.01)));
        assertThat(limiter.snapshot().get(0).permits()).as("a limit stated once is not adopted").isEqualTo(20);
    }

    @Test
    void anAccount_sharesOneBudgetAcrossSecretIds_andQuietLanesAreForgotten() {
        TrtcRateLimiter shared = TrtcRateLimiter.builder().scheduler(time).account("acme")
                .idleEviction(Duration.ofMinutes(1)).build();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 40; i++) {
            String rotatingSecretId = "AKIDtemporary" + i; // temporary credentials: a new SecretId each time
            shared.limit(rotatingSecretId, "DescribeRoomInfo", Mono.fromRunnable(
                    () -> sentAt.add(time.now(TimeUnit.NANOSECONDS)))).subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(shared.laneCount()).isEqualTo(1);
        assertThat(sentAt).hasSize(40);
        assertThat(sentAt.get(39)).as("40 calls of one account at 20/s").isEqualTo(39 * WINDOW / 20);

        time.advanceTimeBy(Duration.ofMinutes(2));
        StepVerifier.create(shared.limit("AKIDnew", "DismissRoom", Mono.just(1))).expectNext(1).expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(shared.laneCount()).as("the quiet DescribeRoomInfo lane was forgotten").isEqualTo(1);
        StepVerifier.create(shared.limit("AKIDnewer", "DescribeRoomInfo", Mono.just(2))).expectNext(2)
                .expectComplete().verify(Duration.ofSeconds(5));
        assertThat(shared.laneCount()).isEqualTo(2);
    }

    /**
     * Calls at two per second with the given round trips (ms), all subscribed at once, and lets
     * virtual time run until all are answered.
     *
     * @return when each call was written, in virtual nanoseconds
     */
    private List<Long> sendTwoPerSecond(long... roundTrips) {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time)
                .limit("DismissRoom", new RateLimit(2, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED)).build();
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        for (long rtt : roundTrips) {
            limiter.limit(KEY, "DismissRoom", permit -> {
                permit.sent();
                sentAt.add(time.now(TimeUnit.NANOSECONDS));
                return Mono.delay(Duration.ofMillis(rtt), time).doOnNext(x -> permit.answered());
            }).subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(roundTrips.length + 1));
        return sentAt;
    }
}
