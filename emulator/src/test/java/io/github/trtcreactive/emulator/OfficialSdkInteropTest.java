package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.trtc.v20190722.TrtcClient;
import com.tencentcloudapi.trtc.v20190722.models.CloudStorage;
import com.tencentcloudapi.trtc.v20190722.models.CreateCloudRecordingRequest;
import com.tencentcloudapi.trtc.v20190722.models.DeleteCloudRecordingRequest;
import com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingRequest;
import com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingResponse;
import com.tencentcloudapi.trtc.v20190722.models.RecordParams;
import com.tencentcloudapi.trtc.v20190722.models.StorageParams;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with a client written elsewhere: Tencent's official Java SDK, pointed at the
 * emulator through its HTTP proxy setting so it signs exactly as in production (host
 * trtc.tencentcloudapi.com, service trtc), only over plain HTTP.
 */
class OfficialSdkInteropTest {

    private TrtcEmulator emulator;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private ClientProfile profile() {
        HttpProfile http = new HttpProfile();
        http.setProxyHost("127.0.0.1");
        http.setProxyPort(emulator.port());
        http.setProtocol("http://");
        http.setReadTimeout(10);
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        return profile;
    }

    private TrtcClient officialClient(String secretKey) {
        return new TrtcClient(new Credential(emulator.credentials().secretId(), secretKey), "ap-singapore", profile());
    }

    /** The SDK's untyped client: version 3.1.682 predates the stream ingest models, not its signer. */
    private CommonClient officialCommonClient() {
        return new CommonClient("trtc", "2019-07-22", new Credential(emulator.credentials().secretId(),
                emulator.credentials().secretKey()), "ap-singapore", profile());
    }

    private static JsonNode response(String reply) throws Exception {
        JsonNode root = TrtcProtocol.mapper().readTree(reply);
        return root.has("Response") ? root.get("Response") : root;
    }

    @Test
    void officialSdk_createsDescribesAndDeletesACloudRecording() throws TencentCloudSDKException {
        TrtcClient client = officialClient(emulator.credentials().secretKey());
        emulator.rooms().join("interop-room", "anchor");

        CreateCloudRecordingRequest create = new CreateCloudRecordingRequest();
        create.setSdkAppId(emulator.sdkAppId());
        create.setRoomId("interop-room");
        create.setRoomIdType(0L);
        create.setUserId("recorder");
        create.setUserSig(emulator.userSigs().generate("recorder", Duration.ofHours(1)));
        RecordParams record = new RecordParams();
        record.setRecordMode(1L);
        create.setRecordParams(record);
        StorageParams storage = new StorageParams();
        CloudStorage cos = new CloudStorage();
        cos.setVendor(0L);
        cos.setRegion("ap-shanghai");
        cos.setBucket("bucket");
        cos.setAccessKey("ak");
        cos.setSecretKey("sk");
        storage.setCloudStorage(cos);
        create.setStorageParams(storage);
        String taskId = client.CreateCloudRecording(create).getTaskId();

        DescribeCloudRecordingRequest describe = new DescribeCloudRecordingRequest();
        describe.setSdkAppId(emulator.sdkAppId());
        describe.setTaskId(taskId);
        DescribeCloudRecordingResponse described = client.DescribeCloudRecording(describe);
        assertThat(described.getTaskId()).isEqualTo(taskId);
        assertThat(described.getStatus()).isIn("Idle", "InProgress");
        assertThat(described.getRequestId()).isNotEmpty();

        DeleteCloudRecordingRequest delete = new DeleteCloudRecordingRequest();
        delete.setSdkAppId(emulator.sdkAppId());
        delete.setTaskId(taskId);
        assertThat(client.DeleteCloudRecording(delete).getTaskId()).isEqualTo(taskId);
        assertThat(client.DescribeCloudRecording(describe).getStatus()).isEqualTo("Exited");

        assertThat(emulator.requests()).extracting(RecordedRequest::action).containsExactly("CreateCloudRecording",
                "DescribeCloudRecording", "DeleteCloudRecording", "DescribeCloudRecording");
        assertThat(emulator.requests()).allSatisfy(r -> {
            assertThat(r.succeeded()).isTrue();
            assertThat(r.header("Host")).isEqualTo("trtc.tencentcloudapi.com");
        });
    }

    @Test
    void officialSdk_startsDescribesAndStopsAStreamIngest() throws Exception {
        CommonClient client = officialCommonClient();
        String sig = emulator.userSigs().generate("ingest-bot", Duration.ofHours(1));

        String taskId = response(client.call("StartStreamIngest", "{\"SdkAppId\":" + emulator.sdkAppId()
                + ",\"RoomId\":\"interop-live\",\"RoomIdType\":0,\"UserId\":\"ingest-bot\",\"UserSig\":\"" + sig
                + "\",\"StreamUrl\":\"https://example.invalid/video.mp4\",\"RepeatNum\":-1}")).get("TaskId").asText();
        String task = "{\"SdkAppId\":" + emulator.sdkAppId() + ",\"TaskId\":\"" + taskId + "\"}";

        assertThat(response(client.call("DescribeStreamIngest", task)).get("Status").asText()).isEqualTo("InProgress");
        client.call("StopStreamIngest", task);
        assertThat(response(client.call("DescribeStreamIngest", task)).get("Status").asText()).isEqualTo("NotExist");
        TencentCloudSDKException again = catchThrowableOfType(TencentCloudSDKException.class,
                () -> client.call("StopStreamIngest", task));
        assertThat(again.getErrorCode()).isEqualTo("FailedOperation.TaskFinished");
        assertThat(emulator.requests()).extracting(RecordedRequest::action).containsExactly("StartStreamIngest",
                "DescribeStreamIngest", "StopStreamIngest", "DescribeStreamIngest", "StopStreamIngest");
    }

    @Test
    void officialSdk_withAWrongSecretKey_getsSignatureFailure() {
        TrtcClient client = officialClient("not-the-secret-key");
        DescribeCloudRecordingRequest describe = new DescribeCloudRecordingRequest();
        describe.setSdkAppId(emulator.sdkAppId());
        describe.setTaskId("any");

        TencentCloudSDKException e = catchThrowableOfType(TencentCloudSDKException.class,
                () -> client.DescribeCloudRecording(describe));

        assertThat(e.getErrorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(e.getRequestId()).isNotEmpty();
    }
}
