package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How much of a limit the limiter uses: {@code LimiterAccuracy CALLS SCALE [MARGIN_MS]} fires CALLS
 * DescribeCloudRecording calls at once at an emulator whose limits are scaled by SCALE (and a client
 * limiter set to the same limit, with a fixed safety margin when MARGIN_MS is given, else the
 * limiter's default margin, which follows the measured jitter), then reads the arrival
 * times the emulator recorded: achieved rate = (arrivals - 1) / (last arrival - first arrival),
 * against the limit, and the calls it refused. Both sides are warmed with one period of calls first.
 * Prints one JSON line.
 */
public final class LimiterAccuracy {

    private LimiterAccuracy() {}

    /** What the run measured. */
    record Result(int calls, int limitPerSecond, double marginMs, boolean fixed, double achievedPerSecond,
            double ratio, long throttles, double seconds) {}

    /**
     * Runs the measurement.
     *
     * @param args calls and scale
     * @throws Exception when it cannot run
     */
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        double scale = Double.parseDouble(args[1]);
        int limit = (int) Math.round(20 * scale);
        boolean fixed = args.length > 2;
        TrtcRateLimiter.Builder limiter = TrtcRateLimiter.builder()
                .limit("DescribeCloudRecording", new RateLimit(limit, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED));
        if (fixed) {
            limiter.safetyMargin(Duration.ofMillis(Long.parseLong(args[2])));
        }
        TrtcRateLimiter built = limiter.build();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimitScale(scale).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder()
                        .credentials(emulator.credentials())
                        .endpoint(emulator.uri())
                        .rateLimiter(built)
                        .build()) {
            String taskId = client.createCloudRecording(CreateCloudRecordingRequest.builder()
                            .sdkAppId(emulator.sdkAppId()).roomId("accuracy").roomIdType(0L).userId("recorder")
                            .userSig(emulator.userSigs().generate("recorder", Duration.ofHours(1)))
                            .recordParams(RecordParams.builder().recordMode(2L).maxIdleTime(86_400L).build())
                            .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                    .tencentVod(TencentVod.builder().build()).build()).build())
                            .build())
                    .block(Duration.ofSeconds(10)).taskId();
            DescribeCloudRecordingRequest describe = DescribeCloudRecordingRequest.builder()
                    .sdkAppId(emulator.sdkAppId()).taskId(taskId).build();
            // Warm both sides first (one period of calls at the limit), then let the window empty: in a
            // cold JVM the emulator's first replies hold requests for hundreds of milliseconds before
            // counting them, longer than the limiter's maximum one-way delay, which the service does not do.
            Flux.range(0, limit)
                    .flatMap(i -> client.describeCloudRecording(describe), limit)
                    .then(Mono.delay(Duration.ofMillis(1500)))
                    .block(Duration.ofMinutes(1));
            emulator.clearRequests();

            Flux.range(0, calls)
                    .flatMap(i -> client.describeCloudRecording(describe), calls)
                    .then()
                    .block(Duration.ofMinutes(30)); // the program's main thread waits for the run

            List<RecordedRequest> arrived = emulator.requests("DescribeCloudRecording");
            long throttles = arrived.stream().filter(r -> "RequestLimitExceeded".equals(r.errorCode())).count();
            List<Instant> accepted = arrived.stream().filter(RecordedRequest::succeeded)
                    .map(RecordedRequest::receivedAt).sorted().toList();
            double seconds = Duration.between(accepted.get(0), accepted.get(accepted.size() - 1)).toNanos() / 1e9;
            double achieved = (accepted.size() - 1) / seconds;
            double marginMs = built.snapshot().stream().filter(b -> b.action().equals("DescribeCloudRecording"))
                    .findFirst().orElseThrow().margin().toNanos() / 1e6;
            System.out.println(new ObjectMapper().writeValueAsString(new Result(calls, limit, marginMs, fixed,
                    achieved, achieved / limit, throttles, seconds)));
        }
        System.exit(0);
    }
}
