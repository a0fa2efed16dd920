package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.model.*;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcCallOptions;
import io.github.trtcreactive.reactor.internal.TurnSchedules;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Every family's lifecycle, followed over real sockets while the test moves the emulator's clock. */
class TaskPollersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PollOptions FAST = PollOptions.DEFAULTS.withInterval(Duration.ofMillis(50));

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;
    private TaskPollers pollers;
    private long app;
    private String sig;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false).start();
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri())
                .rateLimiter(TrtcRateLimiter.disabled()).build();
        pollers = TaskPollers.create(client);
        app = emulator.sdkAppId();
        sig = emulator.userSigs().generate("robot", Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private void advance(int seconds) {
        emulator.clock().advance(Duration.ofSeconds(seconds));
    }

    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void cloudRecording_idleInProgressExited() {
        emulator.rooms().join("rec-room", "alice");
        String id = client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(app).roomId("rec-room")
                .roomIdType(0L).userId("robot").userSig(sig).recordParams(RecordParams.builder().recordMode(1L).build())
                .storageParams(StorageParams.builder().cloudVod(CloudVod.builder().tencentVod(TencentVod.builder().build()).build()).build()).build()).block(WAIT).taskId();

        StepVerifier.create(pollers.poll(TaskKind.CLOUD_RECORDING, app, id, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Idle"))
                .then(() -> advance(1))
                .assertNext(u -> {
                    assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.RUNNING);
                    assertThat(u.response().orElseThrow().storageFileList()).hasSize(1);
                })
                .then(() -> client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app).taskId(id)
                        .build()).subscribe())
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void streamIngest_inProgressUntilItsMediaEnds() {
        String id = client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app).roomId("live")
                .roomIdType(0L).userId("robot").userSig(sig).streamUrl("https://example.invalid/a.mp4").build())
                .block(WAIT).taskId();

        StepVerifier.create(pollers.poll(TaskKind.STREAM_INGEST, app, id, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .then(() -> advance(60))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("NotExist"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void cloudSlice_exitsWhenItsRoomStaysEmpty() {
        emulator.rooms().join("slice-room", "alice");
        String id = client.createCloudSliceTask(CreateCloudSliceTaskRequest.builder().sdkAppId(app).roomId("slice-room")
                .roomIdType(0L).userId("robot").userSig(sig).sliceParams(SliceParams.builder().maxIdleTime(5L).build())
                .sliceStorageParams(SliceStorageParams.builder().build()).build()).block(WAIT).taskId();

        StepVerifier.create(pollers.poll(TaskKind.CLOUD_SLICE, app, id, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Idle"))
                .then(() -> advance(1))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .then(() -> {
                    emulator.rooms().leave("slice-room", "alice");
                    advance(5);
                })
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void cloudModerationAndTranscription_endWhenDeleted() {
        emulator.rooms().join("mod-room", "alice").join(5151, "bob");
        String moderation = client.createCloudModeration(CreateCloudModerationRequest.builder().sdkAppId(app)
                .roomId("mod-room").roomIdType(0L).userId("robot").userSig(sig)
                .moderationParams(ModerationParams.builder().build()).build()).block(WAIT).taskId();
        String transcription = client.createCloudTranscription(CreateCloudTranscriptionRequest.builder().sdkAppId(app)
                .roomId("5151").roomIdType(0L).transcriptionParam(TranscriptionParam.builder().userId("robot")
                        .userSig(sig).build()).asrParam(AsrParam.builder().lang("en").build()).build())
                .block(WAIT).taskId();
        advance(1);

        StepVerifier.create(pollers.poll(TaskKind.CLOUD_MODERATION, app, moderation, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .then(() -> client.deleteCloudModeration(DeleteCloudModerationRequest.builder().sdkAppId(app)
                        .taskId(moderation).build()).subscribe())
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pollers.poll(TaskKind.CLOUD_TRANSCRIPTION, app, transcription, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .then(() -> client.deleteCloudTranscription(DeleteCloudTranscriptionRequest.builder().sdkAppId(app)
                        .taskId(transcription).build()).subscribe())
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aiConversationAndTranscription_idlePreparingInProgressStopped() {
        emulator.rooms().join(777, "human");
        String conversation = client.startAIConversation(StartAIConversationRequest.builder().sdkAppId(app)
                .roomId("777").agentConfig(AgentConfig.builder().userId("robot").userSig(sig).targetUserId("human")
                        .build()).build()).block(WAIT).taskId();
        String transcription = client.startAITranscription(StartAITranscriptionRequest.builder().sdkAppId(app)
                .roomId("777").transcriptionParams(TranscriptionParams.builder().userId("transcriber")
                        .userSig(emulator.userSigs().generate("transcriber", Duration.ofHours(1))).build())
                .build()).block(WAIT).taskId();

        StepVerifier.create(pollers.poll(TaskKind.AI_CONVERSATION, app, conversation, FAST))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Idle"))
                .then(() -> advance(1))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Preparing"))
                .then(() -> advance(2))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .then(() -> client.stopAIConversation(StopAIConversationRequest.builder().taskId(conversation).build()).subscribe())
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Stopped"))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pollers.waitUntilFinished(TaskKind.AI_TRANSCRIPTION, app, transcription, FAST)
                        .doOnSubscribe(s -> client.stopAITranscription(StopAITranscriptionRequest.builder()
                                .taskId(transcription).build()).subscribe()))
                .assertNext(u -> assertThat(u.status().isTerminal()).isTrue())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void webRecord_runningThenGone() {
        String id = client.startWebRecord(StartWebRecordRequest.builder().sdkAppId(app)
                .recordUrl("https://example.invalid/page").storageParams(StorageParams.builder().cloudVod(CloudVod.builder().tencentVod(TencentVod.builder().build()).build()).build()).build())
                .block(WAIT).taskId();

        StepVerifier.create(pollers.poll(TaskKind.WEB_RECORD, app, id, FAST))
                .assertNext(u -> assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.RUNNING))
                .then(() -> client.stopWebRecord(StopWebRecordRequest.builder().taskId(id).build()).subscribe())
                .assertNext(u -> assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.GONE))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void waitUntil_returnsTheFirstMatchingUpdate_orFailsIfTheTaskEndsFirst() {
        emulator.rooms().join(778, "human");
        String id = client.startAIConversation(StartAIConversationRequest.builder().sdkAppId(app).roomId("778")
                .agentConfig(AgentConfig.builder().userId("robot").userSig(sig).targetUserId("human").build()).build())
                .block(WAIT).taskId();

        StepVerifier.create(pollers.waitUntil(TaskKind.AI_CONVERSATION, app, id, s -> s.is("InProgress"), FAST))
                .then(() -> advance(3))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .expectComplete()
                .verify(WAIT);
        client.stopAIConversation(StopAIConversationRequest.builder().taskId(id).build()).block(WAIT);
        StepVerifier.create(pollers.waitUntil(TaskKind.AI_CONVERSATION, app, id, s -> s.is("Preparing"), FAST))
                .expectErrorMessage("DescribeAIConversation: task " + id + " ended without reaching the awaited status")
                .verify(WAIT);
    }

    @Test
    void subscribersOfOneTask_shareOnePollLoop() {
        emulator.rooms().join("shared-room", "alice");
        String id = client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(app)
                .roomId("shared-room").roomIdType(0L).userId("robot").userSig(sig)
                .recordParams(RecordParams.builder().recordMode(2L).build())
                .storageParams(StorageParams.builder().cloudVod(CloudVod.builder().tencentVod(TencentVod.builder().build()).build()).build()).build()).block(WAIT).taskId();
        emulator.clearRequests();
        PollOptions slow = PollOptions.DEFAULTS.withInterval(Duration.ofMinutes(10));

        Flux<TaskUpdate<DescribeCloudRecordingResponse>> first = pollers.poll(TaskKind.CLOUD_RECORDING, app, id, slow);
        Flux<TaskUpdate<DescribeCloudRecordingResponse>> second = pollers.poll(TaskKind.CLOUD_RECORDING, app, id, slow);
        List<String> seen = new ArrayList<>();
        Disposable a = first.subscribe(u -> seen.add("a:" + u.status().value()));
        await(() -> seen.size() == 1);
        Disposable b = second.subscribe(u -> seen.add("b:" + u.status().value()));
        await(() -> seen.size() == 2);

        assertThat(seen).containsExactly("a:Idle", "b:Idle");
        assertThat(emulator.requests("DescribeCloudRecording")).hasSize(1);
        a.dispose();
        b.dispose();
    }

    @Test
    void startAndFollow_startsOnce_cancellingOnlyStopsWatching_andStopIsExplicit() {
        Mono<String> start = client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app).roomId("live-2")
                .roomIdType(0L).userId("robot").userSig(sig).streamUrl("https://example.invalid/b.mp4").repeatNum(-1L)
                .build()).map(StartStreamIngestResponse::taskId);
        FollowedTask<DescribeStreamIngestResponse> followed =
                pollers.startAndFollow(TaskKind.STREAM_INGEST, app, start, FAST);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Disposable a = followed.subscribe(u -> seen.add(u.status().value()));
        Disposable b = followed.subscribe(u -> seen.add(u.status().value()));
        await(() -> seen.size() >= 1);
        a.dispose();
        StepVerifier.create(followed.take(1)).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(followed.next().timeout(Duration.ofSeconds(5))).expectNextCount(1).expectComplete().verify(WAIT);
        b.dispose();

        assertThat(emulator.requests("StartStreamIngest")).hasSize(1);
        assertThat(emulator.requests("StopStreamIngest")).as("cancelling stops only the watching").isEmpty();
        StepVerifier.create(followed.stop()).expectComplete().verify(WAIT);
        assertThat(emulator.requests("StopStreamIngest")).singleElement()
                .satisfies(r -> assertThat(r.succeeded()).isTrue());
        assertThat(emulator.requests("StartStreamIngest")).as("stop does not start again").hasSize(1);
    }

    @Test
    void startAndFollow_aFailedStartIsNotKept_andStopBeforeAnyStartDoesNothing() {
        AtomicInteger starts = new AtomicInteger();
        Mono<String> start = Mono.defer(() -> starts.incrementAndGet() == 1
                ? Mono.<String>error(new io.github.trtcreactive.core.error.TrtcException("first start fails", null))
                : client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app).roomId("live-3")
                        .roomIdType(0L).userId("robot").userSig(sig).streamUrl("https://example.invalid/d.mp4")
                        .repeatNum(-1L).build()).map(StartStreamIngestResponse::taskId));
        FollowedTask<DescribeStreamIngestResponse> followed =
                pollers.startAndFollow(TaskKind.STREAM_INGEST, app, start, FAST);

        StepVerifier.create(followed.stop()).expectComplete().verify(WAIT);
        assertThat(starts).as("stop never starts").hasValue(0);
        StepVerifier.create(followed.take(1)).expectErrorMessage("first start fails").verify(WAIT);
        StepVerifier.create(followed.take(1)).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(followed.taskId()).expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(starts).hasValue(2);
        StepVerifier.create(followed.stop()).expectComplete().verify(WAIT);
        assertThat(emulator.requests("StopStreamIngest")).hasSize(1);
    }

    @Test
    void poll_builtButNeverSubscribed_leavesNoLoop_andAnEndedLoopOnlyRemovesItself() {
        Flux<TaskUpdate<DescribeStreamIngestResponse>> unused = pollers.poll(TaskKind.STREAM_INGEST, app, "never", FAST);
        assertThat(unused).isNotNull();
        assertThat(pollers.activeLoops()).isZero();

        String id = client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app).roomId("live-4")
                .roomIdType(0L).userId("robot").userSig(sig).streamUrl("https://example.invalid/e.mp4").repeatNum(-1L)
                .build()).map(StartStreamIngestResponse::taskId).block(WAIT);
        Disposable first = pollers.poll(TaskKind.STREAM_INGEST, app, id, FAST).subscribe();
        await(() -> pollers.activeLoops() == 1);
        first.dispose();
        Disposable second = pollers.poll(TaskKind.STREAM_INGEST, app, id, FAST).subscribe();
        Disposable third = pollers.poll(TaskKind.STREAM_INGEST, app, id, FAST).subscribe();
        await(() -> emulator.requests("DescribeStreamIngest").size() >= 4);

        assertThat(pollers.activeLoops()).as("one loop for the task, the ended one did not evict it").isEqualTo(1);
        second.dispose();
        third.dispose();
        await(() -> pollers.activeLoops() == 0);
    }

    @Test
    void aThousandConcurrentPollers_addNoThreads() {
        List<String> ids = Flux.range(0, 1000)
                .flatMap(i -> client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app)
                        .roomId("room-" + i).roomIdType(0L).userId("robot").userSig(sig)
                        .streamUrl("https://example.invalid/c.mp4").repeatNum(-1L).build()), 64)
                .map(StartStreamIngestResponse::taskId)
                .collectList().block(WAIT);
        PollOptions options = PollOptions.DEFAULTS.withInterval(Duration.ofMillis(200));
        pollers.waitUntil(TaskKind.STREAM_INGEST, app, ids.get(0), s -> s.is("InProgress"), options).block(WAIT);
        emulator.clearRequests();
        int before = ManagementFactory.getThreadMXBean().getThreadCount();

        List<Disposable> running = new ArrayList<>();
        for (String id : ids) {
            running.add(pollers.poll(TaskKind.STREAM_INGEST, app, id, options).subscribe());
        }
        await(() -> emulator.requests("DescribeStreamIngest").size() >= 3000);
        int during = ManagementFactory.getThreadMXBean().getThreadCount();
        running.forEach(Disposable::dispose);

        assertThat(during - before).as("threads added by 1,000 pollers").isLessThanOrEqualTo(2);
    }

    @Test
    void onlyThePollLoopRetries_notAlsoTheClient() {
        emulator.faults().always("DescribeStreamIngest", io.github.trtcreactive.emulator.Fault.internalError());
        PollOptions twoRetries = FAST.withRetries(2, Duration.ofMillis(10), 0);

        StepVerifier.create(pollers.poll(TaskKind.STREAM_INGEST, app, "t", twoRetries))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("InternalError"))
                .verify(WAIT);
        assertThat(emulator.arrivals("DescribeStreamIngest")).as("one call and two retries, not 3 x 3").isEqualTo(3);
    }

    @Test
    void rotatingSecretIds_leaveNoScheduleBehind_onceIdleForTheIdleTime() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try {
            TaskPollers rotating = TaskPollers.create(client, time);
            for (int i = 0; i < 1000; i++) {
                // Each follower takes its first turn at once and is cancelled: only the schedule stays.
                rotating.poll(TaskKind.STREAM_INGEST, app, "task" + i, FAST)
                        .contextWrite(TrtcCallOptions.none()
                                .withCredentials(Credentials.of("AKIDrotated" + i, "secret")).asContext())
                        .subscribe(u -> { }, e -> { }).dispose();
            }
            assertThat(rotating.scheduleCount()).as("one schedule per SecretId").isEqualTo(1000);

            time.advanceTimeBy(TurnSchedules.IDLE_TIME.minusSeconds(1));
            assertThat(rotating.scheduleCount()).as("not idle for the idle time yet").isEqualTo(1000);

            time.advanceTimeBy(TurnSchedules.IDLE_TIME.dividedBy(4).plusSeconds(1)); // and one sweep period
            assertThat(rotating.scheduleCount()).isZero();
            long scheduled = time.getScheduledTaskCount();
            time.advanceTimeBy(Duration.ofHours(1));
            assertThat(time.getScheduledTaskCount()).as("no sweep while nothing is held").isEqualTo(scheduled);
        } finally {
            time.dispose();
        }
    }
}
