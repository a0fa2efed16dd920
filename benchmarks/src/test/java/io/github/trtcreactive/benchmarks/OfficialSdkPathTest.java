package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signer;
import org.junit.jupiter.api.Test;

/** Both sides of each JMH comparison do the same work and reach the same result. */
class OfficialSdkPathTest {

    @Test
    void signing_bothSidesProduceTheSameAuthorization() throws Exception {
        byte[] payload = TrtcProtocol.encode("CreateCloudRecording", Fixtures.createRequest());

        String ours = Tc3Signer.sign(Fixtures.CREDENTIALS, TrtcApi.SERVICE, Fixtures.HOST, Fixtures.TIMESTAMP,
                TrtcApi.CONTENT_TYPE, payload).authorization();
        String official = OfficialSdkPath.authorization(Fixtures.CREDENTIALS.secretId(),
                Fixtures.CREDENTIALS.secretKey(), Fixtures.HOST, Fixtures.TIMESTAMP, payload);

        assertThat(official).isEqualTo(ours).startsWith("TC3-HMAC-SHA256 Credential=");
    }

    @Test
    void serialization_bothSidesWriteTheSameMembers() throws Exception {
        JsonNode ours = TrtcProtocol.mapper().readTree(TrtcProtocol.encode("CreateCloudRecording",
                Fixtures.createRequest()));
        JsonNode official = TrtcProtocol.mapper().readTree(OfficialSdkPath.serialize(Fixtures.officialCreateRequest()));

        assertThat(official).isEqualTo(ours);
        assertThat(ours.path("StorageParams").path("CloudStorage").path("FileNamePrefix")).hasSize(2);
    }

    @Test
    void parsing_bothSidesReadTheSameReply() {
        DescribeCloudRecordingResponse ours = TrtcProtocol.decode("DescribeCloudRecording", 200,
                Fixtures.DESCRIBE_REPLY, DescribeCloudRecordingResponse.class);
        var official = OfficialSdkPath.parseDescribe(Fixtures.DESCRIBE_REPLY);

        assertThat(official.getTaskId()).isEqualTo(ours.taskId()).isEqualTo(Fixtures.TASK_ID);
        assertThat(official.getStatus()).isEqualTo(ours.status()).isEqualTo("InProgress");
        assertThat(official.getStorageFileList()).hasSize(3).hasSameSizeAs(ours.storageFileList());
        assertThat(official.getStorageFileList()[2].getUserId()).isEqualTo(ours.storageFileList().get(2).userId());
        assertThat(official.getRequestId()).isEqualTo(ours.requestId());
    }
}
