package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.LimitStore.LimitKey;
import io.github.trtcreactive.reactor.ratelimit.LimitStore.LimitSchedule;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

/**
 * Rotating credentials against a real Redis: once the accounts are idle, the store's heartbeats,
 * the limiter's and the fleet's maps, the signer's keys and the heap return to where they were.
 */
class RedisAccountEvictionTest {

    private static final int ACCOUNTS = 1000;
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MIB = 1024 * 1024;

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

    private static Credentials rotated(int i) {
        return Credentials.of(String.format("AKIDrotated%05d", i), "rotated-secret-key-" + i);
    }

    @Test
    void thousandRotatedCredentials_onceIdle_leaveNoHeartbeatMapEntryOrHeapBehind() {
        TrtcEmulatorBuilder builder = TrtcEmulator.builder().recordRequests(false);
        for (int i = 0; i < ACCOUNTS; i++) {
            builder.credentials(rotated(i));
        }
        TrtcEmulator emulator = builder.start();
        closing.add(emulator);
        RedisLimitStore store = RedisLimitStore.connect(redis.uri(), IDLE);
        closing.add(store);
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(store).idleEviction(IDLE).recovery(IDLE).build();
        AtomicInteger next = new AtomicInteger();
        TrtcAsyncClient client = TrtcAsyncClient.builder()
                .credentialsProvider((CredentialsProvider) () -> rotated(next.getAndIncrement() % ACCOUNTS))
                .endpoint(emulator.uri()).region("ap-singapore").rateLimiter(limiter).build();
        closing.add(client);
        long now = Instant.now().getEpochSecond();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);

        // The baseline: everything warmed up by one call, then idle again.
        StepVerifier.create(client.call("DescribeRoomInfo", body)).expectNextCount(1).expectComplete().verify(WAIT);
        awaitUntil(() -> store.registeredAccountCount() == 0 && limiter.trackedAccountCount() == 0);
        int heartbeats = store.activeHeartbeatCount();
        int signerKeys = Tc3Signer.cachedKeyCount();
        long heap = retainedHeap();

        // Each of the 1,000 SecretIds used for one or two calls (the first half twice).
        // The peaks are sampled as the calls go: on a slow machine the first accounts may go before the last come.
        int calls = ACCOUNTS * 3 / 2;
        AtomicInteger registeredPeak = new AtomicInteger();
        AtomicInteger trackedPeak = new AtomicInteger();
        Disposable sampling = Flux.interval(Duration.ofMillis(20)).subscribe(tick -> {
            registeredPeak.accumulateAndGet(store.registeredAccountCount(), Math::max);
            trackedPeak.accumulateAndGet(limiter.trackedAccountCount(), Math::max);
        });
        StepVerifier.create(Flux.range(0, calls).flatMap(i -> client.call("DescribeRoomInfo", body), 32).count())
                .expectNext((long) calls).expectComplete().verify(WAIT);
        registeredPeak.accumulateAndGet(store.registeredAccountCount(), Math::max);
        trackedPeak.accumulateAndGet(limiter.trackedAccountCount(), Math::max);
        sampling.dispose();
        assertThat(registeredPeak).as("most accounts registered at once").hasValueGreaterThan(50);
        assertThat(trackedPeak).as("most accounts tracked at once").hasValueGreaterThan(50);
        assertThat(Tc3Signer.cachedKeyCount()).as("signing keys, bounded whatever happens").isBetween(1, 64);

        awaitUntil(() -> store.registeredAccountCount() == 0 && limiter.trackedAccountCount() == 0
                && limiter.trackedKeyCount() == 0 && store.activeHeartbeatCount() == heartbeats);
        assertThat(store.registeredAccountCount()).isZero();
        assertThat(store.fleetEntryCount()).as("fleet sizes held").isZero();
        assertThat(store.activeHeartbeatCount()).as("heartbeats: the prefix's own only").isEqualTo(heartbeats)
                .isEqualTo(1);
        assertThat(limiter.trackedAccountCount()).isZero();
        assertThat(limiter.trackedKeyCount()).as("lane keys, lanes, fleet terms and turns").isZero();
        assertThat(limiter.laneCount()).isZero();
        // The signer forgets by itself after 10 minutes; here the same sweep, asked for the short idle time.
        assertThat(Tc3Signer.evictIdleKeys(IDLE)).as("signing keys left").isLessThanOrEqualTo(signerKeys);
        assertThat(retainedHeap()).as("retained heap, bytes (baseline %d)", heap).isLessThan(heap + 16 * MIB);

        // An account that comes back is served and registered again.
        StepVerifier.create(client.call("DescribeRoomInfo", body)).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(store.registeredAccountCount()).isEqualTo(1);
        assertThat(limiter.trackedAccountCount()).isEqualTo(1);
    }

    @Test
    void aHeartbeatStartedWhileTheStoreCloses_doesNotOutliveTheClose() {
        RedisLimitStore base = RedisLimitStore.connect(redis.uri());
        closing.add(base);
        LimitSchedule schedule = new LimitSchedule(Duration.ofMillis(50), 1, Duration.ofMinutes(1));
        // Two threads taking from one queue: a bounded-elastic worker pins each task to a thread,
        // and when a finished round's worker still counts as busy, both racers of the next round can
        // land on one thread, the first spinning forever for the second (seen on a loaded machine).
        ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "close-race");
            thread.setDaemon(true);
            return thread;
        });
        Scheduler racers = Schedulers.fromExecutorService(pool);
        try {
            for (int i = 0; i < 500; i++) {
                RedisLimitStore view = base.withKeyPrefix("race" + i + ":");
                LimitKey key = new LimitKey("AKIDrace" + i, "DescribeRoomInfo");
                RaceTestUtils.race(30, racers,
                        () -> view.reserve(key, schedule, Duration.ofSeconds(1), Duration.ZERO)
                                .subscribe(r -> { }, e -> { }),
                        view::close);
                assertThat(view.activeHeartbeatCount()).as("heartbeats running after close, round %d", i).isZero();
            }
        } finally {
            racers.dispose();
            pool.shutdownNow();
        }
    }

    /** The heap still in use after a full collection (a few, as the collector may need). */
    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Waits, within the test's bound, until the condition holds. */
    private static void awaitUntil(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(100)).filter(i -> condition.getAsBoolean()).next()
                        .then(Mono.just(true)))
                .expectNext(true).expectComplete().verify(WAIT);
    }
}
