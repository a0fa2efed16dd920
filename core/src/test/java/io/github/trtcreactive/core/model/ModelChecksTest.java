package io.github.trtcreactive.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The model's literal-friendly builders, its value sets, and the checks before sending at both
 * levels, on documented constraints of every family: each case changes one member of a request so
 * that it breaks one rule, and the checks must report exactly that member (and only at the level the
 * rule belongs to).
 */
class ModelChecksTest {

    /** One broken rule: the request before and after the change, the member named, and whether it is certain. */
    record Case(String name, Supplier<TrtcRequest> base, Supplier<TrtcRequest> broken, String member, boolean certain) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<String> users(int n) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add("user" + i);
        }
        return users;
    }

    private static CreateCloudRecordingRequest.Builder recording() {
        return CreateCloudRecordingRequest.builder().sdkAppId(1400000001).roomId("1234").userId("recorder")
                .userSig("sig").recordParams(RecordParams.builder().recordMode(1).build())
                .storageParams(StorageParams.builder().build());
    }

    private static RecordParams.Builder record() {
        return RecordParams.builder().recordMode(RecordParams.RecordMode.MIXED);
    }

    private static Case recordParams(String name, RecordParams broken, String member) {
        return recordParams(name, broken, member, false);
    }

    private static Case recordParams(String name, RecordParams broken, String member, boolean certain) {
        return new Case(name, () -> recording().recordParams(record().build()).build(),
                () -> recording().recordParams(broken).build(), member, certain);
    }

    private static MixLayout.Builder layout() {
        return MixLayout.builder().top(0).left(0).width(320).height(240).userId("u1");
    }

    private static Case encode(String name, EncodeParams.Builder broken, String member) {
        Supplier<EncodeParams.Builder> ok = () -> EncodeParams.builder().audioSampleRate(48000).audioBitrate(64)
                .audioChannels(AudioChannels.STEREO);
        return new Case(name,
                () -> StartMCUMixTranscodeRequest.builder().sdkAppId(1400000001).roomId(1234)
                        .encodeParams(ok.get().build()).build(),
                () -> StartMCUMixTranscodeRequest.builder().sdkAppId(1400000001).roomId(1234)
                        .encodeParams(broken.build()).build(), member, false);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Room management
                new Case("RemoveUser: 11 user ids", () -> RemoveUserRequest.builder().sdkAppId(1400000001).roomId(1234)
                        .userIds(users(10)).build(), () -> RemoveUserRequest.builder().sdkAppId(1400000001).roomId(1234)
                        .userIds(users(11)).build(), "UserIds", true),
                new Case("RemoveUserByStrRoomId: 100,000 user ids", () -> RemoveUserByStrRoomIdRequest.builder()
                        .sdkAppId(1400000001).roomId("r").userIds(users(1)).build(),
                        () -> RemoveUserByStrRoomIdRequest.builder().sdkAppId(1400000001).roomId("r")
                                .userIds(users(100_000)).build(), "UserIds", true),
                new Case("SetUserBlocked: IsMute 7", () -> SetUserBlockedRequest.builder().sdkAppId(1400000001)
                        .roomId(1234).userId("u").isMute(SetUserBlockedRequest.IsMute.DISABLE_AUDIO).build(),
                        () -> SetUserBlockedRequest.builder().sdkAppId(1400000001).roomId(1234).userId("u").isMute(7)
                                .build(), "IsMute", false),
                new Case("SetUserBlockedByStrRoomId: IsMute 4", () -> SetUserBlockedByStrRoomIdRequest.builder()
                        .sdkAppId(1400000001).strRoomId("r").userId("u").isMute(0).build(),
                        () -> SetUserBlockedByStrRoomIdRequest.builder().sdkAppId(1400000001).strRoomId("r").userId("u")
                                .isMute(4).build(), "IsMute", false),
                // Call quality
                new Case("DescribeRoomInfo: PageSize 0", () -> DescribeRoomInfoRequest.builder().sdkAppId(1400000001)
                        .startTime(1).endTime(2).pageSize(100).build(), () -> DescribeRoomInfoRequest.builder()
                        .sdkAppId(1400000001).startTime(1).endTime(2).pageSize(0).build(), "PageSize", false),
                new Case("DescribeUserInfo: PageSize 101", () -> DescribeUserInfoRequest.builder().sdkAppId(1400000001)
                        .commId("c").startTime(1).endTime(2).pageSize(1).build(), () -> DescribeUserInfoRequest.builder()
                        .sdkAppId(1400000001).commId("c").startTime(1).endTime(2).pageSize(101).build(), "PageSize", false),
                new Case("DescribeUserInfo: 101 user ids", () -> DescribeUserInfoRequest.builder().sdkAppId(1400000001)
                        .commId("c").startTime(1).endTime(2).userIds(users(100)).build(),
                        () -> DescribeUserInfoRequest.builder().sdkAppId(1400000001).commId("c").startTime(1).endTime(2)
                                .userIds(users(101)).build(), "UserIds", true),
                new Case("DescribeCallDetailInfo: PageSize 101", () -> DescribeCallDetailInfoRequest.builder()
                        .sdkAppId(1400000001).commId("c").startTime(1).endTime(2).build(),
                        () -> DescribeCallDetailInfoRequest.builder().sdkAppId(1400000001).commId("c").startTime(1)
                                .endTime(2).pageSize(101).build(), "PageSize", false),
                // Recording
                new Case("CreateCloudRecording: RoomIdType 2", () -> recording().roomIdType(
                        CreateCloudRecordingRequest.RoomIdType.STRING).roomId("room-a").build(),
                        () -> recording().roomIdType(2).build(), "RoomIdType", false),
                new Case("CreateCloudRecording: a string id in an integer room", () -> recording().roomId("4294967295")
                        .build(), () -> recording().roomId("room-a").build(), "RoomId", false),
                new Case("CreateCloudRecording: ResourceExpiredHour 5", () -> recording().resourceExpiredHour(6).build(),
                        () -> recording().resourceExpiredHour(5).build(), "ResourceExpiredHour", false),
                recordParams("RecordParams: RecordMode 3", record().recordMode(3).build(), "RecordParams.RecordMode"),
                recordParams("RecordParams: MaxIdleTime 4", record().maxIdleTime(4).build(), "RecordParams.MaxIdleTime"),
                recordParams("RecordParams: MaxIdleTime 86,401", record().maxIdleTime(86_401).build(),
                        "RecordParams.MaxIdleTime"),
                recordParams("RecordParams: StreamType 3", record().streamType(3).build(), "RecordParams.StreamType"),
                recordParams("RecordParams: OutputFormat 5", record().outputFormat(5).build(), "RecordParams.OutputFormat"),
                recordParams("RecordParams: MaxMediaFileDuration 1,441", record().maxMediaFileDuration(1441).build(),
                        "RecordParams.MaxMediaFileDuration"),
                recordParams("RecordParams: MediaId 3", record().mediaId(3).build(), "RecordParams.MediaId"),
                recordParams("RecordParams: 33 users in an allowlist", record().subscribeStreamUserIds(
                        SubscribeStreamUserIds.builder().subscribeAudioUserIds(users(33)).build()).build(),
                        "RecordParams.SubscribeStreamUserIds.SubscribeAudioUserIds", true),
                new Case("TencentVod: MediaType 5", () -> recording().storageParams(StorageParams.builder().cloudVod(
                        CloudVod.builder().tencentVod(TencentVod.builder().mediaType(4).build()).build()).build()).build(),
                        () -> recording().storageParams(StorageParams.builder().cloudVod(CloudVod.builder().tencentVod(
                                TencentVod.builder().mediaType(5).build()).build()).build()).build(),
                        "StorageParams.CloudVod.TencentVod.MediaType", false),
                new Case("CloudStorage: Vendor 2", () -> recording().storageParams(StorageParams.builder().cloudStorage(
                        CloudStorage.builder().vendor(CloudStorage.Vendor.AWS_S3).build()).build()).build(),
                        () -> recording().storageParams(StorageParams.builder().cloudStorage(CloudStorage.builder()
                                .vendor(2).build()).build()).build(), "StorageParams.CloudStorage.Vendor", false),
                new Case("MixLayoutParams: MixLayoutMode 5", () -> recording().mixLayoutParams(MixLayoutParams.builder()
                        .mixLayoutMode(MixLayoutParams.MixLayoutMode.CUSTOM).build()).build(),
                        () -> recording().mixLayoutParams(MixLayoutParams.builder().mixLayoutMode(5).build()).build(),
                        "MixLayoutParams.MixLayoutMode", false),
                new Case("MixLayoutParams: 26 layouts", () -> recording().mixLayoutParams(MixLayoutParams.builder()
                        .mixLayoutList(Collections.nCopies(25, layout().build())).build()).build(),
                        () -> recording().mixLayoutParams(MixLayoutParams.builder()
                                .mixLayoutList(Collections.nCopies(26, layout().build())).build()).build(),
                        "MixLayoutParams.MixLayoutList", true),
                new Case("MixLayout: Alpha 256", () -> recording().mixLayoutParams(MixLayoutParams.builder()
                        .mixLayoutList(List.of(layout().alpha(255).build())).build()).build(),
                        () -> recording().mixLayoutParams(MixLayoutParams.builder()
                                .mixLayoutList(List.of(layout().alpha(256).build())).build()).build(),
                        "MixLayoutParams.MixLayoutList[0].Alpha", false),
                new Case("MixLayout: RenderMode 4", () -> recording().mixLayoutParams(MixLayoutParams.builder()
                        .mixLayoutList(List.of(layout().renderMode(MixLayout.RenderMode.LETTERBOX).build())).build()).build(),
                        () -> recording().mixLayoutParams(MixLayoutParams.builder()
                                .mixLayoutList(List.of(layout().renderMode(4).build())).build()).build(),
                        "MixLayoutParams.MixLayoutList[0].RenderMode", false),
                // Mixing and relay
                encode("EncodeParams: VideoWidth 1,921", EncodeParams.builder().audioSampleRate(48000).audioBitrate(64)
                        .audioChannels(2).videoWidth(1921), "EncodeParams.VideoWidth"),
                encode("EncodeParams: AudioChannels 3", EncodeParams.builder().audioSampleRate(48000).audioBitrate(64)
                        .audioChannels(3), "EncodeParams.AudioChannels"),
                encode("EncodeParams: AudioBitrate 501", EncodeParams.builder().audioSampleRate(48000).audioBitrate(501)
                        .audioChannels(2), "EncodeParams.AudioBitrate"),
                encode("EncodeParams: VideoGop 6", EncodeParams.builder().audioSampleRate(48000).audioBitrate(64)
                        .audioChannels(2).videoGop(6), "EncodeParams.VideoGop"),
                encode("EncodeParams: a 513-character image URL", EncodeParams.builder().audioSampleRate(48000)
                        .audioBitrate(64).audioChannels(2).backgroundImageUrl("https://" + "a".repeat(505)),
                        "EncodeParams.BackgroundImageUrl"),
                new Case("StartPublishCdnStream: RoomIdType 2", () -> StartPublishCdnStreamRequest.builder()
                        .sdkAppId(1400000001).roomId("1234").roomIdType(StartPublishCdnStreamRequest.RoomIdType.INTEGER)
                        .build(), () -> StartPublishCdnStreamRequest.builder().sdkAppId(1400000001).roomId("1234")
                        .roomIdType(2).build(), "RoomIdType", false),
                new Case("StartPublishCdnStream: 11 CDN addresses", () -> StartPublishCdnStreamRequest.builder()
                        .sdkAppId(1400000001).publishCdnParams(Collections.nCopies(10, McuPublishCdnParam.builder()
                                .publishCdnUrl("rtmp://x/y").build())).build(),
                        () -> StartPublishCdnStreamRequest.builder().sdkAppId(1400000001).publishCdnParams(
                                Collections.nCopies(11, McuPublishCdnParam.builder().publishCdnUrl("rtmp://x/y").build()))
                                .build(), "PublishCdnParams", true),
                new Case("StartPublishCdnStream: 17 custom layouts", () -> StartPublishCdnStreamRequest.builder()
                        .sdkAppId(1400000001).videoParams(McuVideoParams.builder().layoutParams(McuLayoutParams.builder()
                                .mixLayoutList(Collections.nCopies(16, McuLayout.builder().build())).build()).build())
                        .build(), () -> StartPublishCdnStreamRequest.builder().sdkAppId(1400000001).videoParams(
                                McuVideoParams.builder().layoutParams(McuLayoutParams.builder().mixLayoutList(
                                        Collections.nCopies(17, McuLayout.builder().build())).build()).build()).build(),
                        "VideoParams.LayoutParams.MixLayoutList", true),
                // Slicing, moderation, ingest, AI
                new Case("CreateCloudSliceTask: ResourceExpiredHour 721", () -> CreateCloudSliceTaskRequest.builder()
                        .sdkAppId(1400000001).resourceExpiredHour(720).build(), () -> CreateCloudSliceTaskRequest.builder()
                        .sdkAppId(1400000001).resourceExpiredHour(721).build(), "ResourceExpiredHour", false),
                new Case("SliceParams: SliceType 4", () -> CreateCloudSliceTaskRequest.builder().sdkAppId(1400000001)
                        .sliceParams(SliceParams.builder().sliceType(SliceParams.SliceType.AUDIO).build()).build(),
                        () -> CreateCloudSliceTaskRequest.builder().sdkAppId(1400000001)
                                .sliceParams(SliceParams.builder().sliceType(4).build()).build(),
                        "SliceParams.SliceType", false),
                new Case("ModerationParams: MaxIdleTime 1,801", () -> CreateCloudModerationRequest.builder()
                        .sdkAppId(1400000001).moderationParams(ModerationParams.builder().maxIdleTime(1800).build()).build(),
                        () -> CreateCloudModerationRequest.builder().sdkAppId(1400000001)
                                .moderationParams(ModerationParams.builder().maxIdleTime(1801).build()).build(),
                        "ModerationParams.MaxIdleTime", false),
                new Case("CreateLiveStreamModeration: a 61-character DataId", () -> CreateLiveStreamModerationRequest
                        .builder().sdkAppId(1400000001).dataId("d".repeat(60)).build(),
                        () -> CreateLiveStreamModerationRequest.builder().sdkAppId(1400000001).dataId("d".repeat(61))
                                .build(), "DataId", false),
                new Case("LiveModerationParams: SliceAudio 4", () -> CreateLiveStreamModerationRequest.builder()
                        .sdkAppId(1400000001).liveModerationParams(LiveModerationParams.builder().sliceAudio(5).build())
                        .build(), () -> CreateLiveStreamModerationRequest.builder().sdkAppId(1400000001)
                        .liveModerationParams(LiveModerationParams.builder().sliceAudio(4).build()).build(),
                        "LiveModerationParams.SliceAudio", false),
                new Case("StartStreamIngest: a string id in an integer room", () -> StartStreamIngestRequest.builder()
                        .sdkAppId(1400000001).roomId("abc").roomIdType(StartStreamIngestRequest.RoomIdType.STRING).build(),
                        () -> StartStreamIngestRequest.builder().sdkAppId(1400000001).roomId("abc")
                                .roomIdType(StartStreamIngestRequest.RoomIdType.INTEGER).build(), "RoomId", false),
                new Case("StartAIConversation: RoomIdType 3", () -> StartAIConversationRequest.builder()
                        .sdkAppId(1400000001).roomIdType(StartAIConversationRequest.RoomIdType.STRING).build(),
                        () -> StartAIConversationRequest.builder().sdkAppId(1400000001).roomIdType(3).build(),
                        "RoomIdType", false),
                new Case("CreateCloudTranscription: five alternative languages", () -> CreateCloudTranscriptionRequest
                        .builder().sdkAppId(1400000001).asrParam(AsrParam.builder()
                                .alternativeLanguage(List.of("en", "ja", "ko", "th")).build()).build(),
                        () -> CreateCloudTranscriptionRequest.builder().sdkAppId(1400000001).asrParam(AsrParam.builder()
                                .alternativeLanguage(List.of("en", "ja", "ko", "th", "id")).build()).build(),
                        "AsrParam.AlternativeLanguage", true),
                // Usage and market data (string value sets)
                new Case("DescribeRecordingUsage: MixType both", () -> DescribeRecordingUsageRequest.builder()
                        .mixType(DescribeRecordingUsageRequest.MixType.MIXED).build(),
                        () -> DescribeRecordingUsageRequest.builder().mixType("both").build(), "MixType", false),
                new Case("DescribeTRTCMarketScaleData: Period w", () -> DescribeTRTCMarketScaleDataRequest.builder()
                        .period(DataGranularity.DAY).build(),
                        () -> DescribeTRTCMarketScaleDataRequest.builder().period("w").build(), "Period", false),
                new Case("VoiceClone: a 37-character name", () -> VoiceCloneRequest.builder().sdkAppId(1400000001)
                        .voiceName("v".repeat(36)).promptAudio("a").build(), () -> VoiceCloneRequest.builder()
                        .sdkAppId(1400000001).voiceName("v".repeat(37)).promptAudio("a").build(), "VoiceName", false),
                // Rules between members
                new Case("DescribeRoomInfo: 24 hours and a second", () -> roomInfo(86_400), () -> roomInfo(86_401),
                        "EndTime", false),
                new Case("DescribeRoomInfo: the end before the start", () -> roomInfo(0), () -> roomInfo(-1),
                        "EndTime", false),
                new Case("DescribeCallDetailInfo: 2 hours with DataType set", () -> callDetail(7_200, null, null),
                        () -> callDetail(7_200, List.of("appCpu"), null), "EndTime", false),
                new Case("DescribeCallDetailInfo: 5 hours", () -> callDetail(14_400, null, null),
                        () -> callDetail(18_000, null, null), "EndTime", false),
                new Case("DescribeCallDetailInfo: PageSize 7 with DataType set", () -> callDetail(600, null, 7L),
                        () -> callDetail(600, List.of("all"), 7L), "PageSize", false),
                new Case("DescribeUnusualEvent: 61 minutes", () -> DescribeUnusualEventRequest.builder()
                        .sdkAppId(1400000001).startTime(1_700_000_000).endTime(1_700_003_600).build(),
                        () -> DescribeUnusualEventRequest.builder().sdkAppId(1400000001).startTime(1_700_000_000)
                                .endTime(1_700_003_660).build(), "EndTime", false),
                new Case("DescribeTrtcUsage: 32 days", () -> DescribeTrtcUsageRequest.builder().startTime("2026-01-01")
                        .endTime("2026-01-31").build(), () -> DescribeTrtcUsageRequest.builder().startTime("2026-01-01")
                        .endTime("2026-02-01").build(), "EndTime", false),
                new Case("DescribeTrtcUsage: a date not in the documented form", () -> DescribeTrtcUsageRequest.builder()
                        .startTime("2026-01-01").endTime("2026-01-02").build(), () -> DescribeTrtcUsageRequest.builder()
                        .startTime("2026/01/01").endTime("2026-01-02").build(), "StartTime", false),
                new Case("DescribeTRTCAIRecognitionUsage: a date without its time", () -> aiUsage("2026-01-02 00:00:00"),
                        () -> aiUsage("2026-01-02"), "EndTime", false),
                new Case("VideoParams: 1920 x 1920 pixels", () -> relayVideo(1920, 1080), () -> relayVideo(1920, 1920),
                        "MixTranscodeParams.VideoParams.Width", false),
                new Case("TurnDetection: SemanticEagerness eager", () -> turnDetection(TurnDetection.SemanticEagerness.HIGH.value()),
                        () -> turnDetection("eager"), "AgentConfig.TurnDetection.SemanticEagerness", false),
                new Case("WebRecordVideoParams: Format flv", () -> webRecord("mp4"), () -> webRecord("flv"),
                        "WebRecordVideoParams.Format", false));
    }

    private static TrtcRequest roomInfo(long seconds) {
        return DescribeRoomInfoRequest.builder().sdkAppId(1400000001).startTime(1_700_000_000)
                .endTime(1_700_000_000 + seconds).build();
    }

    private static TrtcRequest callDetail(long seconds, List<String> dataType, Long pageSize) {
        return DescribeCallDetailInfoRequest.builder().commId("c").sdkAppId(1400000001).startTime(1_700_000_000)
                .endTime(1_700_000_000 + seconds).dataType(dataType).pageSize(pageSize).build();
    }

    private static TrtcRequest aiUsage(String end) {
        return DescribeTRTCAIRecognitionUsageRequest.builder().startTime("2026-01-01 00:00:00").endTime(end)
                .auType(List.of("STT")).build();
    }

    private static TrtcRequest relayVideo(long width, long height) {
        return recording().mixTranscodeParams(MixTranscodeParams.builder().videoParams(VideoParams.builder().width(width)
                .height(height).fps(15).bitRate(550_000).gop(10).build()).build()).build();
    }

    private static TrtcRequest turnDetection(String eagerness) {
        return StartAIConversationRequest.builder().sdkAppId(1400000001).roomId("1234")
                .agentConfig(AgentConfig.builder().userId("bot").userSig("sig").targetUserId("u")
                        .turnDetection(TurnDetection.builder().semanticEagerness(eagerness).build()).build())
                .build();
    }

    private static TrtcRequest webRecord(String format) {
        return StartWebRecordRequest.builder().recordUrl("https://example.com").sdkAppId(1400000001)
                .webRecordVideoParams(WebRecordVideoParams.builder().format(format).build()).build();
    }


    private static List<String> added(Case c, Validation level) {
        List<String> before = TrtcProtocol.violations(c.base().get(), level);
        List<String> after = new ArrayList<>(TrtcProtocol.violations(c.broken().get(), level));
        after.removeAll(before);
        return after;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void documented_refusesEveryBrokenRule_namingTheMember(Case c) {
        List<String> added = added(c, Validation.DOCUMENTED);
        assertThat(added).as(c.name()).singleElement().satisfies(v -> assertThat(v).startsWith("member " + c.member() + ":"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void certain_refusesOnlyWhatIsCertain(Case c) {
        List<String> added = added(c, Validation.CERTAIN);
        if (c.certain()) {
            assertThat(added).as(c.name()).singleElement()
                    .satisfies(v -> assertThat(v).startsWith("member " + c.member() + ":").contains("elements"));
        } else {
            assertThat(added).as(c.name()).isEmpty();
        }
    }

    @Test
    void theSampleCoversThirtyConstraints_inEveryFamily() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(30);
        assertThat(cases().filter(Case::certain).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aRefusal_namesTheRuleAndTheValue() {
        TrtcRequest request = SetUserBlockedRequest.builder().sdkAppId(1400000001).roomId(1234).userId("u").isMute(7)
                .build();
        assertThat(TrtcProtocol.violations(request, Validation.DOCUMENTED))
                .containsExactly("member IsMute: must be one of [0, 1, 2, 3] (documented values), was 7");
        assertThat(TrtcProtocol.violations(recording().recordParams(record().maxIdleTime(3).build()).build(),
                Validation.DOCUMENTED))
                .containsExactly("member RecordParams.MaxIdleTime: must be between 5 and 86400 (documented range), was 3");
    }

    @Test
    void aRuleBetweenMembers_namesBothMembersTheBoundAndTheCondition() {
        assertThat(TrtcProtocol.violations(callDetail(7_200, List.of("appCpu"), 7L), Validation.DOCUMENTED)).containsExactly(
                "member EndTime: must be at most 1 hour after StartTime (documented, when DataType is set), was 2 hours after it",
                "member PageSize: must be at most 6 when DataType is set (documented), was 7");
        assertThat(TrtcProtocol.violations(DescribeTrtcUsageRequest.builder().startTime("2026-02-30").endTime("2026-03-01")
                .build(), Validation.DOCUMENTED))
                .containsExactly("member StartTime: must be a date in the form YYYY-MM-DD (documented), was 2026-02-30");
        assertThat(TrtcProtocol.violations(relayVideo(1920, 1920), Validation.DOCUMENTED)).containsExactly(
                "member MixTranscodeParams.VideoParams.Width: Width \u00d7 Height must be at most 1920 \u00d7 1080"
                        + " (documented), was 1920 \u00d7 1920");
        assertThat(TrtcProtocol.violations(roomInfo(86_401), Validation.CERTAIN)).isEmpty();
    }

    @Test
    void literalsCompile_andNullStillMeansNotSent() {
        RemoveUserRequest request = RemoveUserRequest.builder().sdkAppId(1400000001).roomId(1234)
                .userIds(List.of("a")).build();
        assertThat(request.sdkAppId()).isEqualTo(1400000001L);
        assertThat(AmbientSound.builder().volume(1.5).build().volume()).isEqualTo(1.5);
        assertThat(CreateCloudRecordingRequest.builder().roomIdType(0).roomIdType((Long) null).build().roomIdType())
                .isNull();
        assertThat(TrtcProtocol.encode("RemoveUser", RemoveUserRequest.builder().sdkAppId(1L).build()))
                .asString().isEqualTo("{\"SdkAppId\":1}");
    }

    @Test
    void theStringRoomIdConstant_differsBetweenActionsThatMeanOppositeThings() {
        assertThat(CreateCloudRecordingRequest.RoomIdType.STRING.value()).isEqualTo(0L);
        assertThat(CreateCloudRecordingRequest.RoomIdType.INTEGER.value()).isEqualTo(1L);
        assertThat(StartAIConversationRequest.RoomIdType.STRING.value()).isEqualTo(1L);
        assertThat(StartAIConversationRequest.RoomIdType.INTEGER.value()).isEqualTo(0L);
        assertThat(CreateCloudRecordingRequest.builder().roomIdType(CreateCloudRecordingRequest.RoomIdType.STRING)
                .build().roomIdType()).isEqualTo(0L);
        assertThat(StartAIConversationRequest.builder().roomIdType(StartAIConversationRequest.RoomIdType.STRING)
                .build().roomIdType()).isEqualTo(1L);
    }

    @Test
    void stringValueSets_sendTheirDocumentedStrings() {
        assertThat(DescribeRecordingUsageRequest.builder().mixType(DescribeRecordingUsageRequest.MixType.SINGLE).build()
                .mixType()).isEqualTo("single");
        assertThat(DataGranularity.of("h")).isSameAs(DataGranularity.HOUR);
        assertThat(DataGranularity.of("w").isKnown()).isFalse();
        assertThat(DataGranularity.of("w").value()).isEqualTo("w");
    }

    @Test
    void valueSetsAreOpen_unknownValuesAreKept() {
        CreateCloudRecordingRequest.RoomIdType unknown = CreateCloudRecordingRequest.RoomIdType.of(7);
        assertThat(unknown.isKnown()).isFalse();
        assertThat(unknown.value()).isEqualTo(7L);
        assertThat(unknown).hasToString("7").isEqualTo(CreateCloudRecordingRequest.RoomIdType.of(7));
        assertThat(CreateCloudRecordingRequest.RoomIdType.of(0)).isSameAs(CreateCloudRecordingRequest.RoomIdType.STRING)
                .hasToString("STRING(0)");
        assertThat(CreateCloudRecordingRequest.RoomIdType.known()).containsExactly(
                CreateCloudRecordingRequest.RoomIdType.STRING, CreateCloudRecordingRequest.RoomIdType.INTEGER);
        assertThat(AudioChannels.of(2)).isSameAs(AudioChannels.STEREO);
    }

    @Test
    void aNullElementInARequestList_isRefusedWhenTheRequestIsBuilt() {
        assertThatThrownBy(() -> RemoveUserRequest.builder().userIds(Arrays.asList("a", null)))
                .isInstanceOf(TrtcValidationException.class)
                .hasMessageContaining("RemoveUser")
                .hasMessageContaining("member UserIds: element 1 is null");
        // in a nested structure, the check before sending finds it
        TrtcRequest nested = recording().recordParams(record().subscribeStreamUserIds(SubscribeStreamUserIds.builder()
                .subscribeVideoUserIds(Arrays.asList("a", null)).build()).build()).build();
        assertThat(TrtcProtocol.violations(nested, Validation.CERTAIN)).containsExactly(
                "member RecordParams.SubscribeStreamUserIds.SubscribeVideoUserIds: element 1 is null (lists may not hold null)");
    }
}
