package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.trtc.v20190722.TrtcClient;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One side of the load comparison, alone in its JVM so that its threads and memory are its own:
 * {@code LoadClient VARIANT IN_FLIGHT CALLS PORT}. It warms up (at least 10 s, then until the JIT compiler
 * is idle; see {@link #warmUpCalls}), then makes CALLS DescribeCloudRecording
 * calls to the canned server, IN_FLIGHT at a time, and prints one JSON line with what it measured.
 * Variants: {@code raw} (Reactor Netty posting identical pre-signed bytes), {@code trtc-reactive}
 * (the SDK: sign, serialize, send, parse each call), {@code official} (the official SDK's blocking
 * client on a thread pool of IN_FLIGHT threads).
 */
public final class LoadClient {

    /**
     * Warm-up: batches of this many calls for at least {@link #warmUpTime}, then until a batch runs
     * without the JIT compiler working more than 20 ms (or 60 s have passed), so that compiler
     * threads no longer compete with the measured calls for the cores.
     */
    static int warmUpCalls = 5_000;
    static java.time.Duration warmUpTime = java.time.Duration.ofSeconds(10);

    static boolean stillWarming(long started, long[] lastCompileMs) {
        long elapsed = System.nanoTime() - started;
        long compiled = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        boolean compiling = compiled - lastCompileMs[0] > 20;
        lastCompileMs[0] = compiled;
        return elapsed < warmUpTime.toNanos() || (compiling && elapsed < Duration.ofSeconds(60).toNanos());
    }

    private LoadClient() {}

    /** What one run measured. */
    record Result(String variant, int inFlight, int calls, double seconds, double throughput, double p50Ms,
            double p99Ms, double cpuUsPerCall, long peakThreads, double peakHeapMib, double peakRssMib,
            long errors, double allocatedBytesPerCall) {}

    /**
     * Runs one side and prints its result.
     *
     * @param args variant, calls in flight, calls, server port
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int inFlight = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        Result result = switch (variant) {
            case "raw" -> reactive(variant, inFlight, calls, raw(port, inFlight));
            case "trtc-reactive" -> reactive(variant, inFlight, calls, sdk(port, inFlight));
            case "official" -> official(inFlight, calls, port);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        System.out.println(new ObjectMapper().writeValueAsString(result));
        System.exit(0);
    }

    static ConnectionProvider pool(String name, int inFlight) {
        return ConnectionProvider.builder(name).maxConnections(Math.max(inFlight, 16))
                .pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(60)).build();
    }

    static DescribeCloudRecordingRequest request() {
        return DescribeCloudRecordingRequest.builder().sdkAppId(Fixtures.SDK_APP_ID).taskId(Fixtures.TASK_ID).build();
    }

    /** Identical pre-signed bytes for every call: the floor of what any client on Reactor Netty costs. */
    static Supplier<Mono<?>> raw(int port, int inFlight) {
        byte[] body = TrtcProtocol.encode("DescribeCloudRecording", request());
        Map<String, String> headers = Tc3Signer.sign(Fixtures.CREDENTIALS, TrtcApi.SERVICE, Fixtures.HOST,
                System.currentTimeMillis() / 1000, TrtcApi.CONTENT_TYPE, body).headers();
        headers.put("X-TC-Action", "DescribeCloudRecording");
        headers.put("X-TC-Version", TrtcApi.VERSION);
        headers.put("X-TC-Region", "ap-guangzhou");
        HttpClient client = HttpClient.create(pool("raw", inFlight)).compress(true)
                .headers(h -> headers.forEach(h::set));
        String uri = "http://127.0.0.1:" + port + "/";
        return () -> client.post().uri(uri).send((req, out) -> out.sendByteArray(Mono.just(body)))
                .responseSingle((response, content) -> content.asByteArray());
    }

    /** The SDK's whole path per call, without rate limiting or retries (the server never refuses). */
    static Supplier<Mono<?>> sdk(int port, int inFlight) {
        TrtcAsyncClient client = TrtcAsyncClient.builder()
                .credentials(Fixtures.CREDENTIALS)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .connectionProvider(pool("trtc-reactive", inFlight))
                .rateLimiter(TrtcRateLimiter.disabled())
                .retryPolicy(RetryPolicy.none())
                .build();
        DescribeCloudRecordingRequest request = request();
        return () -> client.describeCloudRecording(request);
    }

    static Result reactive(String variant, int inFlight, int calls, Supplier<Mono<?>> call) {
        AtomicLong errors = new AtomicLong();
        long warmStart = System.nanoTime();
        long[] compileMs = {0};
        do {
            runReactive(call, warmUpCalls, inFlight, new long[warmUpCalls], errors);
        } while (stillWarming(warmStart, compileMs));
        errors.set(0);
        long[] latencies = new long[calls];
        try (ProcessStats stats = ProcessStats.start()) {
            long started = System.nanoTime();
            runReactive(call, calls, inFlight, latencies, errors);
            return result(variant, inFlight, calls, System.nanoTime() - started, latencies, stats, errors.get());
        }
    }

    static void runReactive(Supplier<Mono<?>> call, int calls, int inFlight, long[] latencies,
            AtomicLong errors) {
        AtomicInteger next = new AtomicInteger();
        Flux.range(0, calls)
                .flatMap(i -> Mono.defer(() -> {
                    long t0 = System.nanoTime();
                    return call.get().doOnSuccess(r -> latencies[next.getAndIncrement()] = System.nanoTime() - t0);
                }).onErrorResume(e -> {
                    errors.incrementAndGet();
                    return Mono.empty();
                }), inFlight)
                .then()
                .block(Duration.ofMinutes(10)); // the benchmark's main thread waits for the run
    }

    static Result official(int inFlight, int calls, int port) throws InterruptedException {
        HttpProfile http = new HttpProfile();
        // Reach the local server as the SDK would reach the service, through a proxy setting.
        http.setProxyHost("127.0.0.1");
        http.setProxyPort(port);
        http.setProtocol("http://");
        TrtcClient client = new TrtcClient(new Credential(Fixtures.CREDENTIALS.secretId(),
                Fixtures.CREDENTIALS.secretKey()), "ap-guangzhou", new ClientProfile("TC3-HMAC-SHA256", http));
        var request = new com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingRequest();
        request.setSdkAppId(Fixtures.SDK_APP_ID);
        request.setTaskId(Fixtures.TASK_ID);
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        AtomicLong errors = new AtomicLong();
        long warmStart = System.nanoTime();
        long[] compileMs = {0};
        do {
            runBlocking(pool, inFlight, warmUpCalls, new long[warmUpCalls], errors, client, request);
        } while (stillWarming(warmStart, compileMs));
        errors.set(0);
        long[] latencies = new long[calls];
        try (ProcessStats stats = ProcessStats.start()) {
            long started = System.nanoTime();
            runBlocking(pool, inFlight, calls, latencies, errors, client, request);
            Result result = result("official", inFlight, calls, System.nanoTime() - started, latencies, stats,
                    errors.get());
            pool.shutdownNow();
            return result;
        }
    }

    private static void runBlocking(ExecutorService pool, int inFlight, int calls, long[] latencies,
            AtomicLong errors, TrtcClient client,
            com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingRequest request)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(inFlight);
        for (int w = 0; w < inFlight; w++) {
            pool.execute(() -> {
                int i;
                while ((i = next.getAndIncrement()) < calls) {
                    long t0 = System.nanoTime();
                    try {
                        client.DescribeCloudRecording(request);
                        latencies[i] = System.nanoTime() - t0;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the official SDK's run did not finish in 10 minutes");
        }
    }

    private static Result result(String variant, int inFlight, int calls, long nanos, long[] latencies,
            ProcessStats stats, long errors) {
        double cpuUs = stats.cpuMillis() * 1000 / calls; // before sorting, which is not part of the run
        double allocated = stats.allocatedBytes() / (double) calls;
        long[] ok = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        double seconds = nanos / 1e9;
        return new Result(variant, inFlight, calls, seconds, (calls - errors) / seconds, percentile(ok, 0.50),
                percentile(ok, 0.99), cpuUs, stats.peakThreads(), stats.peakHeapMib(), stats.peakRssMib(), errors,
                allocated);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
