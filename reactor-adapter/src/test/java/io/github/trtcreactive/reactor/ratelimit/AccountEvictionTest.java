package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
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

/** The limiter forgets idle accounts, in virtual time: rotating SecretIds leave nothing behind. */
class AccountEvictionTest {

    private static final long MS = 1_000_000L;
    /** A one-second limit's window: the period plus the default 10 ms margin. */
    private static final long WINDOW = 1010 * MS;
    private static final Duration IDLE = Duration.ofMinutes(1);

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** A shared store in memory on the virtual clock: one schedule for everything, moments never given back. */
    private final class MemoryStore implements LimitStore {
        final AtomicInteger reservations = new AtomicInteger();
        long next;

        @Override
        public synchronized Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait,
                Duration holdOff) {
            reservations.incrementAndGet();
            long now = time.now(TimeUnit.NANOSECONDS);
            long moment = Math.max(next, now + holdOff.toNanos());
            next = moment + schedule.interval().toNanos();
            return Mono.just(new Reservation(key, schedule, Duration.ofNanos(moment - now), moment));
        }

        @Override
        public Mono<Void> release(Reservation reservation) {
            return Mono.empty();
        }
    }

    private TrtcRateLimiter.Builder limiter() {
        return TrtcRateLimiter.builder().scheduler(time).idleEviction(IDLE);
    }

    /** One call for each of n rotating SecretIds; counts the calls sent. */
    private static void rotate(TrtcRateLimiter limiter, int n, String action, AtomicInteger sent) {
        for (int i = 0; i < n; i++) {
            limiter.limit("AKIDrotated" + i, action, Mono.fromRunnable(sent::incrementAndGet))
                    .subscribe(v -> { }, e -> { });
        }
    }

    @Test
    void rotatingSecretIds_whenIdleForTheEvictionTime_leaveNoAccountLaneOrKeyBehind() {
        TrtcRateLimiter limiter = limiter().build();
        AtomicInteger sent = new AtomicInteger();

        rotate(limiter, 500, "DescribeRoomInfo", sent);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(sent).hasValue(500);
        assertThat(limiter.trackedAccountCount()).isEqualTo(500);
        assertThat(limiter.laneCount()).isEqualTo(500);
        assertThat(limiter.trackedKeyCount()).as("a lane key and a lane each").isEqualTo(1000);

        time.advanceTimeBy(IDLE.minusSeconds(2));
        assertThat(limiter.trackedAccountCount()).as("not yet idle for the eviction time").isEqualTo(500);

        time.advanceTimeBy(IDLE.dividedBy(4).plusSeconds(2)); // the idle time, and one sweep period
        assertThat(limiter.trackedAccountCount()).isZero();
        assertThat(limiter.laneCount()).isZero();
        assertThat(limiter.trackedKeyCount()).isZero();
        long scheduled = time.getScheduledTaskCount();
        time.advanceTimeBy(Duration.ofHours(1));
        assertThat(time.getScheduledTaskCount()).as("no sweep is scheduled while nothing is tracked")
                .isEqualTo(scheduled);
    }

    @Test
    void anAccountWithAPendingWaiter_isNotEvicted_andItsWaiterIsServed() {
        // One permit per half hour: the second call waits 30 minutes, far beyond the idle time.
        TrtcRateLimiter limiter = limiter().limit("DescribeRoomInfo",
                new RateLimit(1, Duration.ofMinutes(30), RateLimit.Basis.DOCUMENTED)).maxWait(Duration.ofHours(1))
                .build();
        List<Long> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            limiter.limit("AKIDwaiting", "DescribeRoomInfo", Mono.fromRunnable(
                    () -> sent.add(time.now(TimeUnit.NANOSECONDS)))).subscribe(v -> { }, e -> sent.add(-1L));
        }
        rotate(limiter, 10, "DismissRoom", new AtomicInteger());

        time.advanceTimeBy(Duration.ofMinutes(20));
        assertThat(sent).as("the first at once; the second still waits").containsExactly(0L);
        assertThat(limiter.trackedAccountCount()).as("only the account with a waiter is left").isEqualTo(1);
        assertThat(limiter.laneCount()).isEqualTo(1);

        time.advanceTimeBy(Duration.ofMinutes(11));
        assertThat(sent).as("the waiter got its permit on the account's schedule").hasSize(2);
        assertThat(sent.get(1)).isEqualTo(TimeUnit.MINUTES.toNanos(30) + 10 * MS);

        // Gone only once the permit's window is over and the account has been idle for the idle time.
        time.advanceTimeBy(Duration.ofMinutes(31).plus(IDLE).plus(IDLE.dividedBy(4)));
        assertThat(limiter.trackedAccountCount()).isZero();
        assertThat(limiter.trackedKeyCount()).isZero();
    }

    @Test
    void anAccountWithACallUnderWay_isNotEvicted_untilTheCallEnds() {
        TrtcRateLimiter limiter = limiter().build();
        Disposable call = limiter.limit("AKIDslow", "DescribeRoomInfo", permit -> {
            permit.sent(); // written, not answered yet: reported as the client reports its calls
            return Mono.never().doFinally(signal -> permit.answered());
        }).subscribe();

        time.advanceTimeBy(IDLE.multipliedBy(10));
        assertThat(limiter.trackedAccountCount()).isEqualTo(1);
        assertThat(limiter.laneCount()).isEqualTo(1);

        call.dispose();
        time.advanceTimeBy(IDLE.plus(IDLE.dividedBy(4)).plusSeconds(1));
        assertThat(limiter.trackedAccountCount()).isZero();
        assertThat(limiter.laneCount()).isZero();
    }

    @Test
    void anEvictedAccount_thatComesBack_isLimitedAsBefore() {
        TrtcRateLimiter limiter = limiter().build();
        StepVerifier.create(limiter.limit("AKIDback", "DescribeRoomInfo", Mono.just(1))).expectNext(1)
                .expectComplete().verify(Duration.ofSeconds(5));
        time.advanceTimeBy(IDLE.multipliedBy(2));
        assertThat(limiter.trackedAccountCount()).isZero();

        long back = time.now(TimeUnit.NANOSECONDS);
        List<Long> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 41; i++) {
            limiter.limit("AKIDback", "DescribeRoomInfo", Mono.fromRunnable(
                    () -> sent.add(time.now(TimeUnit.NANOSECONDS) - back))).subscribe(v -> { }, e -> sent.add(-1L));
        }
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(sent).hasSize(41).doesNotContain(-1L);
        assertThat(sent.get(0)).as("a fresh bucket: the first at once").isZero();
        assertThat(sent.get(40)).as("41 calls at 20 per window").isEqualTo(40 * WINDOW / 20);
        assertThat(limiter.trackedAccountCount()).isEqualTo(1);
        assertThat(limiter.laneCount()).isEqualTo(1);
    }

    @Test
    void withASharedStore_theFleetsStateIsForgottenToo_andAComingBackAccountReservesAgain() {
        MemoryStore store = new MemoryStore();
        TrtcRateLimiter limiter = limiter().store(store).build();
        AtomicInteger sent = new AtomicInteger();

        rotate(limiter, 200, "DescribeRoomInfo", sent);
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(sent).hasValue(200);
        assertThat(store.reservations).hasValue(200);
        assertThat(limiter.trackedKeyCount()).as("lane keys, lanes, terms and reserved moments")
                .isEqualTo(4 * 200);

        time.advanceTimeBy(IDLE.plus(IDLE.dividedBy(4)));
        assertThat(limiter.trackedAccountCount()).isZero();
        assertThat(limiter.trackedKeyCount()).isZero();

        rotate(limiter, 1, "DescribeRoomInfo", sent);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(sent).hasValue(201);
        assertThat(store.reservations).as("the account asked the fleet again").hasValue(201);
    }

    @Test
    void fleetTurns_keepAKeyWhoseReservedMomentIsLessThanAWindowOld() {
        MemoryStore store = new MemoryStore();
        FleetTurns fleet = new FleetTurns(store, time, Duration.ofSeconds(1), Duration.ofSeconds(1),
                TrtcRateLimiter.StoreFailure.LOCAL_SHARE, RateLimitListener.NONE, 0.25);
        LimitStore.LimitSchedule schedule = new LimitStore.LimitSchedule(Duration.ofMinutes(1), 1,
                Duration.ofMinutes(2));
        FleetTurns.Terms terms = new FleetTurns.Terms(schedule, TimeUnit.MINUTES.toNanos(1), share -> null);
        for (int i = 0; i < 2; i++) { // the second moment is a minute away
            fleet.turn("k", "a", "DescribeRoomInfo", CallPriority.INTERACTIVE, Duration.ofMinutes(5), terms)
                    .subscribe();
        }
        time.advanceTimeBy(Duration.ofSeconds(1));
        long window = terms.windowNanos();

        assertThat(fleet.forget("k", time.now(TimeUnit.NANOSECONDS), window)).isFalse();
        assertThat(fleet.trackedKeyCount()).isEqualTo(1);
        time.advanceTimeBy(Duration.ofMinutes(2));
        assertThat(fleet.forget("k", time.now(TimeUnit.NANOSECONDS), window)).isTrue();
        assertThat(fleet.trackedKeyCount()).isZero();
    }

    @Test
    void aCallEnteringAsTheSweepForgetsItsAccount_keepsTheFleetsStateOrEntersAFreshAccount() {
        int actions = 32; // many keys, so forgetting them takes a while
        for (int round = 0; round < 3_000; round++) {
            time.dispose();
            time = VirtualTimeScheduler.create();
            FleetTurns fleet = new FleetTurns(new MemoryStore(), time, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    TrtcRateLimiter.StoreFailure.LOCAL_SHARE, RateLimitListener.NONE, 0.25);
            AccountRegistry registry = new AccountRegistry(time, IDLE.toNanos(), fleet);
            AccountRegistry.Account account = registry.enter("AKIDraced");
            FleetTurns.Terms terms = new FleetTurns.Terms(new LimitStore.LimitSchedule(Duration.ofMillis(1), 1,
                    Duration.ofSeconds(2)), TimeUnit.SECONDS.toNanos(1), share -> null);
            for (int a = 0; a < actions; a++) { // a background line and a reserved moment per key
                String key = account.key("Describe" + a);
                account.terms.put(key, terms);
                fleet.turn(key, account.name, "Describe" + a, CallPriority.BACKGROUND, Duration.ofMinutes(1), terms)
                        .subscribe();
            }
            time.advanceTimeBy(Duration.ofSeconds(1));
            registry.leave(account);
            time.advanceTimeBy(IDLE); // idle now; the sweeps so far (every 15 s from 0) came a second too early
            assertThat(fleet.trackedKeyCount()).isEqualTo(actions);
            AtomicReference<AccountRegistry.Account> entered = new AtomicReference<>();

            Races.race(registry::sweep, () -> entered.set(registry.enter("AKIDraced")));

            boolean same = entered.get() == account;
            assertThat(fleet.trackedKeyCount())
                    .as("round %d: the fleet's state is kept for a call in the account, forgotten with it", round)
                    .isEqualTo(same ? actions : 0);
            assertThat(registry.accountCount()).isEqualTo(1);
        }
    }
}
