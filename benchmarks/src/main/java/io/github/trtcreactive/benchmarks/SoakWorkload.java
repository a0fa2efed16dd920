package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.CreateCloudRecordingResponse;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeMixTranscodingUsageRequest;
import io.github.trtcreactive.core.model.DescribeRecordingUsageRequest;
import io.github.trtcreactive.core.model.DescribeRelayUsageRequest;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.DescribeScaleInfoRequest;
import io.github.trtcreactive.core.model.DescribeTrtcRoomUsageRequest;
import io.github.trtcreactive.core.model.DescribeTrtcUsageRequest;
import io.github.trtcreactive.core.model.DescribeUnusualEventRequest;
import io.github.trtcreactive.core.model.DismissRoomByStrRoomIdRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * What the client soak asks of one client, all of it reactive and running until {@link #stop()}:
 * <ul>
 *   <li>interactive calls of eleven actions, each kept busy by a few callers in a loop so that its
 *       limiter lane runs at the documented limit (20/s; the usage actions 5/s;
 *       DescribeTrtcRoomUsage one per 15 s);</li>
 *   <li>cloud recordings started in rooms of their own, each followed by a poller that is cancelled
 *       at a random moment, after which the recording is deleted and its room dismissed;</li>
 *   <li>three metric streams, each cancelled and subscribed again at random moments;</li>
 *   <li>a fault on the emulator every few seconds, in turn: a trickled reply, a reset mid-reply, a
 *       throttle, on read-only, mutating, polling and streaming actions.</li>
 * </ul>
 */
final class SoakWorkload {

    private static final Logger LOG = LoggerFactory.getLogger(SoakWorkload.class);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final ZoneOffset SERVICE_ZONE = ZoneOffset.ofHours(8);
    private static final String ROBOT = "soak-robot";

    /**
     * One injected fault: on which action, what ({@link SoakEmulatorMain#fault(String)}), and for
     * how many of its next calls.
     */
    private record Injection(String action, String fault, int times) {}

    private static final List<Injection> FAULTS = List.of(
            new Injection("DescribeRoomInfo", "trickle", 1),
            new Injection("DescribeScaleInfo", "reset", 1),
            new Injection("DescribeUnusualEvent", "throttle", 2),
            new Injection("CreateCloudRecording", "reset", 1),
            new Injection("DescribeTrtcUsage", "throttle", 1),
            new Injection("DescribeCloudRecording", "trickle", 1),
            new Injection("DescribeTRTCRealTimeScaleData", "reset", 1),
            new Injection("DeleteCloudRecording", "throttle", 1));

    private final TrtcAsyncClient client;
    private final SoakEmulator emulator;
    private final TaskPollers pollers;
    private final MetricStreams metrics;
    private final SoakStats stats;
    private final Random random;
    private final int maxTasks;
    private final long app;
    private final String userSig;
    private final Disposable.Composite running = Disposables.composite();
    private final Scheduler commandThread = Schedulers.fromExecutorService(Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "soak-emulator-commands");
        thread.setDaemon(true);
        return thread;
    }));
    private final AtomicLong rooms = new AtomicLong();
    private final AtomicLong pollerIds = new AtomicLong();
    private final LongAdder tasksStarted = new LongAdder();
    private final LongAdder metricPoints = new LongAdder();
    private final LongAdder resubscriptions = new LongAdder();

    /**
     * A workload over one client.
     *
     * @param client the client under test
     * @param emulator where the client's calls go, and where faults are scheduled (in its own process)
     * @param pollers the pollers over the client
     * @param metrics the metric streams over the client
     * @param stats where outcomes are counted
     * @param seed the seed of every random choice
     * @param maxTasks the most recordings (and so pollers) running at once
     */
    SoakWorkload(TrtcAsyncClient client, SoakEmulator emulator, TaskPollers pollers, MetricStreams metrics,
            SoakStats stats, long seed, int maxTasks) {
        this.client = client;
        this.emulator = emulator;
        this.pollers = pollers;
        this.metrics = metrics;
        this.stats = stats;
        this.random = new Random(seed);
        this.maxTasks = maxTasks;
        this.app = emulator.sdkAppId();
        this.userSig = emulator.userSig(ROBOT, Duration.ofDays(2));
    }

    /** Starts everything. */
    void start() {
        interactive("DescribeRoomInfo", 3, () -> client.describeRoomInfo(DescribeRoomInfoRequest.builder()
                .sdkAppId(app).startTime(epoch(-3600)).endTime(epoch(0)).build()));
        interactive("DescribeScaleInfo", 3, () -> client.describeScaleInfo(DescribeScaleInfoRequest.builder()
                .sdkAppId(app).startTime(epoch(-86_400)).endTime(epoch(0)).build()));
        interactive("DescribeUnusualEvent", 3, () -> client.describeUnusualEvent(DescribeUnusualEventRequest
                .builder().sdkAppId(app).startTime(epoch(-3600)).endTime(epoch(0)).build()));
        interactive("DescribeTrtcUsage", 2, () -> client.describeTrtcUsage(DescribeTrtcUsageRequest.builder()
                .sdkAppId(app).startTime(day(-1)).endTime(day(0)).build()));
        interactive("DescribeRecordingUsage", 2, () -> client.describeRecordingUsage(DescribeRecordingUsageRequest
                .builder().sdkAppId(app).startTime(day(-1)).endTime(day(0)).mixType("single").build()));
        interactive("DescribeMixTranscodingUsage", 2, () -> client.describeMixTranscodingUsage(
                DescribeMixTranscodingUsageRequest.builder().sdkAppId(app).startTime(day(-1)).endTime(day(0))
                        .build()));
        interactive("DescribeRelayUsage", 2, () -> client.describeRelayUsage(DescribeRelayUsageRequest.builder()
                .sdkAppId(app).startTime(day(-1)).endTime(day(0)).build()));
        // One caller: a second would wait its 15 s behind the first, past the permit wait's bound.
        interactive("DescribeTrtcRoomUsage", 1, () -> client.describeTrtcRoomUsage(DescribeTrtcRoomUsageRequest
                .builder().sdkAppid(app).startTime(minutes(-720)).endTime(minutes(0)).build()));
        running.add(Flux.interval(Duration.ofMillis(1500))
                .onBackpressureDrop()
                .flatMap(tick -> recording(), maxTasks)
                .subscribe());
        metricStreams();
        running.add(Flux.interval(Duration.ofSeconds(5), Duration.ofSeconds(7))
                .onBackpressureDrop()
                .concatMap(tick -> offLoop(() -> inject(FAULTS.get((int) (tick % FAULTS.size()))))
                        .onErrorResume(e -> { // one lost injection, not the rest of the run's
                            LOG.warn("a fault could not be injected: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe());
        running.add(Flux.interval(Duration.ofSeconds(1)).subscribe(tick -> stats.checkPollers()));
    }

    /** Stops everything: callers, recordings and their pollers, streams, faults. */
    void stop() {
        running.dispose();
        commandThread.dispose();
        emulator.clearFaults();
    }

    /** A few callers of one action, each calling again as soon as its call ends. */
    private void interactive(String action, int callers, Supplier<Mono<?>> call) {
        running.add(Flux.range(0, callers)
                .flatMap(caller -> Mono.defer(() -> {
                            long startedAt = System.nanoTime();
                            return call.get()
                                    .doOnSuccess(reply -> stats.succeeded())
                                    .then()
                                    // After a failure, a pause: a call refused at once must not spin.
                                    .onErrorResume(e -> {
                                        stats.failed(action, e, startedAt);
                                        return Mono.delay(Duration.ofMillis(500)).then();
                                    });
                        })
                        .repeat(), callers)
                .subscribe());
    }

    /** One recording's life: started, followed, its poller cancelled at a random moment, deleted, dismissed. */
    private Mono<Void> recording() {
        String room = "soak-room-" + rooms.incrementAndGet();
        Duration life = Duration.ofMillis(5_000 + nextInt(115_000));
        long startedAt = System.nanoTime();
        return offLoop(() -> emulator.join(room, "anchor"))
                .then(client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(app).roomId(room)
                        .roomIdType(0L).userId(ROBOT).userSig(userSig)
                        .recordParams(RecordParams.builder().recordMode(1L).maxIdleTime(30L).build())
                        .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                .tencentVod(TencentVod.builder().build()).build()).build())
                        .build()))
                .map(CreateCloudRecordingResponse::taskId)
                .doOnNext(id -> {
                    stats.succeeded();
                    tasksStarted.increment();
                })
                .onErrorResume(e -> {
                    stats.failed("CreateCloudRecording", e, startedAt);
                    return Mono.empty();
                })
                .flatMap(taskId -> follow(taskId, life).then(Mono.defer(() -> delete(taskId))))
                .then(Mono.defer(() -> dismiss(room)));
    }

    /** Follows a task for a while, then cancels the poller. */
    private Mono<Void> follow(String taskId, Duration life) {
        long id = pollerIds.incrementAndGet();
        long startedAt = System.nanoTime();
        return pollers.poll(TaskKind.CLOUD_RECORDING, app, taskId)
                .contextWrite(Context.of(SoakStats.POLLER, id))
                .doOnSubscribe(s -> stats.pollerStarted(id))
                .doFinally(signal -> stats.pollerEnded(id))
                .take(life)
                .then()
                .onErrorResume(e -> {
                    stats.failed("DescribeCloudRecording", e, startedAt);
                    return Mono.empty();
                });
    }

    private Mono<Void> delete(String taskId) {
        long startedAt = System.nanoTime();
        return client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app).taskId(taskId)
                        .build())
                .doOnSuccess(r -> stats.succeeded())
                .then()
                .onErrorResume(e -> {
                    stats.failed("DeleteCloudRecording", e, startedAt);
                    return Mono.empty();
                });
    }

    private Mono<Void> dismiss(String room) {
        long startedAt = System.nanoTime();
        return client.dismissRoomByStrRoomId(DismissRoomByStrRoomIdRequest.builder().sdkAppId(app).roomId(room)
                        .build())
                .doOnSuccess(r -> stats.succeeded())
                .then()
                .onErrorResume(e -> {
                    stats.failed("DismissRoomByStrRoomId", e, startedAt);
                    return Mono.empty();
                });
    }

    /** Three streams, each cancelled and subscribed again (the same Flux) about every half minute. */
    private void metricStreams() {
        Instant since = Instant.now().minus(Duration.ofMinutes(10));
        stream("DescribeTRTCRealTimeScaleData", metrics.realTimeScale(app, null, since));
        stream("DescribeTRTCRealTimeQualityData", metrics.realTimeQuality(app, null, since));
        stream("DescribeTrtcUsage", metrics.usage(MetricStreams.Usage.TRTC, app, LocalDate.now(SERVICE_ZONE)));
    }

    private void stream(String action, Flux<?> points) {
        AtomicReference<Disposable> current = new AtomicReference<>();
        Runnable subscribe = () -> {
            long startedAt = System.nanoTime();
            Disposable previous = current.getAndSet(points.subscribe(p -> metricPoints.increment(),
                    e -> stats.failed(action, e, startedAt)));
            if (previous != null) {
                previous.dispose();
                resubscriptions.increment();
            }
        };
        subscribe.run();
        running.add(Flux.interval(Duration.ofSeconds(3))
                .filter(tick -> nextInt(10) == 0) // about every 30 s, at random
                .subscribe(tick -> subscribe.run()));
        running.add(() -> current.get().dispose());
    }

    private void inject(Injection injection) {
        stats.injected(injection.action(), injection.times());
        emulator.fault(injection.action(), injection.fault(), injection.times());
        LOG.debug("fault: {} on the next {} call(s) of {}", injection.fault(), injection.times(), injection.action());
    }

    /**
     * A command to the emulator's process (a blocking exchange over a pipe), on the one thread that
     * sends them (a thread of the run's whole length, so the soak's thread count does not come and
     * go with a pool's).
     */
    private Mono<Void> offLoop(Runnable command) {
        return Mono.fromRunnable(command).subscribeOn(commandThread).then();
    }

    private int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    private static long epoch(long offsetSeconds) {
        return Instant.now().getEpochSecond() + offsetSeconds;
    }

    private static String day(int offsetDays) {
        return LocalDate.now(SERVICE_ZONE).plusDays(offsetDays).toString();
    }

    private static String minutes(int offsetMinutes) {
        return LocalDateTime.now(SERVICE_ZONE).plusMinutes(offsetMinutes).format(MINUTES);
    }

    long tasksStarted() {
        return tasksStarted.sum();
    }

    long metricPoints() {
        return metricPoints.sum();
    }

    long resubscriptions() {
        return resubscriptions.sum();
    }
}
