package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.micrometer.TrtcMicrometer;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcAsyncClientBuilder;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * What observing calls costs: {@code ObservationCost VARIANT CALLS PORT} makes CALLS
 * DescribeCloudRecording calls, 16 in flight, to the canned server after the same warm-up as the
 * load runs, and prints the client JVM's CPU time and heap allocation per call. Variants:
 * {@code plain} (no observer), {@code noop} (the Micrometer observer on a registry with no handler)
 * and {@code meters} (the observer with a meter handler on a SimpleMeterRegistry: a timer per call
 * and per attempt); and {@code limiter} (the default rate limiter with a limit no run reaches: what
 * taking a permit costs when it never waits).
 */
public final class ObservationCost {

    private static final int IN_FLIGHT = 16;

    private ObservationCost() {}

    /** What one run measured. */
    record Result(String variant, int calls, double cpuUsPerCall, double allocatedBytesPerCall, double callsPerSecond) {}

    /**
     * Runs one variant and prints its result.
     *
     * @param args variant, calls, server port
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int calls = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        TrtcAsyncClientBuilder builder = TrtcAsyncClient.builder()
                .credentials(Fixtures.CREDENTIALS)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .connectionProvider(LoadClient.pool("observation-" + variant, IN_FLIGHT))
                .rateLimiter(TrtcRateLimiter.disabled())
                .retryPolicy(RetryPolicy.none());
        switch (variant) {
            case "plain" -> { }
            case "noop" -> builder.observer(TrtcMicrometer.observer(ObservationRegistry.create()));
            case "meters" -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(
                        new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
                builder.observer(TrtcMicrometer.observer(registry));
            }
            case "limiter" -> builder.rateLimiter(TrtcRateLimiter.builder()
                    // A limit no run comes near: the limiter's bookkeeping without a wait.
                    .limit("DescribeCloudRecording", new RateLimit(10_000_000, Duration.ofSeconds(1),
                            RateLimit.Basis.DOCUMENTED))
                    .build());
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
        TrtcAsyncClient client = builder.build();
        var request = LoadClient.request();
        Supplier<Mono<?>> call = () -> client.describeCloudRecording(request);
        AtomicLong errors = new AtomicLong();
        long warmStart = System.nanoTime();
        long[] compileMs = {0};
        do {
            LoadClient.runReactive(call, LoadClient.warmUpCalls, IN_FLIGHT, new long[LoadClient.warmUpCalls], errors);
        } while (LoadClient.stillWarming(warmStart, compileMs));
        long allocatedBefore = allocated();
        try (ProcessStats stats = ProcessStats.start()) {
            long started = System.nanoTime();
            LoadClient.runReactive(call, calls, IN_FLIGHT, new long[calls], errors);
            double seconds = (System.nanoTime() - started) / 1e9;
            Result result = new Result(variant, calls, stats.cpuMillis() * 1000 / calls,
                    (allocated() - allocatedBefore) / (double) calls, calls / seconds);
            System.out.println(new ObjectMapper().writeValueAsString(result));
        }
        client.close();
        System.exit(0);
    }

    /** Heap bytes allocated so far by the live threads (the event loops live through the run). */
    private static long allocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
