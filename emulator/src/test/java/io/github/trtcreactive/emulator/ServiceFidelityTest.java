package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.TrtcApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator refuses what the documentation says the service refuses. */
class ServiceFidelityTest {

    private static final String DESCRIBE_INGEST = "{\"SdkAppId\":1400000001,\"TaskId\":\"t\"}";

    private TrtcEmulator emulator;
    private RawClient client;
    private String sig;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false).start();
        client = new RawClient(emulator);
        sig = emulator.userSigs().generate("robot", Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private RawClient.Reply post(String action, String region, String json) {
        return client.send("POST", "", TrtcApi.CONTENT_TYPE, "trtc", action, region,
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void regions_areCheckedAgainstEachActionsDocumentation() {
        assertThat(post("DescribeStreamIngest", "ap-guangzhou", DESCRIBE_INGEST).errorCode())
                .isEqualTo("UnsupportedRegion");
        assertThat(post("DescribeStreamIngest", "ap-singapore", DESCRIBE_INGEST).errorCode()).isNull();
        assertThat(post("DescribeStreamIngest", null, DESCRIBE_INGEST).errorCode()).isEqualTo("MissingParameter");
        long now = emulator.clock().instant().getEpochSecond();
        String realTime = "{\"SdkAppId\":\"1400000001\",\"StartTime\":" + (now - 60) + ",\"EndTime\":" + now + "}";
        assertThat(post("DescribeTRTCRealTimeScaleData", null, realTime).errorCode())
                .as("an action that needs no region").isNull();
    }

    @Test
    void unknownMembersDuplicatesAndTrailingData_areRefused() {
        RawClient.Reply unknown = post("DescribeStreamIngest", "ap-singapore",
                "{\"SdkAppId\":1400000001,\"TaskId\":\"t\",\"Taskid\":\"t\"}");
        assertThat(unknown.errorCode()).isEqualTo("UnknownParameter");
        assertThat(unknown.response().at("/Error/Message").asText()).contains("`Taskid`");
        assertThat(post("DescribeStreamIngest", "ap-singapore", "{\"SdkAppId\":1400000001,\"TaskId\":\"a\","
                + "\"TaskId\":\"b\"}").errorCode()).as("duplicate keys").isEqualTo("InvalidParameter");
        assertThat(post("DescribeStreamIngest", "ap-singapore", DESCRIBE_INGEST + " garbage").errorCode())
                .as("trailing garbage").isEqualTo("InvalidParameter");
        assertThat(post("DescribeStreamIngest", "ap-singapore", DESCRIBE_INGEST + DESCRIBE_INGEST).errorCode())
                .as("two objects").isEqualTo("InvalidParameter");
        emulator.rooms().join(1001, "anchor");
        RawClient.Reply nested = client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"1001\","
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1,\"Colour\":1},"
                + "\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{}}}}");
        assertThat(nested.errorCode()).isEqualTo("UnknownParameter");
        assertThat(nested.response().at("/Error/Message").asText()).contains("`RecordParams.Colour`");
    }

    @Test
    void get_withASignedQueryString_isServed_andItsParametersChecked() {
        String form = "application/x-www-form-urlencoded";
        RawClient.Reply ok = client.send("GET", "SdkAppId=1400000001&TaskId=t", form, "trtc", "DescribeStreamIngest",
                "ap-singapore", new byte[0]);
        assertThat(ok.errorCode()).isNull();
        assertThat(ok.response().get("Status").asText()).isEqualTo("NotExist");
        emulator.rooms().join(1001, "a", "b");
        assertThat(client.send("GET", "SdkAppId=1400000001&RoomId=1001&UserIds.0=a&UserIds.1=b", form, "trtc",
                "RemoveUser", "ap-singapore", new byte[0]).errorCode()).isNull();
        assertThat(emulator.rooms().users(1001)).isEmpty();
        assertThat(client.send("GET", "SdkAppId=1400000001&TaskId=t&Bogus=1", form, "trtc", "DescribeStreamIngest",
                "ap-singapore", new byte[0]).errorCode()).isEqualTo("UnknownParameter");
        assertThat(client.send("GET", "SdkAppId=abc&TaskId=t", form, "trtc", "DescribeStreamIngest",
                "ap-singapore", new byte[0]).errorCode()).isEqualTo("InvalidParameter");
    }

    @Test
    void theCredentialScopesService_andTheContentType_areChecked() {
        byte[] body = DESCRIBE_INGEST.getBytes(StandardCharsets.UTF_8);
        assertThat(client.send("POST", "", TrtcApi.CONTENT_TYPE, "cvm", "DescribeStreamIngest", "ap-singapore", body)
                .errorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(client.send("POST", "", "application/jsonfoo", "trtc", "DescribeStreamIngest", "ap-singapore", body)
                .errorCode()).isEqualTo("InvalidParameter");
        assertThat(client.send("POST", "", "application/json", "trtc", "DescribeStreamIngest", "ap-singapore", body)
                .errorCode()).isNull();
    }

    @Test
    void slicingAndModeration_defaultToNumericRooms_andModerationIdlesAtMost1800s() {
        emulator.rooms().join(4242, "anchor");
        String slice = client.ok("CreateCloudSliceTask", "{\"SdkAppId\":1400000001,\"RoomId\":\"4242\","
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"SliceParams\":{\"MaxIdleTime\":5},"
                + "\"SliceStorageParams\":{\"CloudSliceStorage\":{\"Vendor\":0,\"Region\":\"ap-shanghai\",\"Bucket\":\"b\","
                + "\"AccessKey\":\"ak\",\"SecretKey\":\"sk\"}}}").get("TaskId").asText();
        emulator.clock().advance(Duration.ofSeconds(1));
        assertThat(client.ok("DescribeCloudSliceTask", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + slice + "\"}")
                .get("Status").asText()).as("in numeric room 4242, where the anchor is").isEqualTo("InProgress");
        String moderator = emulator.userSigs().generate("moderator", Duration.ofHours(1));
        String moderation = "{\"SdkAppId\":1400000001,\"RoomId\":\"4242\",\"UserId\":\"moderator\",\"UserSig\":\""
                + moderator + "\",\"ModerationParams\":{\"ModerationType\":1,\"MaxIdleTime\":%d}}";
        assertThat(client.call("CreateCloudModeration", String.format(moderation, 1801)).errorCode())
                .isEqualTo("InvalidParameter.OutOfRange");
        String task = client.ok("CreateCloudModeration", String.format(moderation, 1800)).get("TaskId").asText();
        emulator.clock().advance(Duration.ofSeconds(1));
        assertThat(client.ok("DescribeCloudModeration", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}")
                .get("Status").asText()).isEqualTo("InProgress");
    }

    @Test
    void robots_needTheirOwnUserId_andAGivenPrivateMapKeyMustGrantTheRoom() {
        emulator.rooms().join(1001, "anchor");
        String recording = "{\"SdkAppId\":1400000001,\"RoomId\":\"1001\",\"UserId\":\"%s\",\"UserSig\":\"%s\","
                + "\"RecordParams\":{\"RecordMode\":1},\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{}}}%s}";
        client.ok("CreateCloudRecording", String.format(recording, "robot", sig, ""));
        assertThat(client.call("CreateCloudRecording", String.format(recording, "robot", sig, "")).errorCode())
                .as("the same robot twice").isEqualTo("InvalidParameter.UserId");
        String anchorSig = emulator.userSigs().generate("anchor", Duration.ofHours(1));
        assertThat(client.call("CreateCloudRecording", String.format(recording, "anchor", anchorSig, "")).errorCode())
                .as("a user already in the room").isEqualTo("InvalidParameter.UserId");

        String other = emulator.userSigs().generate("robot-2", Duration.ofHours(1));
        String wrongRoom = emulator.userSigs().generatePrivateMapKey("robot-2", 2002, null, 255, Duration.ofHours(1));
        String rightRoom = emulator.userSigs().generatePrivateMapKey("robot-2", 1001, null, 255, Duration.ofHours(1));
        assertThat(client.call("CreateCloudRecording", String.format(recording, "robot-2", other,
                ",\"PrivateMapKey\":\"" + wrongRoom + "\"")).errorCode()).isEqualTo("InvalidParameter.PrivateMapKey");
        assertThat(client.call("CreateCloudRecording", String.format(recording, "robot-2", other,
                ",\"PrivateMapKey\":\"not-a-key\"")).errorCode()).isEqualTo("InvalidParameter.PrivateMapKey");
        client.ok("CreateCloudRecording", String.format(recording, "robot-2", other,
                ",\"PrivateMapKey\":\"" + rightRoom + "\""));
    }

    @Test
    void storageRecordIdsAndRoomIds_followTheirDocumentedBounds() {
        emulator.rooms().join(1001, "anchor");
        assertThat(client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"1001\",\"UserId\":\"robot\","
                + "\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1},\"StorageParams\":{}}").errorCode())
                .as("StorageParams naming no destination").isEqualTo("InvalidParameter");
        String web = "{\"SdkAppId\":1400000001,\"RecordUrl\":\"https://example.invalid/p\",\"RecordId\":\"%s\","
                + "\"StorageParams\":{\"CloudVod\":{}}}";
        assertThat(client.call("StartWebRecord", String.format(web, "r".repeat(40))).errorCode())
                .isEqualTo("InvalidParameter");
        assertThat(client.call("StartWebRecord", String.format(web, "r".repeat(31))).errorCode()).isNull();
        assertThat(client.call("RemoveUser", "{\"SdkAppId\":1400000001,\"RoomId\":9999999999,\"UserIds\":[\"a\"]}")
                .errorCode()).as("beyond 32 bits").isEqualTo("InvalidParameter");
    }

    @Test
    void qualityListings_andMarketData_enforceTheirDocumentedLimits() {
        emulator.rooms().join("r", "u");
        long now = emulator.clock().instant().getEpochSecond();
        long created = now;
        String commId = emulator.sdkAppId() + "_r_" + created;
        String six = "\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"";
        String window = ",\"StartTime\":" + (now - 600) + ",\"EndTime\":" + now;
        assertThat(client.call("DescribeCallDetailInfo", "{\"SdkAppId\":1400000001,\"CommId\":\"" + commId + "\""
                + window + ",\"UserIds\":[" + six + ",\"g\"]}").errorCode()).isEqualTo("InvalidParameter.UserIdsMorethanSix");
        assertThat(client.call("DescribeCallDetailInfo", "{\"SdkAppId\":1400000001,\"CommId\":\"" + commId + "\""
                + window + ",\"UserIds\":[" + six + "]}").errorCode()).isNull();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
        }
        assertThat(client.call("DescribeUserInfo", "{\"SdkAppId\":1400000001,\"CommId\":\"" + commId + "\""
                + window + ",\"UserIds\":[" + many + "]}").errorCode()).isEqualTo("InvalidParameter");
        LocalDate today = emulator.clock().instant().atOffset(ZoneOffset.ofHours(8)).toLocalDate();
        String market = "{\"SdkAppId\":\"1400000001\",\"StartTime\":\"%s\",\"EndTime\":\"%s\",\"Period\":\"d\"}";
        assertThat(client.call("DescribeTRTCMarketQualityData", String.format(market, today.minusDays(45),
                today.minusDays(40))).errorCode()).as("45 days back").isEqualTo("InvalidParameter.StartTimeOversize");
        assertThat(client.call("DescribeTRTCMarketQualityData", String.format(market, today.minusDays(30), today))
                .errorCode()).isNull();
        assertThat(client.call("DescribeTRTCMarketScaleData", String.format(market, today.minusDays(45),
                today.minusDays(40))).errorCode()).as("scale data reaches 60 days back").isNull();
    }

    @Test
    void pagedTotals_followTheChosenReading_andHugePageNumbersAreEmptyPages() {
        for (int i = 0; i < 12; i++) {
            emulator.rooms().join("room-" + i, "u");
        }
        long now = emulator.clock().instant().getEpochSecond();
        String page = "{\"SdkAppId\":1400000001,\"StartTime\":" + (now - 600) + ",\"EndTime\":" + now
                + ",\"PageSize\":10,\"PageNumber\":%d}";
        assertThat(client.ok("DescribeRoomInfo", String.format(page, 0)).get("Total").asLong())
                .as("documented reading: the records returned").isEqualTo(10);
        assertThat(client.ok("DescribeRoomInfo", String.format(page, 1)).get("Total").asLong()).isEqualTo(2);
        RawClient.Reply huge = client.call("DescribeRoomInfo", "{\"SdkAppId\":1400000001,\"StartTime\":"
                + (now - 600) + ",\"EndTime\":" + now + ",\"PageSize\":100,\"PageNumber\":" + Long.MAX_VALUE + "}");
        assertThat(huge.status()).isEqualTo(200);
        assertThat(huge.errorCode()).isNull();
        assertThat(huge.response().get("RoomList")).isEmpty();
        try (TrtcEmulator grand = TrtcEmulator.builder().pagedTotal(PagedTotal.ALL_MATCHING).rateLimits(false).start();
                TrtcEmulator none = TrtcEmulator.builder().pagedTotal(PagedTotal.OMITTED).rateLimits(false).start()) {
            for (TrtcEmulator e : new TrtcEmulator[] {grand, none}) {
                for (int i = 0; i < 12; i++) {
                    e.rooms().join("room-" + i, "u");
                }
            }
            long t = grand.clock().instant().getEpochSecond();
            String first = "{\"SdkAppId\":1400000001,\"StartTime\":" + (t - 600) + ",\"EndTime\":" + (t + 5)
                    + ",\"PageSize\":10,\"PageNumber\":0}";
            assertThat(new RawClient(grand).ok("DescribeRoomInfo", first).get("Total").asLong()).isEqualTo(12);
            assertThat(new RawClient(none).ok("DescribeRoomInfo", first).has("Total")).isFalse();
        }
    }
}
