package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Time to the first answer in a fresh JVM: {@code FirstCall SIDE PORT} builds a client and makes one
 * DescribeCloudRecording call to the canned server, and prints how long that took from the start of
 * {@code main} (class loading and every first-time preparation included) and from the JVM's start.
 * Sides: {@code raw} (Reactor Netty posting pre-signed bytes, signed in the run) and
 * {@code trtc-reactive} (the client with its defaults: limiter on, retries on).
 */
public final class FirstCall {

    private FirstCall() {}

    /** What one fresh JVM measured. */
    record Result(String variant, double firstCallMs, double sinceJvmStartMs) {}

    /**
     * Runs one side and prints its result.
     *
     * @param args side, server port
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String variant = args[0];
        int port = Integer.parseInt(args[1]);
        Object answer = switch (variant) {
            case "raw" -> raw(port);
            case "trtc-reactive" -> sdk(port);
            default -> throw new IllegalArgumentException("unknown side " + variant);
        };
        double firstCallMs = (System.nanoTime() - started) / 1e6;
        double sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        if (answer == null) {
            throw new IllegalStateException("no answer");
        }
        System.out.println(new ObjectMapper().writeValueAsString(new Result(variant, firstCallMs, sinceStart)));
        System.exit(0);
    }

    private static Object raw(int port) {
        // The body as a literal: no JSON library on this side.
        byte[] body = ("{\"SdkAppId\":" + Fixtures.SDK_APP_ID + ",\"TaskId\":\"" + Fixtures.TASK_ID + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> headers = Tc3Signer.sign(Fixtures.CREDENTIALS, TrtcApi.SERVICE, Fixtures.HOST,
                System.currentTimeMillis() / 1000, TrtcApi.CONTENT_TYPE, body).headers();
        headers.put("X-TC-Action", "DescribeCloudRecording");
        headers.put("X-TC-Version", TrtcApi.VERSION);
        headers.put("X-TC-Region", "ap-guangzhou");
        return HttpClient.create().compress(true).headers(h -> headers.forEach(h::set))
                .post().uri("http://127.0.0.1:" + port + "/")
                .send((req, out) -> out.sendByteArray(Mono.just(body)))
                .responseSingle((response, content) -> content.asByteArray())
                .block(Duration.ofSeconds(30)); // a measuring program's main thread
    }

    private static Object sdk(int port) {
        TrtcAsyncClient client = TrtcAsyncClient.builder()
                .credentials(Fixtures.CREDENTIALS)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .rateLimiter(TrtcRateLimiter.create())
                .retryPolicy(RetryPolicy.defaults())
                .build();
        return client.describeCloudRecording(LoadClient.request()).block(Duration.ofSeconds(30));
    }
}
