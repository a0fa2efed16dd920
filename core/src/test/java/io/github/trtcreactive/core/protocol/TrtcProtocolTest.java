package io.github.trtcreactive.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.model.RecordParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrtcProtocolTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encode_usesWireNames_andLeavesNullsOut() {
        byte[] body = TrtcProtocol.encode("DescribeCloudRecording",
                DescribeCloudRecordingRequest.builder().sdkAppId(1400188366L).taskId("t1").build());

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"SdkAppId\":1400188366,\"TaskId\":\"t1\"}");
    }

    @Test
    void decode_success_ignoresUnknownMembers() {
        DescribeCloudRecordingResponse r = TrtcProtocol.decode("DescribeCloudRecording", 200,
                utf8("{\"Response\":{\"TaskId\":\"t1\",\"Status\":\"InProgress\",\"NewField\":{\"x\":1},"
                        + "\"StorageFileList\":[{\"FileName\":\"a.mp4\",\"BeginTimeStamp\":1700000000000}],"
                        + "\"RequestId\":\"req-1\"}}"),
                DescribeCloudRecordingResponse.class);

        assertThat(r.taskId()).isEqualTo("t1");
        assertThat(r.status()).isEqualTo("InProgress");
        assertThat(r.requestId()).isEqualTo("req-1");
        assertThat(r.storageFileList()).singleElement()
                .satisfies(f -> assertThat(f.beginTimeStamp()).isEqualTo(1700000000000L));
    }

    @Test
    void decode_readsTheTypedAnswerInOnePass_exactlyAsTheTreeDoes() {
        String[] bodies = {
            "{\"Response\":{\"TaskId\":\"t1\",\"Status\":null,\"Error\":null,\"RequestId\":\"r\"}}",
            "{\"Other\":[1,{\"a\":2}],\"Response\":{\"TaskId\":\"t1\",\"StorageFileList\":[]},\"More\":true}",
            "{\"Response\":{\"TaskId\":\"\\u0074\\u0031\",\"RequestId\":\"r\"}} trailing",
            "{\"Response\":{\"TaskId\":\"t1\"},\"Response\":{\"TaskId\":\"t2\"}}",
        };
        for (String body : bodies) {
            DescribeCloudRecordingResponse fast = TrtcProtocol.decode("DescribeCloudRecording", 200, utf8(body),
                    DescribeCloudRecordingResponse.class);
            DescribeCloudRecordingResponse tree = TrtcProtocol.mapper().convertValue(
                    TrtcProtocol.decodeTree("DescribeCloudRecording", 200, utf8(body)),
                    DescribeCloudRecordingResponse.class);
            assertThat(fast).as(body).isEqualTo(tree);
        }
        // An Error after other members is still an error envelope.
        TrtcServiceException late = catchThrowableOfType(TrtcServiceException.class, () -> TrtcProtocol.decode(
                "DescribeCloudRecording", 200, utf8("{\"Response\":{\"TaskId\":\"t1\",\"RequestId\":\"r-3\","
                        + "\"Error\":{\"Code\":\"InternalError\",\"Message\":\"m\"}}}"),
                DescribeCloudRecordingResponse.class));
        assertThat(late.errorCode()).isEqualTo("InternalError");
        assertThat(late.requestId()).isEqualTo("r-3");
        // A member of the wrong type is a client error naming the type, as before.
        assertThat(catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decode("DescribeCloudRecording",
                200, utf8("{\"Response\":{\"StorageFileList\":\"no\"}}"), DescribeCloudRecordingResponse.class)))
                .hasMessageContaining("cannot decode the reply as DescribeCloudRecordingResponse");
    }

    @Test
    void generatedReaders_bindTheUsualReply_andLeaveOddTokensToJackson() throws Exception {
        byte[] usual = utf8("{\"Response\":{\"TaskId\":\"t1\",\"Status\":\"InProgress\",\"New\":{\"x\":[1]},"
                + "\"StorageFileList\":[{\"FileName\":\"a.mp4\",\"BeginTimeStamp\":1700000000000}],"
                + "\"RequestId\":\"req-1\"}}");
        DescribeCloudRecordingResponse generated = TrtcProtocol.decodeGenerated(usual,
                DescribeCloudRecordingResponse.class);
        assertThat(generated).isEqualTo(TrtcProtocol.mapper().convertValue(
                TrtcProtocol.decodeTree("DescribeCloudRecording", 200, usual), DescribeCloudRecordingResponse.class));
        assertThat(generated.storageFileList()).singleElement()
                .satisfies(f -> assertThat(f.beginTimeStamp()).isEqualTo(1700000000000L));

        // A number where a string belongs, a string where a number belongs, a null element: Jackson's rules.
        for (String odd : new String[] {
            "{\"Response\":{\"TaskId\":123}}",
            "{\"Response\":{\"StorageFileList\":[{\"BeginTimeStamp\":\"17\"}]}}",
            "{\"Response\":{\"StorageFileList\":[null]}}",
        }) {
            assertThat(catchThrowableOfType(Read.Unexpected.class, () -> TrtcProtocol.decodeGenerated(utf8(odd),
                    DescribeCloudRecordingResponse.class))).as(odd).isNotNull();
            assertThat(TrtcProtocol.decode("DescribeCloudRecording", 200, utf8(odd),
                    DescribeCloudRecordingResponse.class)).as(odd).isEqualTo(TrtcProtocol.mapper().convertValue(
                    TrtcProtocol.decodeTree("DescribeCloudRecording", 200, utf8(odd)),
                    DescribeCloudRecordingResponse.class));
        }
    }

    @Test
    void decode_errorEnvelope_becomesServiceExceptionWithEveryField() {
        TrtcServiceException e = catchThrowableOfType(TrtcServiceException.class, () -> TrtcProtocol.decode(
                "DescribeCloudRecording", 200,
                utf8("{\"Response\":{\"Error\":{\"Code\":\"ResourceNotFound\",\"Message\":\"no such task\"},"
                        + "\"RequestId\":\"req-2\"}}"),
                DescribeCloudRecordingResponse.class));

        assertThat(e.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(e.errorMessage()).isEqualTo("no such task");
        assertThat(e.requestId()).isEqualTo("req-2");
        assertThat(e.action()).isEqualTo("DescribeCloudRecording");
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.isCode("ResourceNotFound")).isTrue();
        assertThat(e).hasMessageContaining("ResourceNotFound").hasMessageContaining("req-2");
    }

    @Test
    void decode_nonJson502_becomesClientExceptionWithStatusAndExcerpt() {
        TrtcClientException e = catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decode(
                "DescribeCloudRecording", 502, utf8("<html>Bad Gateway</html>"), DescribeCloudRecordingResponse.class));

        assertThat(e.httpStatus()).hasValue(502);
        assertThat(e.bodyExcerpt()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(e).hasMessageContaining("not JSON").hasMessageContaining("502");
    }

    @Test
    void decode_wrongShapes_becomeClientExceptions() {
        assertThat(catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decodeTree("A", 200,
                utf8("{\"Other\":1}")))).hasMessageContaining("no Response object");
        assertThat(catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decodeTree("A", 500,
                utf8("{\"Response\":{}}")))).hasMessageContaining("500");
        assertThat(catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decode("A", 200,
                utf8("{\"Response\":{\"StorageFileList\":\"not a list\"}}"), DescribeCloudRecordingResponse.class)))
                .hasMessageContaining("cannot decode");
        assertThat(TrtcProtocol.excerpt(utf8("x".repeat(500)))).hasSize(TrtcProtocol.EXCERPT_LENGTH + 1);
    }

    @Test
    void decode_errorWithWronglyTypedCodeOrMessage_isAMalformedReply() {
        for (String error : new String[] {"{\"Code\":42,\"Message\":\"m\"}", "{\"Code\":\"\",\"Message\":\"m\"}",
                "{\"Code\":\"InternalError\",\"Message\":{\"x\":1}}", "{\"Message\":\"m\"}", "\"boom\"",
                "{\"Code\":[\"InternalError\"]}"}) {
            TrtcClientException e = catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decodeTree("A",
                    200, utf8("{\"Response\":{\"Error\":" + error + ",\"RequestId\":\"r1\"}}")));
            assertThat(e).as(error).isNotNull().isNotInstanceOf(TrtcServiceException.class)
                    .hasMessageContaining("Error is malformed");
        }
    }

    @Test
    void missingRequired_namesNestedMembers() {
        CreateCloudRecordingRequest request = CreateCloudRecordingRequest.builder()
                .sdkAppId(1L).roomId("r").userId("u").userSig("s")
                .recordParams(RecordParams.builder().build())
                .build();

        assertThat(TrtcProtocol.missingRequired(request)).containsExactly("RecordParams.RecordMode", "StorageParams");
    }

    @Test
    void prepareCodecs_coversTheRequestAndResponseOfEveryAction_once() {
        int actions = io.github.trtcreactive.core.catalog.ActionCatalogue.standard().all().size();

        assertThat(TrtcProtocol.prepareCodecs()).isEqualTo(2 * actions);
        assertThat(TrtcProtocol.prepareCodecs()).isEqualTo(2 * actions);
    }
}
