package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The emulator run for long: {@code EmulatorSoak [--calls N] [--in-flight C]} sends N signed calls
 * (default 1,000,000) as fast as the emulator answers, C at a time (default 64), from a plain
 * Reactor Netty client in the same JVM, and after every tenth of them prints the heap in use after
 * a full GC. A flat column is the point: the emulator keeps its request log bounded and forgets
 * nothing else it should not keep. Run it with a small heap ({@code -Xmx256m}) to make a leak fail.
 */
public final class EmulatorSoak {

    private EmulatorSoak() {}

    /**
     * Runs the soak.
     *
     * @param args options
     */
    public static void main(String[] args) {
        int calls = 1_000_000;
        int inFlight = 64;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --calls N, --in-flight C");
            }
        }
        ConnectionProvider pool = ConnectionProvider.builder("soak").maxConnections(inFlight).build();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start()) {
            HttpClient http = HttpClient.create(pool);
            String host = "127.0.0.1:" + emulator.port();
            byte[] body = ("{\"SdkAppId\":" + emulator.sdkAppId() + ",\"TaskId\":\"soak\"}")
                    .getBytes(StandardCharsets.UTF_8);
            LongAdder failed = new LongAdder();
            Mono<Void> call = Mono.defer(() -> {
                Tc3Signature sig = Tc3Signer.sign(emulator.credentials(), TrtcApi.SERVICE, host,
                        System.currentTimeMillis() / 1000, TrtcApi.CONTENT_TYPE, body);
                return http.headers(h -> {
                            sig.headers().forEach(h::set);
                            h.set("X-TC-Action", "DescribeStreamIngest").set("X-TC-Version", TrtcApi.VERSION)
                                    .set("X-TC-Region", "ap-singapore");
                        })
                        .post().uri(emulator.uri() + "/")
                        .send(Mono.fromSupplier(() -> io.netty.buffer.Unpooled.wrappedBuffer(body)))
                        .responseSingle((r, content) -> content.asString())
                        .doOnNext(reply -> {
                            if (reply.contains("\"Error\"")) {
                                failed.increment();
                            }
                        })
                        .then();
            });
            System.out.printf("%12s %10s %12s %14s %12s %12s%n", "calls", "seconds", "calls/s", "heap after GC",
                    "log kept", "log dropped");
            report(0, 0, 0, emulator);
            long started = System.nanoTime();
            int step = Math.max(1, calls / 10);
            for (int done = 0; done < calls; ) {
                int batch = Math.min(step, calls - done);
                long batchStart = System.nanoTime();
                Flux.range(0, batch).flatMap(i -> call, inFlight).then().block(Duration.ofMinutes(30)); // blocking-ok
                done += batch;
                double batchSeconds = (System.nanoTime() - batchStart) / 1e9;
                report(done, (System.nanoTime() - started) / 1e9, batch / batchSeconds, emulator);
            }
            System.out.printf("arrivals counted: %d of %d; error replies: %d%n",
                    emulator.arrivals("DescribeStreamIngest"), calls, failed.sum());
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10)); // blocking-ok: end of a command-line run
        }
    }

    private static void report(long calls, double seconds, double rate, TrtcEmulator emulator) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "%12d %10.1f %12.0f %11.1f MB %12d %12d%n", calls, seconds, rate,
                used / 1048576.0, emulator.requests().size(), emulator.requestsDropped());
    }
}
