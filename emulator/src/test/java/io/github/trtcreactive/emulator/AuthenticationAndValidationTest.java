package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticationAndValidationTest {

    private static final String DESCRIBE_INGEST = "{\"SdkAppId\":1400000001,\"TaskId\":\"t\"}";

    private TrtcEmulator emulator;
    private RawClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder()
                .credentials(Credentials.of("AKIDlongterm", "long-term-key"))
                .credentials(Credentials.of("AKIDtemporary", "temporary-key", "session-token"))
                .start();
        client = new RawClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void validSignature_isAccepted_andTheHostIsSignedWithItsPort() {
        RawClient.Reply reply = client.call("DescribeStreamIngest", DESCRIBE_INGEST);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.errorCode()).isNull();
        assertThat(reply.response().get("Status").asText()).isEqualTo("NotExist");
        assertThat(reply.response().get("RequestId").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4.*");
        assertThat(emulator.requests()).singleElement()
                .satisfies(r -> assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + emulator.port()));
    }

    @Test
    void authFailures_useTheServiceCodes() {
        assertThat(client.with(Credentials.of("AKIDlongterm", "wrong-key")).call("DescribeStreamIngest", DESCRIBE_INGEST)
                .errorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(client.with(Credentials.of("AKIDunknown", "k")).call("DescribeStreamIngest", DESCRIBE_INGEST)
                .errorCode()).isEqualTo("AuthFailure.SecretIdNotFound");
        Clock skewed = Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        assertThat(client.with(skewed).call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode())
                .isEqualTo("AuthFailure.SignatureExpire");
        Clock slightlySkewed = Clock.fixed(Instant.now().minus(Duration.ofMinutes(4)), ZoneOffset.UTC);
        assertThat(client.with(slightlySkewed).call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode()).isNull();
    }

    @Test
    void sessionTokens_mustMatchTheirKey() {
        RawClient temporary = client.with(Credentials.of("AKIDtemporary", "temporary-key", "session-token"));
        assertThat(temporary.call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode()).isNull();
        assertThat(client.with(Credentials.of("AKIDtemporary", "temporary-key")).call("DescribeStreamIngest",
                DESCRIBE_INGEST).errorCode()).isEqualTo("AuthFailure.TokenFailure");
        assertThat(client.with(Credentials.of("AKIDtemporary", "temporary-key", "other-token"))
                .call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode()).isEqualTo("AuthFailure.TokenFailure");
        assertThat(client.call("DescribeStreamIngest", DESCRIBE_INGEST, Map.of("X-TC-Token", "stray")).errorCode())
                .isEqualTo("AuthFailure.TokenFailure");
    }

    @Test
    void missingAuthorization_isRejected() {
        RawClient.Reply reply = client.call("DescribeStreamIngest", DESCRIBE_INGEST, Map.of("Authorization", "Basic x"));

        assertThat(reply.errorCode()).isEqualTo("AuthFailure.InvalidAuthorization");
    }

    @Test
    void unknownOrDeletedAction_isInvalidAction() {
        assertThat(client.call("DescribeNothing", "{}").errorCode()).isEqualTo("InvalidAction");
        assertThat(client.call("DescribeRealtimeQuality", "{}").errorCode()).isEqualTo("InvalidAction");
    }

    @Test
    void badBodies_areRejectedNamingTheMember() {
        assertThat(client.call("DescribeStreamIngest", "not json").errorCode()).isEqualTo("InvalidParameter");
        assertThat(client.call("DescribeStreamIngest", "[1]").errorCode()).isEqualTo("InvalidParameter");
        RawClient.Reply wrongType = client.call("DescribeStreamIngest", "{\"SdkAppId\":\"1400000001\",\"TaskId\":\"t\"}");
        assertThat(wrongType.errorCode()).isEqualTo("InvalidParameter");
        assertThat(wrongType.response().at("/Error/Message").asText()).contains("`SdkAppId`", "integer");
        RawClient.Reply missing = client.call("DescribeStreamIngest", "{\"SdkAppId\":1400000001}");
        assertThat(missing.errorCode()).isEqualTo("MissingParameter");
        assertThat(missing.response().at("/Error/Message").asText()).contains("`TaskId`");
        RawClient.Reply nested = client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"r\","
                + "\"UserId\":\"u\",\"UserSig\":\"s\",\"RecordParams\":{},\"StorageParams\":{}}");
        assertThat(nested.response().at("/Error/Message").asText()).contains("`RecordParams.RecordMode`");
        RawClient.Reply badElement = client.call("RemoveUser", "{\"SdkAppId\":1,\"RoomId\":1,\"UserIds\":[\"a\",2]}");
        assertThat(badElement.response().at("/Error/Message").asText()).contains("`UserIds.1`");
    }

    @Test
    void requestLog_redactsSecrets() {
        client.call("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"r\",\"RoomIdType\":0,\"UserId\":\"u\","
                + "\"UserSig\":\"SIG-SECRET\",\"RecordParams\":{\"RecordMode\":1},\"StorageParams\":{\"CloudStorage\":"
                + "{\"Vendor\":0,\"Region\":\"x\",\"Bucket\":\"b\",\"AccessKey\":\"AK-SECRET\",\"SecretKey\":\"SK-SECRET\"}}}");

        RecordedRequest recorded = emulator.requests("CreateCloudRecording").get(0);
        assertThat(recorded.toString()).doesNotContain("SIG-SECRET", "AK-SECRET", "SK-SECRET", "long-term-key");
        assertThat(recorded.header("Authorization")).isEqualTo("***");
        assertThat(recorded.body().get("UserSig").asText()).isEqualTo("***");
        assertThat(recorded.errorCode()).isEqualTo("InvalidParameter.UserSig");
    }
}
