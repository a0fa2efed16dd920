package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import io.github.trtcreactive.reactor.ratelimit.LimitStore;
import io.github.trtcreactive.reactor.ratelimit.LimitStore.LimitKey;
import io.github.trtcreactive.reactor.ratelimit.LimitStore.LimitSchedule;
import io.github.trtcreactive.reactor.ratelimit.LimitStore.Reservation;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The store against a real Redis server: shared schedules, give-backs, and a fleet on the emulator. */
class RedisLimitStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final LimitSchedule TWENTY_A_SECOND = new LimitSchedule(Duration.ofNanos(50_500_000), 1,
            Duration.ofMinutes(1));

    private RedisProcess redis;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        redis.close();
    }

    private static ObjectNode roomInfo(TrtcEmulator emulator) {
        long now = Instant.now().getEpochSecond();
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
    }

    /**
     * Three clients, each with its own limiter and store on the shared Redis, as three processes
     * would have, each warmed up by one call: a cold JVM writes its first requests tens of
     * milliseconds after their moments, later than any margin, which the fleet's schedule cannot see.
     */
    private List<TrtcAsyncClient> warmFleet(TrtcEmulator emulator, RateLimitListener listener) {
        List<TrtcAsyncClient> fleet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(store()).listener(listener).build();
            TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(emulator.credentials())
                    .endpoint(emulator.uri()).region("ap-singapore").rateLimiter(limiter)
                    .retryPolicy(RetryPolicy.none()).build();
            closing.add(client);
            fleet.add(client);
            client.call("DescribeRoomInfo", roomInfo(emulator)).block(WAIT);
        }
        return fleet;
    }

    private RedisLimitStore store() {
        RedisLimitStore store = RedisLimitStore.connect(redis.uri());
        closing.add(store);
        return store;
    }

    @Test
    void reservations_fromTwoProcesses_followOneScheduleOnRedisTime() {
        RedisLimitStore a = store();
        RedisLimitStore b = store();
        LimitKey key = new LimitKey("acct-1", "DescribeRoomInfo");
        List<Reservation> reserved = new ArrayList<>();
        List<Long> earliest = new ArrayList<>();
        List<Long> latest = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RedisLimitStore store = i % 2 == 0 ? a : b;
            long before = System.nanoTime();
            Reservation r = store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT);
            long after = System.nanoTime();
            reserved.add(r);
            // The delay counts from the moment the answer arrived, somewhere between before and after.
            earliest.add(before + r.delay().toNanos());
            latest.add(after + r.delay().toNanos());
        }

        for (int i = 1; i < reserved.size(); i++) {
            long spacing = reserved.get(i).token() - reserved.get(i - 1).token();
            // Redis's schedule: a moment one spacing after the last, or later when that had already passed.
            assertThat(spacing).as("spacing of moment %d on Redis's clock, us", i).isGreaterThanOrEqualTo(50_500L);
            if (reserved.get(i).delay().toNanos() > 1_000_000L) {
                assertThat(spacing).as("a moment still ahead follows the last by one spacing exactly, us")
                        .isEqualTo(50_500L);
            }
            // The same schedule placed on this process's clock, whichever process reserved it: at most the
            // clock estimate's error from the spacing on Redis's clock (the estimate improves as faster round
            // trips come, a few milliseconds at first on a loaded machine).
            assertThat(latest.get(i) - earliest.get(i - 1)).as("gap before reservation %d on this clock, ns", i)
                    .isGreaterThan(spacing * 1000 - 10_000_000L);
            if (reserved.get(i).delay().toNanos() > 0 && reserved.get(i - 1).delay().toNanos() > 0) {
                assertThat(earliest.get(i) - latest.get(i - 1)).as("gap before reservation %d on this clock, ns", i)
                        .isLessThan(spacing * 1000 + 10_000_000L);
            }
        }
    }

    @Test
    void theLatestReservation_canBeGivenBack_andAMomentBeyondTheMaximumWaitIsNotReserved() {
        RedisLimitStore store = store();
        LimitKey key = new LimitKey("acct-2", "DismissRoom");
        store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT);
        Reservation second = store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT);
        store.release(second).block(WAIT);
        Reservation again = store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT);
        assertThat(again.token()).as("the given-back moment is reserved again").isEqualTo(second.token());

        for (int i = 0; i < 5; i++) {
            store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT);
        }
        StepVerifier.create(store.reserve(key, TWENTY_A_SECOND, Duration.ofMillis(100), Duration.ZERO))
                .as("about 300 ms away: beyond 100 ms").expectComplete().verify(WAIT);
        assertThat(store.reserve(key, TWENTY_A_SECOND, Duration.ofMinutes(1), Duration.ZERO).block(WAIT).token())
                .as("nothing was reserved by the refused call").isEqualTo(again.token() + 6 * 50_500L);
    }

    @Test
    void threeLimitersSharingOneRedis_stayInsideTheAccountsLimitOnTheEmulator() {
        TrtcEmulator emulator = TrtcEmulator.builder().start();
        closing.add(emulator);
        List<TrtcAsyncClient> fleet = new ArrayList<>();
        List<Throwable> storeFailures = new CopyOnWriteArrayList<>();
        RateLimitListener watch = new RateLimitListener() {
            @Override
            public void onStoreUnavailable(Throwable cause) {
                storeFailures.add(cause);
            }
        };
        fleet.addAll(warmFleet(emulator, watch));
        ObjectNode body = roomInfo(emulator);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        LockSupport.parkNanos(1_100_000_000L); // a window after the warm-up calls
        emulator.clearRequests();
        long started = System.nanoTime();

        Flux.fromIterable(fleet)
                .flatMap(client -> Flux.range(0, 30).flatMap(i -> client.call("DescribeRoomInfo", body)
                        .doOnError(failures::add).onErrorComplete(), 30))
                .blockLast(WAIT);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(storeFailures).as("the store answered every time").isEmpty();
        assertThat(failures).as("no call refused, by the service or the limiter").isEmpty();
        assertThat(emulator.requests("DescribeRoomInfo")).hasSize(90)
                .allSatisfy(r -> assertThat(r.errorCode()).isNull());
        // The limit is the guarantee; the floor only tells sharing from dividing (three processes each
        // counting alone at a third would make 6.7/s), with room for a loaded machine's late turns.
        assertThat(89 / seconds).as("the fleet's rate against the 20/s limit").isGreaterThan(14.0)
                .isLessThanOrEqualTo(20.0);
    }

    @Test
    void redisStoppedMidRun_theFleetCountsAloneAtItsShare_andRejoinsWhenItIsBack() throws Exception {
        TrtcEmulator emulator = TrtcEmulator.builder().start();
        closing.add(emulator);
        List<String> transitions = new CopyOnWriteArrayList<>();
        RateLimitListener watch = new RateLimitListener() {
            @Override
            public void onStoreUnavailable(Throwable cause) {
                transitions.add("unavailable");
            }

            @Override
            public void onStoreRestored() {
                transitions.add("restored");
            }
        };
        List<TrtcAsyncClient> fleet = warmFleet(emulator, watch);
        ObjectNode body = roomInfo(emulator);
        // Every process registered and has seen the others (registrations are refreshed every 2 s).
        LockSupport.parkNanos(2_500_000_000L);
        emulator.clearRequests();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        Disposable running = Flux.fromIterable(fleet)
                .flatMap(client -> Flux.range(0, 60).flatMap(i -> client.call("DescribeRoomInfo", body)
                        .doOnError(failures::add).onErrorComplete(), 60))
                .subscribe();
        LockSupport.parkNanos(2_000_000_000L);
        redis.kill();
        LockSupport.parkNanos(3_000_000_000L);
        redis.startAgain();
        StepVerifier.create(Flux.interval(Duration.ofMillis(50)).filter(i -> running.isDisposed()
                || emulator.requests("DescribeRoomInfo").size() >= 180).next())
                .expectNextCount(1).expectComplete().verify(Duration.ofSeconds(40));

        assertThat(failures).as("every call went on, none failed or hung").isEmpty();
        assertThat(emulator.requests("DescribeRoomInfo")).hasSize(180)
                .allSatisfy(r -> assertThat(r.errorCode()).as("refused by the service").isNull());
        // Calls made now find Redis back: each limiter rejoins the fleet and says so.
        StepVerifier.create(Flux.fromIterable(fleet).flatMap(c -> c.call("DescribeRoomInfo", body))
                        .then(Mono.delay(Duration.ofMillis(300)))
                        .repeat()
                        .takeUntil(x -> transitions.stream().filter("restored"::equals).count() == 3)
                        .then())
                .expectComplete().verify(Duration.ofSeconds(20));
        assertThat(transitions).filteredOn("unavailable"::equals).hasSize(3);
        assertThat(transitions).filteredOn("restored"::equals).hasSize(3);
        assertThat(emulator.requests("DescribeRoomInfo")).allSatisfy(r -> assertThat(r.errorCode()).isNull());
    }

    @Test
    void aFrozenRedis_boundsEveryWait_andCallsGoOnAtTheShare() throws Exception {
        TrtcEmulator emulator = TrtcEmulator.builder().start();
        closing.add(emulator);
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(store()).build();
        TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(emulator.credentials())
                .endpoint(emulator.uri()).region("ap-singapore").rateLimiter(limiter).build();
        closing.add(client);
        long now = Instant.now().getEpochSecond();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
        client.call("DescribeRoomInfo", body).block(WAIT);

        redis.freeze();
        try {
            long started = System.nanoTime();
            StepVerifier.create(Flux.range(0, 10).concatMap(i -> client.call("DescribeRoomInfo", body)).count())
                    .expectNext(10L).expectComplete().verify(WAIT);
            double seconds = (System.nanoTime() - started) / 1e9;
            // The first call waits out the 250 ms store timeout; the rest skip Redis for a second at a time.
            assertThat(seconds).as("ten calls with Redis frozen, at the share of a fleet of one").isLessThan(5.0);
        } finally {
            redis.thaw();
        }
        assertThat(emulator.requests("DescribeRoomInfo")).allSatisfy(r -> assertThat(r.errorCode()).isNull());
    }

    @Test
    void beforeItRegistersForAnAccount_aProcessCountsEveryProcessOnItsPrefix() {
        RedisLimitStore a = store();
        RedisLimitStore b = store();
        RedisLimitStore elsewhere = a.withKeyPrefix("other-fleet:");
        closing.add(elsewhere);

        // Both register on the prefix as they start; neither has reserved anything for this account.
        StepVerifier.create(Flux.interval(Duration.ofMillis(20))
                        .filter(i -> a.fleetSize("never-used") == 2 && b.fleetSize("never-used") == 2).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(elsewhere.fleetSize("never-used")).as("alone on its own prefix").isEqualTo(1);
    }

    @Test
    void aCallWhoseConnectionComesLateAfterItsFleetTurn_isNotWrittenOnIt_butWaitsForANewTurn() {
        TrtcEmulator emulator = TrtcEmulator.builder().start();
        closing.add(emulator);
        RedisLimitStore redisStore = store();
        AtomicInteger reservations = new AtomicInteger();
        LimitStore counting = new LimitStore() {
            @Override
            public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule,
                    Duration maxWait, Duration holdOff) {
                return redisStore.reserve(key, schedule, maxWait, holdOff)
                        .doOnNext(r -> reservations.incrementAndGet());
            }

            @Override
            public Mono<Void> release(Reservation reservation) {
                return redisStore.release(reservation);
            }
        };
        // One connection: the second call's turn comes while the first holds it for 300 ms.
        TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(emulator.credentials())
                .endpoint(emulator.uri()).region("ap-singapore").maxConnections(1)
                .rateLimiter(TrtcRateLimiter.builder().store(counting).build())
                .retryPolicy(RetryPolicy.none()).build();
        closing.add(client);
        ObjectNode body = roomInfo(emulator);
        client.call("DescribeRoomInfo", body).block(WAIT);
        emulator.faults().next("DescribeRoomInfo", Fault.delay(Duration.ofMillis(300)), 1);
        emulator.clearRequests();
        reservations.set(0); // a cold process's first call may take two turns: its new connection comes late

        StepVerifier.create(Flux.range(0, 2).flatMap(i -> client.call("DescribeRoomInfo", body)).count())
                .expectNext(2L).expectComplete().verify(WAIT);

        assertThat(emulator.requests("DescribeRoomInfo")).as("each call written once").hasSize(2)
                .allSatisfy(r -> assertThat(r.errorCode()).isNull());
        assertThat(emulator.connectionsOpened()).as("the late call kept its connection while it waited for its new turn").isEqualTo(1);
        // Two turns, and one more for the late call (or two, if a busy machine makes the next late too).
        assertThat(reservations.get()).as("reservations").isBetween(3, 4);
    }

    /** A limiter on its own store of the shared Redis, as one process of a fleet has. */
    private TrtcRateLimiter fleetLimiter() {
        return TrtcRateLimiter.builder().store(store()).build();
    }

    /** Subscribes n calls of a priority at once; each records the nanoTime its permit came. */
    private static List<Disposable> calls(TrtcRateLimiter limiter, CallPriority priority, int n,
            List<Long> permits) {
        List<Disposable> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(limiter.limit("AKIDfleet", "DescribeRoomInfo", priority, Duration.ofMinutes(1),
                    permit -> Mono.fromRunnable(() -> permits.add(System.nanoTime())))
                    .subscribe(v -> { }, e -> { }));
        }
        return calls;
    }

    @Test
    void backgroundWorkOfOneProcess_doesNotMakeAnotherProcessesInteractiveCallsWaitBehindIt() {
        TrtcRateLimiter pollerProcess = fleetLimiter();
        TrtcRateLimiter handlerProcess = fleetLimiter();
        List<Long> background = new CopyOnWriteArrayList<>();
        // Ten seconds of background work at once: first come, first served, an interactive call of the
        // other process would wait behind all of it.
        List<Disposable> polls = calls(pollerProcess, CallPriority.BACKGROUND, 200, background);
        awaitPermits(background, 5);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long asked = System.nanoTime();
            long granted = handlerProcess.limit("AKIDfleet", "DescribeRoomInfo", CallPriority.INTERACTIVE, null,
                    permit -> Mono.fromCallable(System::nanoTime)).block(WAIT);
            waits.add(granted - asked);
            LockSupport.parkNanos(250_000_000L);
        }
        // The background rate once nothing interactive waits, from the permits' own times: a busy machine
        // may wake this thread late, but the permits keep their schedule.
        long quiet = System.nanoTime();
        int from = background.size();
        awaitPermits(background, from + 21);
        polls.forEach(Disposable::dispose);
        List<Long> later = background.subList(from, from + 21).stream().filter(t -> t >= quiet).toList();
        double perSecond = (later.size() - 1) * 1e9 / (later.get(later.size() - 1) - later.get(0));

        waits.sort(null);
        assertThat(waits.get(waits.size() - 1))
                .as("the longest interactive wait, ns (one spacing is 50 ms; behind the background work, 10 s)")
                .isLessThan(500_000_000L);
        assertThat(later).as("permits after the interactive calls").hasSizeGreaterThan(15);
        assertThat(perSecond).as("background permits a second with nothing interactive waiting")
                .isBetween(15.0, 21.0);
    }

    @Test
    void underSustainedInteractiveLoad_backgroundWorkStillGetsItsShareFleetWide() {
        TrtcRateLimiter pollerProcess = fleetLimiter();
        TrtcRateLimiter handlerProcess = fleetLimiter();
        List<Long> background = new CopyOnWriteArrayList<>();
        List<Long> interactive = new CopyOnWriteArrayList<>();
        List<Disposable> all = new ArrayList<>();
        long started = System.nanoTime();
        all.addAll(calls(handlerProcess, CallPriority.INTERACTIVE, 200, interactive)); // ten seconds' worth
        all.addAll(calls(pollerProcess, CallPriority.BACKGROUND, 100, background));
        // Four seconds after the first, counted by the permits' own times, not by this thread's sleep.
        long from = started + 1_000_000_000L;
        long to = from + 4_000_000_000L;
        StepVerifier.create(Flux.interval(Duration.ofMillis(50))
                        .filter(i -> System.nanoTime() > to + 500_000_000L).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
        all.forEach(Disposable::dispose);
        long b = background.stream().filter(t -> t >= from && t < to).count();
        long i = interactive.stream().filter(t -> t >= from && t < to).count();

        // The limit is 20 a second; the background share, a quarter of it: 5 a second.
        assertThat(b).as("background permits in 4 s").isBetween(14L, 26L);
        assertThat(i + b).as("all permits in 4 s").isBetween(70L, 82L);
    }

    /** Waits, within the test's bound, until at least n permits have come. */
    private static void awaitPermits(List<Long> permits, int n) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).filter(i -> permits.size() >= n).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }
}
