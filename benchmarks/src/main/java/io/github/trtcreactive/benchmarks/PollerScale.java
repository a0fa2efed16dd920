package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.core.usersig.UserSigs;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

/**
 * What many task pollers cost: {@code PollerScale POLLERS PORT [unlimited|limited]} creates POLLERS
 * cloud recordings on an emulator running in another JVM (limits scaled out of the way), follows each
 * with its own poller (at most one Describe call per task per second), and samples this JVM for 15 s
 * while they run. {@code unlimited} polls without a rate limiter (the emulator's limits are scaled
 * out of the way); {@code limited} polls through the default limiter, at the documented 20 calls a
 * second, so the tasks share that budget. Each run uses rooms of its own (a robot UserId may be in a
 * room only once). Prints one JSON line: pollers, mode, polls per second achieved, peak live threads,
 * heap (in use, and live after collections), RSS and failed polls.
 */
public final class PollerScale {

    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private PollerScale() {}

    /** What the run measured. */
    record Result(int pollers, String mode, double pollsPerSecond, long peakThreads, double peakHeapMib,
            double peakLiveHeapMib, double peakRssMib, long failedPolls, long maxHeapMib) {}

    /**
     * Runs the measurement.
     *
     * @param args pollers and the emulator's port
     * @throws Exception when it cannot run
     */
    public static void main(String[] args) throws Exception {
        int pollers = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "unlimited";
        boolean limited = mode.equals("limited");
        LongAdder polls = new LongAdder();
        LongAdder failed = new LongAdder();
        long sdkAppId = TrtcEmulatorBuilder.DEFAULT_SDK_APP_ID;
        UserSigs sigs = UserSigs.of(sdkAppId, TrtcEmulatorBuilder.DEFAULT_APP_KEY);
        try (TrtcAsyncClient client = TrtcAsyncClient.builder()
                .credentials(Credentials.of(TrtcEmulatorBuilder.DEFAULT_SECRET_ID, TrtcEmulatorBuilder.DEFAULT_SECRET_KEY))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .connectionProvider(ConnectionProvider.builder("pollers").maxConnections(256)
                        .pendingAcquireMaxCount(-1).build())
                .rateLimiter(TrtcRateLimiter.disabled())
                .callListener((action, latency, error) -> {
                    if (action.equals("DescribeCloudRecording")) {
                        polls.increment();
                        if (error != null) {
                            failed.increment();
                        }
                    }
                })
                .build()) {
            String sig = sigs.generate("recorder", Duration.ofHours(2));
            List<String> tasks = Flux.range(0, pollers)
                    .flatMap(i -> client.createCloudRecording(CreateCloudRecordingRequest.builder()
                            .sdkAppId(sdkAppId).roomId("pollers-" + mode + "-" + pollers + "-" + i).roomIdType(0L).userId("recorder")
                            .userSig(sig)
                            .recordParams(RecordParams.builder().recordMode(2L).maxIdleTime(86_400L).build())
                            .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                    .tencentVod(TencentVod.builder().build()).build()).build())
                            .build()), 64)
                    .map(r -> r.taskId())
                    .collectList()
                    .block(Duration.ofMinutes(5)); // the program's main thread waits for the set-up

            TrtcAsyncClient polling = limited ? TrtcAsyncClient.builder()
                    .credentials(Credentials.of(TrtcEmulatorBuilder.DEFAULT_SECRET_ID,
                            TrtcEmulatorBuilder.DEFAULT_SECRET_KEY))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .rateLimiter(TrtcRateLimiter.create())
                    .callListener((action, latency, error) -> {
                        polls.increment();
                        if (error != null) {
                            failed.increment();
                        }
                    })
                    .build() : client;
            TaskPollers taskPollers = TaskPollers.create(polling);
            PollOptions options = PollOptions.DEFAULTS.withInterval(INTERVAL);
            Disposable.Composite running = Disposables.composite();
            polls.reset();
            failed.reset();
            try (ProcessStats stats = ProcessStats.start()) {
                long started = System.nanoTime();
                for (String task : tasks) {
                    running.add(taskPollers.poll(TaskKind.CLOUD_RECORDING, sdkAppId, task, options).subscribe());
                }
                Thread.sleep(WINDOW.toMillis()); // the main thread waits while the pollers run
                double seconds = (System.nanoTime() - started) / 1e9;
                Result result = new Result(pollers, mode, polls.sum() / seconds, stats.peakThreads(),
                        stats.peakHeapMib(), stats.peakLiveHeapMib(), stats.peakRssMib(), failed.sum(),
                        Runtime.getRuntime().maxMemory() / 1048576);
                running.dispose();
                if (polling != client) {
                    polling.close();
                }
                System.out.println(new ObjectMapper().writeValueAsString(result));
            }
        }
        System.exit(0);
    }
}
