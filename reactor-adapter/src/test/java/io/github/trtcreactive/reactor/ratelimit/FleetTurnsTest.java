package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The limiter with a shared store, in virtual time: its turns, and what it does when the store fails. */
class FleetTurnsTest {

    private static final String KEY = "AKIDfleet";
    private static final long MS = 1_000_000L;

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** A shared store in memory, on the virtual clock, that four processes share and that can fail. */
    private final class FakeStore implements LimitStore {
        volatile boolean down;
        volatile String failure = "store down";
        final AtomicInteger reservations = new AtomicInteger();
        long tat;

        @Override
        public synchronized Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait,
                Duration holdOff) {
            if (down) {
                return Mono.error(new IllegalStateException(failure));
            }
            reservations.incrementAndGet();
            long now = time.now(TimeUnit.NANOSECONDS);
            long base = Math.max(tat, now + holdOff.toNanos());
            if (base - now > maxWait.toNanos()) {
                return Mono.empty(); // beyond the maximum wait: nothing reserved
            }
            tat = base + schedule.interval().toNanos();
            return Mono.just(new Reservation(key, schedule, Duration.ofNanos(base - now), tat));
        }

        @Override
        public Mono<Void> release(Reservation reservation) {
            return Mono.empty();
        }

        @Override
        public int fleetSize(String account) {
            return 4;
        }
    }

    private List<Long> fire(TrtcRateLimiter limiter, int n) {
        List<Long> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            limiter.limit(KEY, "DescribeRoomInfo", Mono.fromRunnable(() -> sent.add(time.now(TimeUnit.NANOSECONDS))))
                    .subscribe(v -> { }, e -> sent.add(-1L));
        }
        return sent;
    }

    @Test
    void aSharedStore_setsTheTurns_withTheFleetsWiderMargin() {
        FakeStore store = new FakeStore();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store).build();

        List<Long> sent = fire(limiter, 5);
        time.advanceTimeBy(Duration.ofSeconds(2));

        long interval = 1040 * MS / 20; // one second plus the 40 ms fleet margin, over 20 permits
        assertThat(sent).containsExactly(0L, interval, 2 * interval, 3 * interval, 4 * interval);
        assertThat(store.reservations).hasValue(5);
    }

    @Test
    void whenTheStoreFails_callsGoOnAtTheProcessesShare_andTheListenerHearsBothTransitions() {
        FakeStore store = new FakeStore();
        List<String> heard = new CopyOnWriteArrayList<>();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store)
                .listener(new RateLimitListener() {
                    @Override
                    public void onStoreUnavailable(Throwable cause) {
                        heard.add("unavailable");
                    }

                    @Override
                    public void onStoreRestored() {
                        heard.add("restored");
                    }
                }).build();
        store.down = true;

        List<Long> sent = fire(limiter, 4);
        time.advanceTimeBy(Duration.ofSeconds(3));

        long shareInterval = 1040 * MS / 5; // a fleet of four: 20 / 4 = 5 per second each
        assertThat(sent).hasSize(4);
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i) - sent.get(i - 1)).isGreaterThanOrEqualTo(shareInterval);
        }
        assertThat(heard).containsExactly("unavailable");

        store.down = false;
        time.advanceTimeBy(Duration.ofSeconds(2));
        List<Long> after = fire(limiter, 1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(heard).containsExactly("unavailable", "restored");
        assertThat(after).as("rejoining at 5 s holds the fleet off for a window").containsExactly(5040 * MS + 1000 * MS);
    }

    /** What the limiter logs while {@code run} runs. */
    private static String logOf(Runnable run) {
        return StandardError.during(run);
    }

    @Test
    void aStoreThatFailsAndAnswersAgain_isLoggedOncePerSwitch_neverPerCall_andNeverWithTheFailuresMessage() {
        FakeStore store = new FakeStore();
        store.failure = "cannot reach redis://:hunter2-secret@redis:6379";
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store).build();

        String log = logOf(() -> {
            store.down = true;
            fire(limiter, 10); // two seconds at the share: the store is asked again every second, and fails
            time.advanceTimeBy(Duration.ofSeconds(5));
            store.down = false;
            fire(limiter, 10);
            time.advanceTimeBy(Duration.ofSeconds(5));
            store.down = true;
            fire(limiter, 10);
            time.advanceTimeBy(Duration.ofSeconds(5));
        });

        String warning = "WARN io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter - The shared rate-limit store"
                + " (FakeStore) failed (IllegalStateException): counting locally at this process's share of the"
                + " limit until it answers again";
        String back = "INFO io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter - The shared rate-limit store"
                + " (FakeStore) answers again: counting there again";
        assertThat(log.lines().filter(line -> line.contains("rate-limit store"))
                .map(line -> line.substring(line.indexOf("] ") + 2))).containsExactly(warning, back, warning);
        assertThat(log).doesNotContain("hunter2");
    }

    @Test
    void theFailPolicy_saysCallsAreRefused_once() {
        FakeStore store = new FakeStore();
        store.down = true;
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store)
                .storeFailure(TrtcRateLimiter.StoreFailure.FAIL).build();

        String log = logOf(() -> {
            fire(limiter, 5);
            time.advanceTimeBy(Duration.ofSeconds(3));
        });

        assertThat(log.lines().filter(line -> line.contains("rate-limit store"))).singleElement().asString()
                .endsWith("The shared rate-limit store (FakeStore) failed (IllegalStateException): refusing calls"
                        + " (store-failure policy FAIL) until it answers again");
    }

    @Test
    void theFailPolicy_refusesCallsWhileTheStoreIsDown() {
        FakeStore store = new FakeStore();
        store.down = true;
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store)
                .storeFailure(TrtcRateLimiter.StoreFailure.FAIL).build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        limiter.limit(KEY, "DescribeRoomInfo", Mono.just(1)).subscribe(v -> { }, errors::add);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(errors).singleElement().isInstanceOf(TrtcRateLimitException.class);
    }

    /** A call whose connection comes after {@code connect}: it waits for its permit's gate, then writes. */
    private Mono<Long> callWithConnectionAfter(Permit permit, Duration connect) {
        return Mono.delay(connect, time).then(permit.whenWritable()).then(Mono.fromCallable(() -> {
            permit.sent();
            return time.now(TimeUnit.NANOSECONDS);
        }));
    }

    @Test
    void aRequestWhoseConnectionComesLateAfterItsMoment_waitsForANewTurnBeforeWriting() {
        FakeStore store = new FakeStore();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store).build();
        List<Long> written = new CopyOnWriteArrayList<>();

        // The connection comes 30 ms after the moment: more than half the 40 ms margin.
        limiter.limit(KEY, "DescribeRoomInfo", permit -> callWithConnectionAfter(permit, Duration.ofMillis(30)))
                .subscribe(written::add);
        time.advanceTimeBy(Duration.ofSeconds(1));

        long interval = 1040 * MS / 20;
        assertThat(store.reservations).as("a second turn").hasValue(2);
        assertThat(written).as("written at the second turn's moment").containsExactly(interval);
    }

    @Test
    void aProcessWhoseTimersAllFireLate_failsTheCallAfterTenTurns_withoutWritingIt() {
        FakeStore store = new FakeStore();
        // Every timer of this limiter fires 25 ms late, as in a starved process.
        TrtcRateLimiter limiter = TrtcRateLimiter.builder()
                .scheduler(new LateTimers(time, Duration.ofMillis(25), Long.MAX_VALUE))
                .store(store).build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger written = new AtomicInteger();

        limiter.limit(KEY, "DescribeRoomInfo", permit -> callWithConnectionAfter(permit, Duration.ofMillis(25))
                        .doOnNext(t -> written.incrementAndGet()))
                .subscribe(v -> { }, errors::add);
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(written).hasValue(0);
        assertThat(store.reservations).hasValue(10);
        assertThat(errors).singleElement().isInstanceOf(TrtcRateLimitException.class)
                .extracting(Throwable::getMessage).asString().contains("came 5 ms late 10 times");
    }

    @Test
    void aProcessBusyForAMoment_writesItsCallAtALaterTurn_insteadOfFailingIt() {
        FakeStore store = new FakeStore();
        // Timers set in the first 150 ms fire 25 ms late (a collection, a loaded machine), later ones on time.
        TrtcRateLimiter limiter = TrtcRateLimiter.builder()
                .scheduler(new LateTimers(time, Duration.ofMillis(25), 150 * MS)).store(store).build();
        List<Long> written = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        limiter.limit(KEY, "DescribeRoomInfo", permit -> callWithConnectionAfter(permit, Duration.ofMillis(25)))
                .subscribe(written::add, errors::add);
        time.advanceTimeBy(Duration.ofSeconds(2));

        long interval = 1040 * MS / 20;
        assertThat(errors).isEmpty();
        assertThat(store.reservations).as("the late turns, then one on time").hasValue(5);
        assertThat(written).as("written at the fifth turn's moment").containsExactly(4 * interval);
    }

    @Test
    void aLateTurnIsTakenAgain_onlyWithinWhatIsLeftOfTheCallsPermitWait() {
        FakeStore store = new FakeStore();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder()
                .scheduler(new LateTimers(time, Duration.ofMillis(25), Long.MAX_VALUE))
                .store(store).build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger written = new AtomicInteger();

        limiter.limit(KEY, "DescribeRoomInfo", CallPriority.INTERACTIVE, Duration.ofMillis(150),
                        permit -> callWithConnectionAfter(permit, Duration.ofMillis(25))
                                .doOnNext(t -> written.incrementAndGet()))
                .subscribe(v -> { }, errors::add);
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(written).hasValue(0);
        assertThat(store.reservations).as("turns within 150 ms, 52 ms apart").hasValueBetween(2, 4);
        assertThat(errors).singleElement().isInstanceOf(TrtcRateLimitException.class)
                .extracting(Throwable::getMessage).asString().contains("beyond the maximum wait");
    }

    /** A scheduler whose delayed tasks set before a moment ({@code busyUntil}, nanoseconds) run a fixed time late. */
    private record LateTimers(VirtualTimeScheduler delegate, Duration lateness, long busyUntil)
            implements reactor.core.scheduler.Scheduler {
        @Override
        public reactor.core.Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public reactor.core.Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            long late = delegate.now(TimeUnit.NANOSECONDS) < busyUntil ? lateness.toNanos() : 0;
            return delegate.schedule(task, unit.toNanos(delay) + late, TimeUnit.NANOSECONDS);
        }

        @Override
        public long now(TimeUnit unit) {
            return delegate.now(unit);
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }

    @Test
    void withoutASharedStore_aLateWriteIsStillWritten() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        AtomicInteger written = new AtomicInteger();

        limiter.limit(KEY, "DescribeRoomInfo", permit -> Mono.delay(Duration.ofMillis(500), time)
                .doOnNext(t -> {
                    permit.sent();
                    written.incrementAndGet();
                })).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(written).hasValue(1);
    }

    /** A store that tells background calls to ask again later until a moment, answering each ask after 1 ms. */
    private final class BusyStore implements LimitStore {
        final AtomicInteger backgroundAsks = new AtomicInteger();
        final AtomicInteger asking = new AtomicInteger();
        final AtomicInteger mostAskingAtOnce = new AtomicInteger();
        volatile long freeAt;

        @Override
        public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
            return Mono.just(new Reservation(key, schedule, Duration.ZERO, 0));
        }

        @Override
        public Mono<Answer> reserve(LimitKey key, LimitSchedule schedule, CallPriority priority, double share,
                Duration maxWait, Duration holdOff) {
            if (priority == CallPriority.INTERACTIVE) {
                return reserve(key, schedule, maxWait, holdOff).map(Answer::reserved);
            }
            return Mono.defer(() -> {
                backgroundAsks.incrementAndGet();
                mostAskingAtOnce.accumulateAndGet(asking.incrementAndGet(), Math::max);
                return Mono.delay(Duration.ofMillis(1), time).map(t -> {
                    asking.decrementAndGet();
                    return time.now(TimeUnit.NANOSECONDS) < freeAt ? Answer.later(Duration.ofMillis(100))
                            : Answer.reserved(new Reservation(key, schedule, Duration.ZERO, 0));
                });
            });
        }

        @Override
        public Mono<Void> release(Reservation reservation) {
            return Mono.empty();
        }
    }

    @Test
    void backgroundCallsOfOneKey_askTheStoreOneAtATime_andAskAgainWhenItSays() {
        BusyStore store = new BusyStore();
        store.freeAt = 1000 * MS;
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store).build();
        List<Long> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            limiter.limit(KEY, "DescribeRoomInfo", CallPriority.BACKGROUND, null,
                    permit -> Mono.fromRunnable(() -> sent.add(time.now(TimeUnit.NANOSECONDS))))
                    .subscribe(v -> { }, e -> sent.add(-1L));
        }
        time.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(sent).hasSize(5).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(1000 * MS));
        assertThat(store.mostAskingAtOnce).as("background asks at once").hasValue(1);
        // The head asked about every 100 ms for a second, then each of the five once more.
        assertThat(store.backgroundAsks.get()).isBetween(12, 18);
    }

    @Test
    void aBackgroundCallTheStoreKeepsPutOff_failsAtItsMaximumWait_havingAskedABoundedNumberOfTimes() {
        BusyStore store = new BusyStore();
        store.freeAt = Long.MAX_VALUE;
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store).build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            limiter.limit(KEY, "DescribeRoomInfo", CallPriority.BACKGROUND, Duration.ofMillis(500),
                    permit -> Mono.empty()).subscribe(v -> { }, errors::add);
        }
        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(TrtcRateLimitException.class)
                .hasMessageContaining("maximum wait"));
        assertThat(store.backgroundAsks.get()).as("asks in 500 ms, every 100 ms, one caller at a time, each within its own wait")
                .isBetween(5, 7);
    }
}
