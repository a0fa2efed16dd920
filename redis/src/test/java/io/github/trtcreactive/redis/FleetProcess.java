package io.github.trtcreactive.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * One process of the multi-process tests: {@code FleetProcess REDIS_URI EMULATOR_URI SECRET_ID
 * SECRET_KEY CALLS START_EPOCH_MILLIS|stdin [warm|cold]}. It makes one call to warm up (none when
 * cold: the fired calls are then the JVM's first), waits for the common start (with {@code stdin},
 * it prints {@code READY} and reads the start from its standard input), fires all its calls at once
 * through a limiter on the shared Redis, and prints how they ended.
 */
public final class FleetProcess {

    private FleetProcess() {}

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[4]);
        long startAt = args[5].equals("stdin") ? -1 : Long.parseLong(args[5]);
        try (RedisLimitStore store = RedisLimitStore.connect(args[0]);
                TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(Credentials.of(args[2], args[3]))
                        .endpoint(URI.create(args[1])).region("ap-singapore")
                        .rateLimiter(TrtcRateLimiter.builder().store(store).account("fleet-test")
                                // All of the fleet's calls at once: the last waits about 47 s for its permit.
                                .maxWait(Duration.ofMinutes(2)).build())
                        .callTimeout(Duration.ofMinutes(3))
                        .retryPolicy(RetryPolicy.none()).build()) {
            long now = Instant.now().getEpochSecond();
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", 1400000001L)
                    .put("StartTime", now - 3600).put("EndTime", now);
            if (!"cold".equals(args.length > 6 ? args[6] : "warm")) {
                // The warm-up asks for one more second than the fired calls, so the test can tell them apart.
                client.call("DescribeRoomInfo", body.deepCopy().put("StartTime", now - 3601))
                        .block(Duration.ofSeconds(30));
            }
            if (startAt < 0) { // the test says when, once every process is ready
                System.out.println("READY");
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                startAt = line == null ? System.currentTimeMillis() : Long.parseLong(line.trim());
            }
            Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
            AtomicInteger failed = new AtomicInteger();
            Flux.range(0, calls).flatMap(i -> client.call("DescribeRoomInfo", body)
                            .doOnError(e -> {
                                failed.incrementAndGet();
                                System.out.println("FAILED " + e);
                            })
                            .onErrorComplete(), calls)
                    .blockLast(Duration.ofMinutes(5));
            System.out.println("DONE failed=" + failed.get());
        }
    }
}
