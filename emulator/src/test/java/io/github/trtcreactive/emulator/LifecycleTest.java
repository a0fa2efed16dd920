package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Task and room lifecycles on a fixed clock that the tests move forward. */
class LifecycleTest {

    private TrtcEmulator emulator;
    private RawClient client;
    private String sig;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false)
                .streamMediaLength(Duration.ofSeconds(30)).start();
        client = new RawClient(emulator);
        sig = emulator.userSigs().generate("robot", Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private void advance(int seconds) {
        emulator.clock().advance(Duration.ofSeconds(seconds));
    }

    private String createRecording(String room, int mode, String extra) {
        return client.ok("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"" + room + "\",\"RoomIdType\":0,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":" + mode + extra
                + "},\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{}}}}").get("TaskId").asText();
    }

    private RawClient.Reply describeRecording(String taskId) {
        return client.call("DescribeCloudRecording", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + taskId + "\"}");
    }

    @Test
    void recording_idleInProgressExitedGone_andDescribeReflectsModify() {
        emulator.rooms().join("room-1", "alice", "bob");
        String task = createRecording("room-1", 1, "");
        assertThat(task).contains("+").endsWith("..");

        assertThat(describeRecording(task).response().get("Status").asText()).isEqualTo("Idle");
        advance(1);
        JsonNode running = describeRecording(task).response();
        assertThat(running.get("Status").asText()).isEqualTo("InProgress");
        assertThat(running.get("StorageFileList")).extracting(f -> f.get("UserId").asText())
                .containsExactly("alice", "bob");

        client.ok("ModifyCloudRecording", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\","
                + "\"SubscribeStreamUserIds\":{\"SubscribeVideoUserIds\":[\"bob\"]}}");
        assertThat(describeRecording(task).response().get("StorageFileList"))
                .extracting(f -> f.get("UserId").asText()).containsExactly("bob");

        client.ok("DeleteCloudRecording", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}");
        assertThat(describeRecording(task).response().get("Status").asText()).isEqualTo("Exited");
        assertThat(client.call("ModifyCloudRecording", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}")
                .errorCode()).isEqualTo("FailedOperation");
        advance(5);
        assertThat(describeRecording(task).errorCode()).isEqualTo("ResourceNotFound");
        assertThat(describeRecording("no-such-task").errorCode()).isEqualTo("ResourceNotFound");
    }

    @Test
    void recording_exitsByItselfAfterMaxIdleTimeInAnEmptyRoom() {
        emulator.rooms().join("room-2", "alice");
        String task = createRecording("room-2", 2, ",\"MaxIdleTime\":10");
        advance(1);
        assertThat(describeRecording(task).response().get("StorageFileList")).singleElement()
                .satisfies(f -> assertThat(f.get("UserId").asText()).isEmpty());

        emulator.rooms().leave("room-2", "alice");
        advance(9);
        assertThat(describeRecording(task).response().get("Status").asText()).isEqualTo("Idle");
        emulator.rooms().join("room-2", "carol"); // back before the idle time ran out: the count restarts
        advance(20);
        assertThat(describeRecording(task).response().get("Status").asText()).isEqualTo("InProgress");
        emulator.rooms().leave("room-2", "carol");
        advance(10);
        assertThat(describeRecording(task).response().get("Status").asText()).isEqualTo("Exited");
    }

    @Test
    void recording_badUserSigOrRange_isRejected() {
        sig = emulator.userSigs().generate("someone-else", Duration.ofHours(1));
        RawClient.Reply wrongUser = client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"r\",\"RoomIdType\":0,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1},"
                + "\"StorageParams\":{}}");
        assertThat(wrongUser.errorCode()).isEqualTo("InvalidParameter.UserSig");
        assertThat(wrongUser.response().at("/Error/Message").asText()).contains("identifier mismatch");

        sig = emulator.userSigs().generate("robot", Duration.ofSeconds(10));
        advance(11);
        RawClient.Reply expired = client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"r\",\"RoomIdType\":0,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1},\"StorageParams\":{}}");
        assertThat(expired.errorCode()).isEqualTo("InvalidParameter.UserSig");
        assertThat(expired.response().at("/Error/Message").asText()).contains("expired");

        sig = emulator.userSigs().generate("robot", Duration.ofHours(1));
        assertThat(client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"r\",\"RoomIdType\":0,\"UserId\":\"robot\","
                + "\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1,\"MaxIdleTime\":2},\"StorageParams\":{}}")
                .errorCode()).isEqualTo("InvalidParameter.OutOfRange");
        assertThat(client.call("CreateCloudRecording", "{\"SdkAppId\":42,\"RoomId\":\"r\",\"RoomIdType\":0,\"UserId\":\"robot\","
                + "\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1},\"StorageParams\":{}}")
                .errorCode()).isEqualTo("FailedOperation.SdkAppIdNotExist");
    }

    @Test
    void streamIngest_runsForItsRepeats_thenReportsNotExist() {
        String start = "{\"SdkAppId\":1400000001,\"RoomId\":\"live\",\"RoomIdType\":0,\"UserId\":\"robot\","
                + "\"UserSig\":\"" + sig + "\",\"StreamUrl\":\"https://example.invalid/a.mp4\",\"RepeatNum\":2}";
        String task = client.ok("StartStreamIngest", start).get("TaskId").asText();
        assertThat(client.call("StartStreamIngest", start).errorCode()).isEqualTo("FailedOperation.TaskExist");
        String id = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}";

        assertThat(client.ok("DescribeStreamIngest", id).get("Status").asText()).isEqualTo("InProgress");
        assertThat(client.ok("UpdateStreamIngest", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\",\"Volume\":50}")
                .get("Status").asText()).isEqualTo("InProgress");
        advance(59);
        assertThat(client.ok("DescribeStreamIngest", id).get("Status").asText()).isEqualTo("InProgress");
        advance(1);
        assertThat(client.ok("DescribeStreamIngest", id).get("Status").asText()).isEqualTo("NotExist");
        assertThat(client.call("UpdateStreamIngest", id).errorCode()).isEqualTo("FailedOperation.TaskNotExist");
        assertThat(client.call("StopStreamIngest", id).errorCode()).isEqualTo("FailedOperation.TaskFinished");

        String looping = client.ok("StartStreamIngest", start.replace("\"RepeatNum\":2", "\"RepeatNum\":-1"))
                .get("TaskId").asText();
        String loopId = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + looping + "\"}";
        advance(3600);
        assertThat(client.ok("DescribeStreamIngest", loopId).get("Status").asText()).isEqualTo("InProgress");
        client.ok("StopStreamIngest", loopId);
        assertThat(client.ok("DescribeStreamIngest", loopId).get("Status").asText()).isEqualTo("NotExist");
    }

    @Test
    void publishCdn_sequenceNumbersMustGrow_andAStoppedTaskIsGone() {
        String start = "{\"SdkAppId\":1400000001,\"RoomId\":\"1234\",\"RoomIdType\":0,\"WithTranscoding\":1,"
                + "\"AgentParams\":{\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\"},"
                + "\"PublishCdnParams\":[{\"PublishCdnUrl\":\"rtmp://example.invalid/live/a\",\"IsTencentCdn\":0}]}";
        emulator.rooms().join(1234, "anchor");
        String task = client.ok("StartPublishCdnStream", start).get("TaskId").asText();
        String update = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\",\"WithTranscoding\":1,\"SequenceNumber\":";

        client.ok("UpdatePublishCdnStream", update + "1}");
        assertThat(client.call("UpdatePublishCdnStream", update + "1}").errorCode()).isEqualTo("InvalidParameter");
        assertThat(client.call("UpdatePublishCdnStream", update.replace("\"WithTranscoding\":1", "\"WithTranscoding\":0")
                + "2,\"SingleSubscribeParams\":{\"UserMediaStream\":{}}}").errorCode()).isEqualTo("InvalidParameter");
        client.ok("StopPublishCdnStream", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}");
        assertThat(client.call("UpdatePublishCdnStream", update + "3}").errorCode()).isEqualTo("ResourceNotFound");
        assertThat(client.call("StartPublishCdnStream", start.replace(",\"PublishCdnParams\"", ",\"X\"")).errorCode())
                .as("a member the action does not define").isEqualTo("UnknownParameter");
        String feedback = start.replace(",\"PublishCdnParams\"", ",\"FeedBackRoomParams\":[{\"RoomId\":\"other\",\"RoomIdType\":1,"
                + "\"UserId\":\"relay-bot\",\"UserSig\":\"FEEDBACK-SIG\"}],\"PublishCdnParams\"");
        RawClient.Reply wrongSig = client.call("StartPublishCdnStream", feedback.replace("FEEDBACK-SIG", sig));
        assertThat(wrongSig.errorCode()).isEqualTo("InvalidParameter.UserSig");
        assertThat(wrongSig.response().at("/Error/Message").asText()).contains("FeedBackRoomParams.0.UserSig");
        client.ok("StartPublishCdnStream", feedback.replace("FEEDBACK-SIG", emulator.userSigs().generate("relay-bot",
                Duration.ofHours(1))));
    }

    @Test
    void aiConversation_idlePreparingInProgressStopped_thenGone() {
        emulator.rooms().join(777, "human");
        String task = client.ok("StartAIConversation", "{\"SdkAppId\":1400000001,\"RoomId\":\"777\",\"SessionId\":\"s1\","
                + "\"AgentConfig\":{\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"TargetUserId\":\"human\"}}")
                .get("TaskId").asText();
        String id = "{\"TaskId\":\"" + task + "\"}";

        assertThat(client.ok("DescribeAIConversation", id).get("Status").asText()).isEqualTo("Idle");
        advance(1);
        assertThat(client.ok("DescribeAIConversation", id).get("Status").asText()).isEqualTo("Preparing");
        advance(2);
        JsonNode running = client.ok("DescribeAIConversation", "{\"SessionId\":\"s1\"}");
        assertThat(running.get("Status").asText()).isEqualTo("InProgress");
        assertThat(running.get("TaskId").asText()).isEqualTo(task);
        client.ok("ControlAIConversation", "{\"TaskId\":\"" + task + "\",\"Command\":\"ServerPushText\","
                + "\"ServerPushText\":{\"Text\":\"bye\",\"StopAfterPlay\":true}}");
        advance(2);
        assertThat(client.ok("DescribeAIConversation", id).get("Status").asText()).isEqualTo("Stopped");
        assertThat(client.call("StopAIConversation", id).errorCode()).isEqualTo("FailedOperation.TaskNotExist");
        advance(5);
        assertThat(client.call("DescribeAIConversation", id).errorCode()).isEqualTo("FailedOperation.TaskNotExist");
    }

    @Test
    void aiTranscription_deduplicatesPerRoom_andStops() {
        String start = "{\"SdkAppId\":1400000001,\"RoomId\":\"room-t\",\"RoomIdType\":1,"
                + "\"TranscriptionParams\":{\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\"}}";
        String task = client.ok("StartAITranscription", start).get("TaskId").asText();
        assertThat(client.call("StartAITranscription", start).errorCode()).isEqualTo("FailedOperation.TaskExist");
        advance(3);
        String id = "{\"TaskId\":\"" + task + "\"}";
        assertThat(client.ok("DescribeAITranscription", id).get("Status").asText()).isEqualTo("InProgress");
        client.ok("StopAITranscription", id);
        assertThat(client.ok("DescribeAITranscription", id).get("Status").asText()).isEqualTo("Stopped");
        client.ok("StartAITranscription", start);
    }

    @Test
    void roomActions_removeBlockDismiss_withTheDocumentedErrors() {
        emulator.rooms().join(1001, "a", "b", "c").join("str-room", "x");
        String numeric = "{\"SdkAppId\":1400000001,\"RoomId\":1001,";

        client.ok("RemoveUser", numeric + "\"UserIds\":[\"a\"]}");
        assertThat(emulator.rooms().users(1001)).containsExactly("b", "c");
        assertThat(client.call("RemoveUser", numeric + "\"UserIds\":[\"a\"]}").errorCode())
                .isEqualTo("FailedOperation.UserNotExist");
        client.ok("SetUserBlocked", numeric + "\"UserId\":\"b\",\"IsMute\":2}");
        assertThat(emulator.rooms().mute(1001, "b")).isEqualTo(EmulatedRooms.Mute.AUDIO);
        client.ok("SetUserBlockedByStrRoomId", "{\"SdkAppId\":1400000001,\"StrRoomId\":\"str-room\",\"UserId\":\"x\","
                + "\"IsMute\":1}");
        assertThat(emulator.rooms().mute("str-room", "x")).isEqualTo(EmulatedRooms.Mute.ALL);
        assertThat(client.call("RemoveUserByStrRoomId", "{\"SdkAppId\":1400000001,\"RoomId\":\"1001\","
                + "\"UserIds\":[\"b\"]}").errorCode()).as("string and numeric rooms are distinct")
                .isEqualTo("FailedOperation.RoomNotExist");
        client.ok("DismissRoom", "{\"SdkAppId\":1400000001,\"RoomId\":1001}");
        assertThat(client.call("DismissRoom", "{\"SdkAppId\":1400000001,\"RoomId\":1001}").errorCode())
                .isEqualTo("FailedOperation.RoomNotExist");
        client.ok("DismissRoomByStrRoomId", "{\"SdkAppId\":1400000001,\"RoomId\":\"str-room\"}");
        assertThat(emulator.rooms().count()).isZero();
    }

    @Test
    void cloudModeration_describeReflectsModify_andExitsWhenDeleted() {
        emulator.rooms().join("mod-room", "alice");
        String task = client.ok("CreateCloudModeration", "{\"SdkAppId\":1400000001,\"RoomId\":\"mod-room\",\"RoomIdType\":0,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"ModerationParams\":{\"ModerationType\":1}}")
                .get("TaskId").asText();
        String id = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}";
        advance(1);
        assertThat(client.ok("DescribeCloudModeration", id).get("Status").asText()).isEqualTo("InProgress");

        client.ok("ModifyCloudModeration", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\","
                + "\"SubscribeStreamUserIds\":{\"SubscribeAudioUserIds\":[\"alice\"]}}");
        assertThat(client.ok("DescribeCloudModeration", id).at("/SubscribeStreamUserIds/SubscribeAudioUserIds/0").asText())
                .isEqualTo("alice");
        client.ok("DeleteCloudModeration", id);
        assertThat(client.ok("DescribeCloudModeration", id).get("Status").asText()).isEqualTo("Exited");
        advance(5);
        assertThat(client.call("DescribeCloudModeration", id).errorCode()).isEqualTo("ResourceNotFound");
    }

    @Test
    void cloudSliceAndTranscription_followTheRobotLifecycle() {
        emulator.rooms().join(4242, "anchor");
        String slice = client.ok("CreateCloudSliceTask", "{\"SdkAppId\":1400000001,\"RoomId\":\"4242\",\"RoomIdType\":1,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"SliceParams\":{\"MaxIdleTime\":5},"
                + "\"SliceStorageParams\":{\"CloudSliceStorage\":{\"Vendor\":0,\"Region\":\"ap-shanghai\",\"Bucket\":\"b\",\"AccessKey\":\"ak\",\"SecretKey\":\"sk\"}}}").get("TaskId").asText();
        String sliceId = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + slice + "\"}";
        String transcription = client.ok("CreateCloudTranscription", "{\"SdkAppId\":1400000001,\"RoomId\":\"4242\","
                + "\"RoomIdType\":0,\"TranscriptionParam\":{\"UserId\":\"transcriber\",\"UserSig\":\""
                + emulator.userSigs().generate("transcriber", Duration.ofHours(1)) + "\"},"
                + "\"AsrParam\":{\"Lang\":\"en\"}}").get("TaskId").asText();
        String transcriptionId = "{\"SdkAppId\":1400000001,\"TaskId\":\"" + transcription + "\"}";
        advance(1);
        assertThat(client.ok("DescribeCloudSliceTask", sliceId).get("Status").asText()).isEqualTo("InProgress");
        JsonNode transcribing = client.ok("DescribeCloudTranscription", transcriptionId);
        assertThat(transcribing.get("Status").asText()).isEqualTo("InProgress");
        assertThat(transcribing.get("StartTime").asLong()).isEqualTo(emulator.clock().instant().getEpochSecond() - 1);

        emulator.rooms().leave(4242, "anchor");
        advance(5);
        assertThat(client.ok("DescribeCloudSliceTask", sliceId).get("Status").asText()).isEqualTo("Exited");
        assertThat(client.ok("DescribeCloudTranscription", transcriptionId).get("Status").asText()).isEqualTo("Idle");
        advance(24);
        assertThat(client.ok("DescribeCloudTranscription", transcriptionId).get("Status").asText())
                .as("29 s empty: still within the documented 30 s").isEqualTo("Idle");
        advance(1);
        assertThat(client.ok("DescribeCloudTranscription", transcriptionId).get("Status").asText()).isEqualTo("Exited");
    }

    @Test
    void webRecord_recordsUntilStoppedOrItsLimit_andRecordIdsAreUnique() {
        String start = "{\"SdkAppId\":1400000001,\"RecordUrl\":\"https://example.invalid/page\",\"RecordId\":\"r-1\","
                + "\"MaxDurationLimit\":1800,\"StorageParams\":{\"CloudVod\":{}}}";
        String task = client.ok("StartWebRecord", start).get("TaskId").asText();
        assertThat(client.call("StartWebRecord", start).errorCode()).isEqualTo("FailedOperation.TaskExist");
        JsonNode byRecordId = client.ok("DescribeWebRecord", "{\"SdkAppId\":1400000001,\"RecordId\":\"r-1\"}");
        assertThat(byRecordId.get("Status").asLong()).isEqualTo(1);
        assertThat(byRecordId.get("TaskId").asText()).isEqualTo(task);
        advance(1800);
        assertThat(client.call("DescribeWebRecord", "{\"TaskId\":\"" + task + "\"}").errorCode())
                .isEqualTo("FailedOperation.TaskNotExist");

        String again = client.ok("StartWebRecord", start).get("TaskId").asText();
        client.ok("StopWebRecord", "{\"TaskId\":\"" + again + "\"}");
        assertThat(client.call("StopWebRecord", "{\"TaskId\":\"" + again + "\"}").errorCode())
                .isEqualTo("FailedOperation.TaskNotExist");
    }
}
