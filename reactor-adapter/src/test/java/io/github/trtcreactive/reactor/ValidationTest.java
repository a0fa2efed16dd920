package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.AgentConfig;
import io.github.trtcreactive.core.model.CreateCloudModerationRequest;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCallDetailInfoRequest;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.DescribeStreamIngestRequest;
import io.github.trtcreactive.core.model.DescribeTrtcUsageRequest;
import io.github.trtcreactive.core.model.EncodeParams;
import io.github.trtcreactive.core.model.LayoutParams;
import io.github.trtcreactive.core.model.MixTranscodeParams;
import io.github.trtcreactive.core.model.ModerationParams;
import io.github.trtcreactive.core.model.OutputParams;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.RemoveUserRequest;
import io.github.trtcreactive.core.model.SetUserBlockedRequest;
import io.github.trtcreactive.core.model.StartAIConversationRequest;
import io.github.trtcreactive.core.model.StartMCUMixTranscodeRequest;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TrtcRequest;
import io.github.trtcreactive.core.model.TurnDetection;
import io.github.trtcreactive.core.model.Validation;
import io.github.trtcreactive.core.model.VideoParams;
import io.github.trtcreactive.core.model.VoiceCloneRequest;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The checks before sending, over real sockets: a refused request sends nothing and spends no permit;
 * the emulator refuses the same invalid requests, naming the same member; documented regions.
 */
class ValidationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrtcEmulator emulator;
    private final AtomicInteger granted = new AtomicInteger();
    private TrtcAsyncClient certain;
    private TrtcAsyncClient documented;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        RateLimitListener counting = new RateLimitListener() {
            @Override
            public void onGranted(String action, CallPriority priority, Duration waited) {
                granted.incrementAndGet();
            }
        };
        certain = TrtcAsyncClient.builder().credentials(emulator.credentials()).endpoint(emulator.uri())
                .rateLimiter(TrtcRateLimiter.builder().listener(counting).build()).retryPolicy(RetryPolicy.none()).build();
        documented = TrtcAsyncClient.builder().credentials(emulator.credentials()).endpoint(emulator.uri())
                .validation(Validation.DOCUMENTED).region("ap-singapore")
                .rateLimiter(TrtcRateLimiter.builder().listener(counting).build()).retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        certain.close();
        documented.close();
        emulator.close();
    }

    /** One invalid request, how to send it typed, and the member both sides must name. */
    record Invalid(String action, TrtcRequest request, Function<TrtcAsyncClient, Mono<?>> typed, String member) {}

    private List<Invalid> invalidRequests() {
        long app = emulator.sdkAppId();
        String sig = emulator.userSigs().generate("bot", Duration.ofHours(1));
        List<Invalid> all = new ArrayList<>();
        SetUserBlockedRequest blocked = SetUserBlockedRequest.builder().sdkAppId(app).roomId(1234).userId("u").isMute(7).build();
        all.add(new Invalid("SetUserBlocked", blocked, c -> c.setUserBlocked(blocked), "IsMute"));
        DescribeRoomInfoRequest rooms = DescribeRoomInfoRequest.builder().sdkAppId(app).startTime(1).endTime(2).pageSize(0)
                .build();
        all.add(new Invalid("DescribeRoomInfo", rooms, c -> c.describeRoomInfo(rooms), "PageSize"));
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            users.add("user" + i);
        }
        RemoveUserRequest remove = RemoveUserRequest.builder().sdkAppId(app).roomId(1234).userIds(users).build();
        all.add(new Invalid("RemoveUser", remove, c -> c.removeUser(remove), "UserIds"));
        Function<RecordParams, CreateCloudRecordingRequest> recording = params -> CreateCloudRecordingRequest.builder()
                .sdkAppId(app).roomId("1234").userId("bot").userSig(sig).recordParams(params)
                .storageParams(StorageParams.builder().build()).build();
        for (Object[] c : new Object[][] {
                {RecordParams.builder().recordMode(1).maxIdleTime(3).build(), "RecordParams.MaxIdleTime"},
                {RecordParams.builder().recordMode(3).build(), "RecordParams.RecordMode"},
                {RecordParams.builder().recordMode(1).streamType(3).build(), "RecordParams.StreamType"},
                {RecordParams.builder().recordMode(2).outputFormat(9).build(), "RecordParams.OutputFormat"}}) {
            CreateCloudRecordingRequest request = recording.apply((RecordParams) c[0]);
            all.add(new Invalid("CreateCloudRecording", request, cl -> cl.createCloudRecording(request), (String) c[1]));
        }
        CreateCloudRecordingRequest roomType = recording.apply(RecordParams.builder().recordMode(1).build()).toBuilder()
                .roomIdType(2).build();
        all.add(new Invalid("CreateCloudRecording", roomType, c -> c.createCloudRecording(roomType), "RoomIdType"));
        CreateCloudRecordingRequest roomForm = recording.apply(RecordParams.builder().recordMode(1).build()).toBuilder()
                .roomId("room-a").build();
        all.add(new Invalid("CreateCloudRecording", roomForm, c -> c.createCloudRecording(roomForm), "RoomId"));
        StartMCUMixTranscodeRequest mix = StartMCUMixTranscodeRequest.builder().sdkAppId(app).roomId(1234)
                .outputParams(OutputParams.builder().streamId("s").build())
                .encodeParams(EncodeParams.builder().audioSampleRate(48000).audioBitrate(64).audioChannels(2)
                        .videoWidth(1921).build())
                .layoutParams(LayoutParams.builder().build()).build();
        all.add(new Invalid("StartMCUMixTranscode", mix, c -> c.startMCUMixTranscode(mix), "EncodeParams.VideoWidth"));
        CreateCloudModerationRequest moderation = CreateCloudModerationRequest.builder().sdkAppId(app).roomId("1234")
                .userId("bot").userSig(sig).moderationParams(ModerationParams.builder().maxIdleTime(1801).build()).build();
        all.add(new Invalid("CreateCloudModeration", moderation, c -> c.createCloudModeration(moderation),
                "ModerationParams.MaxIdleTime"));
        VoiceCloneRequest voice = VoiceCloneRequest.builder().sdkAppId(app).voiceName("v".repeat(37)).promptAudio("a")
                .build();
        all.add(new Invalid("VoiceClone", voice, c -> c.voiceClone(voice), "VoiceName"));
        StartAIConversationRequest ai = StartAIConversationRequest.builder().sdkAppId(app).roomId("1234").roomIdType(3)
                .agentConfig(AgentConfig.builder().userId("bot").userSig(sig).targetUserId("u").build()).build();
        all.add(new Invalid("StartAIConversation", ai, c -> c.startAIConversation(ai), "RoomIdType"));
        StartAIConversationRequest eager = ai.toBuilder().roomIdType(StartAIConversationRequest.RoomIdType.STRING)
                .agentConfig(ai.agentConfig().toBuilder().turnDetection(TurnDetection.builder().semanticEagerness("eager")
                        .build()).build()).build();
        all.add(new Invalid("StartAIConversation", eager, c -> c.startAIConversation(eager),
                "AgentConfig.TurnDetection.SemanticEagerness"));
        // rules between members
        DescribeRoomInfoRequest day = DescribeRoomInfoRequest.builder().sdkAppId(app).startTime(1_700_000_000)
                .endTime(1_700_000_000 + 25 * 3600).build();
        all.add(new Invalid("DescribeRoomInfo", day, c -> c.describeRoomInfo(day), "EndTime"));
        DescribeCallDetailInfoRequest detail = DescribeCallDetailInfoRequest.builder().commId("c").sdkAppId(app)
                .startTime(1_700_000_000).endTime(1_700_000_600).dataType(List.of("appCpu")).pageSize(7).build();
        all.add(new Invalid("DescribeCallDetailInfo", detail, c -> c.describeCallDetailInfo(detail), "PageSize"));
        DescribeTrtcUsageRequest month = DescribeTrtcUsageRequest.builder().startTime("2026-01-01").endTime("2026-03-01")
                .build();
        all.add(new Invalid("DescribeTrtcUsage", month, c -> c.describeTrtcUsage(month), "EndTime"));
        DescribeTrtcUsageRequest form = DescribeTrtcUsageRequest.builder().startTime("01/01/2026").endTime("2026-01-02")
                .build();
        all.add(new Invalid("DescribeTrtcUsage", form, c -> c.describeTrtcUsage(form), "StartTime"));
        CreateCloudRecordingRequest square = recording.apply(RecordParams.builder().recordMode(2).build()).toBuilder()
                .mixTranscodeParams(MixTranscodeParams.builder().videoParams(VideoParams.builder().width(1920).height(1920)
                        .fps(15).bitRate(550_000).gop(10).build()).build()).build();
        all.add(new Invalid("CreateCloudRecording", square, c -> c.createCloudRecording(square),
                "MixTranscodeParams.VideoParams.Width"));
        return all;
    }

    @Test
    void theClientAndTheEmulator_refuseTheSameInvalidRequests_namingTheSameMember() {
        List<Invalid> invalid = invalidRequests();
        assertThat(invalid).hasSizeGreaterThanOrEqualTo(18);
        for (Invalid c : invalid) {
            StepVerifier.create(c.typed().apply(documented))
                    .expectErrorSatisfies(e -> assertThat(e).as(c.action() + " " + c.member())
                            .isInstanceOf(TrtcValidationException.class)
                            .hasMessageContaining(c.action() + " request rejected before sending")
                            .hasMessageContaining("member " + c.member() + ":"))
                    .verify(WAIT);
        }
        assertThat(emulator.requests()).as("nothing sent").isEmpty();
        assertThat(granted).as("no permit spent").hasValue(0);

        for (Invalid c : invalid) {
            JsonNode body = TrtcProtocol.mapper().valueToTree(c.request());
            StepVerifier.create(certain.call(c.action(), body))
                    .expectErrorSatisfies(e -> assertThat(e).as(c.action() + " " + c.member())
                            .isInstanceOfSatisfying(TrtcServiceException.class, s -> {
                                assertThat(s.errorCode()).startsWith("InvalidParameter");
                                assertThat(s.errorMessage()).contains("`" + c.member() + "`");
                            }))
                    .verify(WAIT);
        }
        assertThat(emulator.requests()).hasSize(invalid.size());
    }

    @Test
    void atTheDefaultLevel_aDocumentedRangeIsLeftToTheService() {
        SetUserBlockedRequest request = SetUserBlockedRequest.builder().sdkAppId(emulator.sdkAppId()).roomId(1234)
                .userId("u").isMute(7).build();
        StepVerifier.create(certain.setUserBlocked(request))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                        s -> assertThat(s.errorCode()).isEqualTo("InvalidParameterValue")))
                .verify(WAIT);
        assertThat(granted).hasValue(1);
    }

    @Test
    void anActionOutsideItsDocumentedRegions_isSentWithAWarningByDefault_refusedWhenDocumented_sentWhereItIsOffered() {
        DescribeStreamIngestRequest describe = DescribeStreamIngestRequest.builder().sdkAppId(emulator.sdkAppId())
                .taskId("no-such-task").build();
        // the default client's region is ap-guangzhou, which the action's page does not list
        assertThat(certain.region()).isEqualTo("ap-guangzhou");
        // sent (with a warning logged once): the service, played by the emulator, refuses the region
        StepVerifier.create(certain.describeStreamIngest(describe))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                        s -> assertThat(s.errorCode()).isEqualTo("UnsupportedRegion")))
                .verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).singleElement()
                .satisfies(r -> assertThat(r.header("X-TC-Region")).isEqualTo("ap-guangzhou"));

        TrtcAsyncClient guangzhou = documented.withRegion("ap-guangzhou");
        StepVerifier.create(guangzhou.describeStreamIngest(describe))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcValidationException.class)
                        .hasMessageContaining("region ap-guangzhou is not one the documentation lists for DescribeStreamIngest")
                        .hasMessageContaining("ap-bangkok, ap-jakarta, ap-mumbai, ap-singapore"))
                .verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).hasSize(1);

        // the documented client's own region (ap-singapore) is listed; a call's Context may pick another
        StepVerifier.create(documented.describeStreamIngest(describe).then()).expectComplete().verify(WAIT);
        StepVerifier.create(guangzhou.describeStreamIngest(describe)
                .contextWrite(TrtcCallOptions.none().withRegion("ap-jakarta").asContext()).then())
                .expectComplete().verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).extracting(r -> r.header("X-TC-Region"))
                .containsExactly("ap-guangzhou", "ap-singapore", "ap-jakarta");
    }
}
