package io.github.trtcreactive.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedModelTest {

    private final ObjectMapper json = TrtcProtocol.mapper();

    @Test
    void roundTrip_keepsOddWireNamesAndNestedLists() throws Exception {
        String wire = "{\"SdkAppId\":1400188366,\"RoomId\":\"r1\",\"UserId\":\"robot\",\"UserSig\":\"sig\","
                + "\"RecordParams\":{\"RecordMode\":2,\"SubscribeStreamUserIds\":{\"SubscribeAudioUserIds\":[\"a\",\"b\"]}},"
                + "\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{\"ExpireTime\":0}}},\"RoomIdType\":1}";

        CreateCloudRecordingRequest request = json.readValue(wire, CreateCloudRecordingRequest.class);

        assertThat(request.recordParams().subscribeStreamUserIds().subscribeAudioUserIds()).containsExactly("a", "b");
        assertThat(json.readTree(json.writeValueAsBytes(request))).isEqualTo(json.readTree(wire));
        DescribeTrtcRoomUsageRequest usage = DescribeTrtcRoomUsageRequest.builder().sdkAppid(1L).build();
        assertThat(json.writeValueAsString(usage)).isEqualTo("{\"SdkAppid\":1}");
    }

    @Test
    void builder_copiesLists_andBuiltListsAreImmutable() {
        List<String> ids = new ArrayList<>(List.of("u1"));
        RemoveUserRequest request = RemoveUserRequest.builder().userIds(ids).build();
        ids.add("u2");

        assertThat(request.userIds()).containsExactly("u1");
        assertThatThrownBy(() -> request.userIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderEqualsAndHashCode_areValueBased() {
        DescribeCloudRecordingRequest a = DescribeCloudRecordingRequest.builder().sdkAppId(1L).taskId("t").build();
        DescribeCloudRecordingRequest b = a.toBuilder().build();
        DescribeCloudRecordingRequest c = a.toBuilder().taskId("other").build();

        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(c).isNotEqualTo(a);
        assertThat(a.taskId()).isEqualTo("t");
    }

    @Test
    void toString_redactsSecretMembers() {
        CreateCloudRecordingRequest request = CreateCloudRecordingRequest.builder().userId("robot")
                .userSig("SIG-SECRET").privateMapKey("PMK-SECRET")
                .storageParams(StorageParams.builder().cloudStorage(CloudStorage.builder()
                        .accessKey("AK-SECRET").secretKey("SK-SECRET").bucket("b").build()).build())
                .build();
        StartAIConversationRequest ai = StartAIConversationRequest.builder()
                .llmConfig("{\"APIKey\":\"LLM-SECRET\"}").ttsConfig("{\"SecretKey\":\"TTS-SECRET\"}").build();

        assertThat(request.toString()).contains("userId=robot", "bucket=b", "userSig=***")
                .doesNotContain("SIG-SECRET", "PMK-SECRET", "AK-SECRET", "SK-SECRET");
        assertThat(ai.toString()).doesNotContain("LLM-SECRET", "TTS-SECRET");
    }
}
