package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.LimitStore;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.github.trtcreactive.redis.RedisLimitStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One process of {@link FleetBench}: {@code FleetWorker REDIS_URI EMULATOR_URI SECRET_ID SECRET_KEY
 * CALLS START_EPOCH_MILLIS [warm|cold]}. It warms up with a few calls (none when cold), fires its calls at once at the common start
 * through a limiter on the shared Redis, times every reservation it asks Redis for, then times as
 * many plain {@code PING}s on a connection of its own (the baseline), and prints one JSON line.
 */
public final class FleetWorker {

    private FleetWorker() {}

    /**
     * Runs the worker.
     *
     * @param args see the class comment
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[4]);
        long startAt = Long.parseLong(args[5]);
        ConcurrentLinkedQueue<Long> reserveNanos = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger turns = new AtomicInteger();
        List<Long> pingNanos = new ArrayList<>();
        try (RedisLimitStore redis = RedisLimitStore.connect(args[0]);
                TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(Credentials.of(args[2], args[3]))
                        .endpoint(URI.create(args[1])).region("ap-singapore")
                        .rateLimiter(TrtcRateLimiter.builder().store(timed(redis, reserveNanos, turns))
                                // Every process's calls at once: the last ones wait over a minute for a permit.
                                .account("fleet-bench").maxWait(Duration.ofMinutes(10)).build())
                        .callTimeout(Duration.ofMinutes(11))
                        .retryPolicy(RetryPolicy.none()).build()) {
            long now = Instant.now().getEpochSecond();
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", 1400000001L)
                    .put("StartTime", now - 3600).put("EndTime", now);
            // Warm-up calls ask for one more second than the measured ones, so the emulator's log tells them apart.
            ObjectNode warmUp = body.deepCopy().put("StartTime", now - 3601);
            if (!"cold".equals(args.length > 6 ? args[6] : "warm")) {
                Flux.range(0, 3).concatMap(i -> client.call("DescribeRoomInfo", warmUp))
                        .blockLast(Duration.ofSeconds(60));
            }
            reserveNanos.clear();
            turns.set(0);
            Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
            Flux.range(0, calls).flatMap(i -> client.call("DescribeRoomInfo", body)
                            .doOnError(e -> failed.incrementAndGet())
                            .onErrorComplete(), calls)
                    .blockLast(Duration.ofMinutes(10));
        }
        RedisClient plain = RedisClient.create(args[0]);
        try (StatefulRedisConnection<String, String> connection = plain.connect()) {
            for (int i = 0; i < calls + 50; i++) {
                long sent = System.nanoTime();
                connection.reactive().ping().block(Duration.ofSeconds(5));
                if (i >= 50) {
                    pingNanos.add(System.nanoTime() - sent);
                }
            }
        } finally {
            plain.shutdown();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("failed", failed.get());
        out.put("turns", turns.get());
        out.put("reserveNanos", new ArrayList<>(reserveNanos));
        out.put("pingNanos", pingNanos);
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    /** The store, timing each reservation from subscription to answer. */
    private static LimitStore timed(RedisLimitStore redis, ConcurrentLinkedQueue<Long> nanos, AtomicInteger turns) {
        return new LimitStore() {
            @Override
            public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
                return Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return redis.reserve(key, schedule, maxWait, holdOff).doOnNext(r -> {
                        nanos.add(System.nanoTime() - sent);
                        turns.incrementAndGet();
                    });
                });
            }

            @Override
            public Mono<Void> release(Reservation reservation) {
                return redis.release(reservation);
            }

            @Override
            public int fleetSize(String account) {
                return redis.fleetSize(account);
            }
        };
    }
}
