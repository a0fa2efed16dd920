package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.model.CloudStorage;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.SubscribeStreamUserIds;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The same inputs for every side of a comparison. */
final class Fixtures {

    static final Credentials CREDENTIALS = Credentials.of("AKIDbenchmarkSecretId000000000000000", "benchmarkSecretKey00000000000000");
    static final String HOST = "trtc.tencentcloudapi.com";
    static final long TIMESTAMP = 1_795_000_000L;
    static final long SDK_APP_ID = 1_400_000_001L;
    static final String TASK_ID = "-emu+benchmarkTaskId0000000000000000..";

    /** A DescribeCloudRecording reply with three files, as the canned server sends it. */
    static final byte[] DESCRIBE_REPLY = ("{\"Response\":{\"TaskId\":\"" + TASK_ID + "\",\"Status\":\"InProgress\","
            + "\"StorageFileList\":["
            + file("anchor-1", 1795000000000L) + "," + file("anchor-2", 1795000001000L) + ","
            + file("guest-7", 1795000002000L)
            + "],\"RecorderKey\":\"\",\"RequestId\":\"6f8a1f5e-2d43-4c1b-9a4e-5d0c7e3b2a19\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private Fixtures() {}

    private static String file(String user, long begin) {
        return "{\"FileName\":\"1400000001_room_" + user + "_main.m3u8\",\"UserId\":\"" + user + "\","
                + "\"TrackType\":\"audio_video\",\"BeginTimeStamp\":" + begin + "}";
    }

    /** @return a realistic CreateCloudRecording request, nested members and a list included */
    static CreateCloudRecordingRequest createRequest() {
        return CreateCloudRecordingRequest.builder()
                .sdkAppId(SDK_APP_ID).roomId("20261121").roomIdType(1L).userId("recorder-bot")
                .userSig("eJwtjMEKgjAUBO9*imsrWdZmQZXgDzrROxTlJ1lbZoiB6wiI1f--sdkappid1400000001")
                .recordParams(RecordParams.builder().recordMode(2L).maxIdleTime(60L).streamType(0L)
                        .subscribeStreamUserIds(SubscribeStreamUserIds.builder()
                                .subscribeAudioUserIds(List.of("anchor-1", "anchor-2", "guest-7")).build())
                        .outputFormat(0L).maxMediaFileDuration(1440L).build())
                .storageParams(StorageParams.builder().cloudStorage(CloudStorage.builder().vendor(0L)
                        .region("ap-guangzhou").bucket("recordings-1250000000").accessKey("AKIDstorage")
                        .secretKey("storageSecret").fileNamePrefix(List.of("trtc", "20261121")).build()).build())
                .build();
    }

    /** @return the same request in the official SDK's model */
    static com.tencentcloudapi.trtc.v20190722.models.CreateCloudRecordingRequest officialCreateRequest() {
        var subscribe = new com.tencentcloudapi.trtc.v20190722.models.SubscribeStreamUserIds();
        subscribe.setSubscribeAudioUserIds(new String[] {"anchor-1", "anchor-2", "guest-7"});
        var record = new com.tencentcloudapi.trtc.v20190722.models.RecordParams();
        record.setRecordMode(2L);
        record.setMaxIdleTime(60L);
        record.setStreamType(0L);
        record.setSubscribeStreamUserIds(subscribe);
        record.setOutputFormat(0L);
        record.setMaxMediaFileDuration(1440L);
        var storage = new com.tencentcloudapi.trtc.v20190722.models.CloudStorage();
        storage.setVendor(0L);
        storage.setRegion("ap-guangzhou");
        storage.setBucket("recordings-1250000000");
        storage.setAccessKey("AKIDstorage");
        storage.setSecretKey("storageSecret");
        storage.setFileNamePrefix(new String[] {"trtc", "20261121"});
        var storageParams = new com.tencentcloudapi.trtc.v20190722.models.StorageParams();
        storageParams.setCloudStorage(storage);
        var request = new com.tencentcloudapi.trtc.v20190722.models.CreateCloudRecordingRequest();
        request.setSdkAppId(SDK_APP_ID);
        request.setRoomId("20261121");
        request.setRoomIdType(1L);
        request.setUserId("recorder-bot");
        request.setUserSig("eJwtjMEKgjAUBO9*imsrWdZmQZXgDzrROxTlJ1lbZoiB6wiI1f--sdkappid1400000001");
        request.setRecordParams(record);
        request.setStorageParams(storageParams);
        return request;
    }
}
