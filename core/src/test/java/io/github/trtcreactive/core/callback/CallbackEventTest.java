package io.github.trtcreactive.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Parsing the documented example of every group, and the variants the documentation shows. */
class CallbackEventTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    private static CallbackEvent parse(String body) {
        return CallbackEvent.parse(body.getBytes(StandardCharsets.UTF_8), 1400000001L, RECEIVED);
    }

    @Test
    void roomAndMediaEvents_withNumericAndStringRooms() {
        CallbackEvent enter = parse("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1687770731932,\"EventInfo\":"
                + "{\"RoomId\":12345,\"EventTs\":1687770731,\"EventMsTs\":1687770731831,\"UserId\":\"test\",\"Role\":21,"
                + "\"TerminalType\":2,\"UserType\":3,\"Reason\":1}}");
        assertThat(enter.group()).contains(CallbackGroup.ROOM);
        assertThat(enter.eventType()).contains(CallbackEventType.ENTER_ROOM);
        assertThat(enter.roomId()).isEqualTo("12345");
        assertThat(enter.numericRoomId()).isTrue();
        assertThat(enter.eventTime()).isEqualTo(Instant.ofEpochMilli(1687770731831L));
        assertThat(enter.callbackTime()).isEqualTo(Instant.ofEpochMilli(1687770731932L));
        assertThat(enter.taskId()).isNull();
        assertThat(enter.sdkAppId()).isEqualTo(1400000001L);
        assertThat(enter.details()).isEqualTo(new CallbackDetails.Room("test", 21, 2, 3, 1, null));

        CallbackEvent dismissed = parse("{\"EventGroupId\":1,\"EventType\":102,\"CallbackTs\":1687771618531,"
                + "\"EventInfo\":{\"RoomId\":\"12345\",\"EventTs\":1687771618,\"EventMsTs\":1687771618457}}");
        assertThat(dismissed.roomId()).isEqualTo("12345");
        assertThat(dismissed.numericRoomId()).isFalse();

        CallbackEvent old = parse("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1615554923704,\"EventInfo\":"
                + "{\"RoomId\":12345,\"EventTs\":1615554922,\"UserId\":\"test\",\"UniqueId\":1615554922656,\"Role\":20,"
                + "\"TerminalType\":3,\"UserType\":3,\"Reason\":1}}");
        assertThat(old.eventTime()).as("EventTs in seconds when EventMsTs is absent")
                .isEqualTo(Instant.ofEpochSecond(1615554922));
        assertThat(((CallbackDetails.Room) old.details()).uniqueId()).isEqualTo(1615554922656L);

        CallbackEvent media = parse(CallbackSignatureTest.VECTOR_BODY);
        assertThat(media.eventType()).contains(CallbackEventType.STOP_AUDIO);
        assertThat(media.details()).isEqualTo(new CallbackDetails.Room("user_85034614", null, null, null, 0, null));
    }

    @Test
    void cloudRecording_everyPayloadShape_andEventTsAsAString() {
        CallbackEvent start = parse("{\"EventGroupId\":3,\"EventType\":301,\"CallbackTs\":1622186275913,\"EventInfo\":"
                + "{\"RoomId\":\"xx\",\"EventTs\":\"1622186275\",\"UserId\":\"robot\",\"TaskId\":\"t1\","
                + "\"Payload\":{\"Status\":0}}}");
        assertThat(start.eventTime()).isEqualTo(Instant.ofEpochSecond(1622186275));
        assertThat(start.taskId()).isEqualTo("t1");
        assertThat(start.status()).hasValue(0);
        assertThat(start.eventType()).contains(CallbackEventType.CLOUD_RECORDING_RECORDER_START);

        CallbackEvent stop = parse("{\"EventGroupId\":3,\"EventType\":302,\"CallbackTs\":1622186354806,\"EventInfo\":"
                + "{\"RoomId\":\"xx\",\"EventTs\":\"1622186354\",\"EventMsTs\":1622186275757,\"UserId\":\"xx\","
                + "\"TaskId\":\"xx\",\"Payload\":{\"LeaveCode\":0}}}");
        assertThat(((CallbackDetails.Recording) stop.details()).leaveCode()).isZero();
        assertThat(stop.eventType().orElseThrow().endsTask()).isTrue();

        CallbackEvent uploaded = parse("{\"EventGroupId\":3,\"EventType\":305,\"CallbackTs\":1,\"EventInfo\":"
                + "{\"RoomId\":\"1\",\"TaskId\":\"t\",\"Payload\":{\"LeaveCode\":1}}}");
        assertThat(((CallbackDetails.Recording) uploaded.details()).status()).as("305's LeaveCode reading").isEqualTo(1);

        CallbackEvent m3u8 = parse("{\"EventGroupId\":3,\"EventType\":304,\"CallbackTs\":1,\"EventInfo\":"
                + "{\"RoomId\":\"1\",\"TaskId\":\"t\",\"Payload\":{\"FileList\":\"xx.m3u8\"}}}");
        assertThat(((CallbackDetails.Recording) m3u8.details()).fileList()).containsExactly("xx.m3u8");

        CallbackEvent mp4 = parse("{\"EventGroupId\":3,\"EventType\":310,\"CallbackTs\":1622191965320,\"EventInfo\":"
                + "{\"RoomId\":\"20015\",\"EventTs\":1622191989,\"EventMsTs\":1622186275757,\"UserId\":\"xx\","
                + "\"TaskId\":\"xx\",\"Payload\":{\"Status\":0,\"FileList\":[\"xxxx1.mp4\",\"xxxx2.mp4\"],"
                + "\"FileMessage\":[{\"FileName\":\"xxxx1.mp4\",\"UserId\":\"xxxx\",\"TrackType\":\"audio_video\","
                + "\"MediaId\":\"main\",\"StartTimeStamp\":1622186279145,\"EndTimeStamp\":1622186282145}]}}}");
        CallbackDetails.Recording files = (CallbackDetails.Recording) mp4.details();
        assertThat(files.fileList()).containsExactly("xxxx1.mp4", "xxxx2.mp4");
        assertThat(files.files()).containsExactly(new CallbackDetails.RecordingFile("xxxx1.mp4", "xxxx", "audio_video",
                "main", 1622186279145L, 1622186282145L));

        CallbackEvent vod = parse("{\"EventGroupId\":3,\"EventType\":311,\"CallbackTs\":1622191965320,\"EventInfo\":"
                + "{\"RoomId\":\"20015\",\"EventTs\":1622191965,\"EventMsTs\":1622186275757,\"UserId\":\"xx\","
                + "\"TaskId\":\"xx\",\"Payload\":{\"Status\":1,\"Errmsg\":\"xxx\",\"TencentVod\":{\"UserId\":\"123\","
                + "\"TrackType\":\"audio_video\",\"CacheFile\":\"xxx.mp4\"}}}}");
        CallbackDetails.Recording failed = (CallbackDetails.Recording) vod.details();
        assertThat(failed.errorMessage()).isEqualTo("xxx");
        assertThat(failed.vod().cacheFile()).isEqualTo("xxx.mp4");
        assertThat(failed.vod().fileId()).isNull();
    }

    @Test
    void relayIngestWebRecordAiSliceModerationAndTranscription() {
        CallbackEvent relay = parse("{\"EventGroupId\":4,\"EventType\":401,\"CallbackTs\":1622186275913,\"EventInfo\":"
                + "{\"RoomId\":\"xx\",\"RoomType\":1,\"EventTsMs\":1622186275913,\"UserId\":\"xx\",\"TaskId\":12,"
                + "\"Payload\":{\"Url\":\"rtmp://tencent-url/xxxx\",\"Status\":2}}}");
        assertThat(relay.eventTime()).as("EventTsMs, the example's spelling").isEqualTo(Instant.ofEpochMilli(1622186275913L));
        assertThat(relay.taskId()).as("a numeric TaskId").isEqualTo("12");
        assertThat(relay.numericRoomId()).isFalse();
        assertThat(relay.details()).isEqualTo(new CallbackDetails.Relay("xx", "rtmp://tencent-url/xxxx", 2, null, null));

        CallbackEvent ingest = parse("{\"EventGroupId\":7,\"EventType\":701,\"CallbackMsTs\":1701937900012,\"EventInfo\":"
                + "{\"EventMsTs\":\"1701937900013\",\"TaskId\":\"xx\",\"Status\":0}}");
        assertThat(ingest.callbackTime()).as("CallbackMsTs").isEqualTo(Instant.ofEpochMilli(1701937900012L));
        assertThat(ingest.eventTime()).as("EventMsTs as a string").isEqualTo(Instant.ofEpochMilli(1701937900013L));
        assertThat(ingest.roomId()).isNull();
        assertThat(ingest.status()).hasValue(0);
        assertThat(ingest.details()).isEqualTo(new CallbackDetails.Ingest(0));

        CallbackEvent web = parse("{\"EventGroupId\":8,\"EventType\":801,\"CallbackTs\":1622186275913,\"EventInfo\":"
                + "{\"EventMsTs\":1622186275757,\"TaskId\":\"w\",\"Payload\":{\"Status\":1,\"EventMessage\":\"Success\"}}}");
        assertThat(web.details()).isEqualTo(new CallbackDetails.WebRecord(1, "Success"));

        CallbackEvent ai = parse("{\"EventGroupId\":9,\"EventType\":903,\"CallbackTs\":1687770730166,\"EventInfo\":"
                + "{\"EventMsTs\":1622186275757,\"TaskId\":\"a\",\"RoomId\":\"1234\",\"RoomIdType\":0,\"Payload\":"
                + "{\"UserId\":\"u\",\"Text\":\"hello\",\"StartTimeMs\":1234,\"EndTimeMs\":1269,\"RoundId\":\"r1\"}}}");
        CallbackDetails.Ai said = (CallbackDetails.Ai) ai.details();
        assertThat(ai.numericRoomId()).as("RoomIdType 0").isTrue();
        assertThat(said.text()).isEqualTo("hello");
        assertThat(said.roundId()).isEqualTo("r1");
        assertThat(said.endTimeMs()).isEqualTo(1269L);

        CallbackEvent ready = parse("{\"EventGroupId\":9,\"EventType\":909,\"CallbackTs\":1,\"EventInfo\":{\"TaskId\":\"a\","
                + "\"Payload\":{\"Status\":\"session_ready\"}}}");
        assertThat(((CallbackDetails.Ai) ready.details()).state()).isEqualTo("session_ready");
        assertThat(ready.status()).isEmpty();

        CallbackEvent metric = parse("{\"EventGroupId\":9,\"EventType\":906,\"CallbackTs\":1,\"EventInfo\":{\"TaskId\":\"a\","
                + "\"Payload\":{\"Metric\":\"llm_first_token\",\"Value\":218,\"Tag\":{\"RoundId\":\"070c\"}}}}");
        assertThat(((CallbackDetails.Ai) metric.details()).value()).isEqualTo(218.0);
        assertThat(((CallbackDetails.Ai) metric.details()).roundId()).isEqualTo("070c");

        CallbackEvent slice = parse("{\"EventGroupId\":10,\"EventType\":1006,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"r\","
                + "\"TaskId\":\"s\",\"UserId\":\"robot\",\"Payload\":{\"Code\":7,\"Message\":\"denied\"}}}");
        assertThat(slice.details()).isEqualTo(new CallbackDetails.Slice("robot", null, null, null, 7, "denied",
                slice.json().path("EventInfo").path("Payload")));

        CallbackEvent moderation = parse("{\"EventGroupId\":11,\"EventType\":1102,\"CallbackTs\":1729601782073,"
                + "\"EventInfo\":{\"RoomId\":\"975626\",\"EventTs\":\"1729601782\",\"EventMsTs\":1729601782073,"
                + "\"UserId\":\"robot\",\"TaskId\":\"-nHRjq.\",\"Payload\":{\"LeaveCode\":99}}}");
        assertThat(((CallbackDetails.Moderation) moderation.details()).leaveCode()).isEqualTo(99);

        CallbackEvent transcription = parse("{\"EventGroupId\":14,\"EventType\":1401,\"CallbackTs\":1687770730166,"
                + "\"EventInfo\":{\"EventMsTs\":1622186275757,\"TaskId\":\"xxx\",\"RoomId\":\"1234\",\"RoomIdType\":0,"
                + "\"RobotId\":\"trtc_partner_test_1\",\"Payload\":{\"Status\":0}}}");
        assertThat(((CallbackDetails.Ai) transcription.details()).robotId()).isEqualTo("trtc_partner_test_1");
        assertThat(transcription.eventType()).contains(CallbackEventType.CLOUD_TRANSCRIPTION_START);
    }

    @Test
    void unknownGroupsAndTypes_areKept_unknownFieldsIgnored_andAMissingTypeIsZero() {
        CallbackEvent future = parse("{\"EventGroupId\":42,\"EventType\":4201,\"CallbackTs\":5,\"NewField\":true,"
                + "\"EventInfo\":{\"Something\":{\"Deep\":1}}}");
        assertThat(future.group()).isEmpty();
        assertThat(future.eventType()).isEmpty();
        assertThat(future.details()).isInstanceOf(CallbackDetails.Other.class);
        assertThat(((CallbackDetails.Other) future.details()).eventInfo().path("Something").path("Deep").asInt())
                .isEqualTo(1);

        CallbackEvent noType = parse("{\"EventGroupId\":9,\"CallbackTs\":5,\"EventInfo\":{\"TaskId\":\"a\"}}");
        assertThat(noType.type()).isZero();
        assertThat(noType.eventTime()).isEqualTo(Instant.ofEpochMilli(5));

        CallbackEvent bare = parse("{\"EventGroupId\":1,\"EventType\":101}");
        assertThat(bare.eventTime()).as("no time in the body: when it arrived").isEqualTo(RECEIVED);
    }

    @Test
    void malformedBodies_areRefused_withoutTheirContent() {
        assertThatThrownBy(() -> parse("not json SECRETISH")).isInstanceOf(CallbackFormatException.class)
                .hasMessage("the callback body is not JSON");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("the callback body is not a JSON object");
        assertThatThrownBy(() -> parse("{\"EventType\":101}")).hasMessageContaining("EventGroupId");
        // The relay page's example misses a comma: invalid JSON is refused, not guessed at.
        assertThatThrownBy(() -> parse("{\"EventGroupId\":4,\"EventInfo\":{\"Payload\":{\"Url\":\"rtmp://x\" \"Status\":2}}}"))
                .isInstanceOf(CallbackFormatException.class);
    }

    @Test
    void theDeduplicationKey_ignoresCallbackTsFieldOrderAndTheUnsignedAppHeader_butNotTheEventItself() {
        String a = "{\"EventGroupId\":3,\"EventType\":310,\"CallbackTs\":1,\"EventInfo\":{\"TaskId\":\"t\","
                + "\"EventMsTs\":10,\"Payload\":{\"Status\":0,\"FileList\":[\"a.mp4\"]}}}";
        String retried = "{\"EventGroupId\":3,\"EventType\":310,\"CallbackTs\":99,\"EventInfo\":{\"Payload\":"
                + "{\"FileList\":[\"a.mp4\"],\"Status\":0},\"EventMsTs\":10,\"TaskId\":\"t\"}}";
        String secondFile = "{\"EventGroupId\":3,\"EventType\":310,\"CallbackTs\":1,\"EventInfo\":{\"TaskId\":\"t\","
                + "\"EventMsTs\":10,\"Payload\":{\"Status\":0,\"FileList\":[\"b.mp4\"]}}}";
        assertThat(parse(a).deduplicationKey()).isEqualTo(parse(retried).deduplicationKey());
        assertThat(parse(a).deduplicationKey()).isNotEqualTo(parse(secondFile).deduplicationKey());
        // The SdkAppId header is not signed: a replay under another application id is the same event.
        assertThat(parse(a).deduplicationKey()).isEqualTo(CallbackEvent.parse(a.getBytes(StandardCharsets.UTF_8),
                1400000002L, RECEIVED).deduplicationKey());
    }
}
