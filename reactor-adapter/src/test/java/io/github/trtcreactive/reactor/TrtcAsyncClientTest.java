package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsNotFoundException;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcTimeoutException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.model.ModifyCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.CloudStorage;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

class TrtcAsyncClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final DescribeCloudRecordingRequest DESCRIBE =
            DescribeCloudRecordingRequest.builder().sdkAppId(1400188366L).taskId("t1").build();

    private SigningTestServer server;
    private TrtcAsyncClient client;

    @BeforeEach
    void start() {
        server = new SigningTestServer();
        client = clientBuilder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private TrtcAsyncClientBuilder clientBuilder() {
        return TrtcAsyncClient.builder()
                .credentials(SigningTestServer.KNOWN)
                .region("ap-singapore")
                .endpoint(server.uri())
                .responseTimeout(Duration.ofSeconds(5));
    }

    @Test
    void describeCloudRecording_signedRequest_isVerifiedAndDecoded() {
        StepVerifier.create(client.describeCloudRecording(DESCRIBE))
                .assertNext(r -> {
                    assertThat(r.taskId()).isEqualTo("t1");
                    assertThat(r.status()).isEqualTo("InProgress");
                    assertThat(r.requestId()).isEqualTo("req-ok");
                })
                .expectComplete()
                .verify(WAIT);

        SigningTestServer.Received sent = server.received().get(0);
        assertThat(sent.bodyText()).isEqualTo("{\"SdkAppId\":1400188366,\"TaskId\":\"t1\"}");
        assertThat(sent.header("X-TC-Action")).isEqualTo("DescribeCloudRecording");
        assertThat(sent.header("X-TC-Version")).isEqualTo("2019-07-22");
        assertThat(sent.header("X-TC-Region")).isEqualTo("ap-singapore");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(sent.header("Host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(sent.header("User-Agent")).matches("trtc-reactive/\\d+\\.\\d+\\.\\d+.*");
        assertThat(sent.header("Accept-Encoding")).contains("gzip");
        assertThat(sent.header("Authorization")).contains("/trtc/tc3_request, SignedHeaders=content-type;host, ");
        assertThat(sent.header("X-TC-Token")).isNull();
        assertThat(Long.parseLong(sent.header("X-TC-Timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    }

    @Test
    void wrongSecretKey_isRejectedByTheVerifyingServer() {
        try (TrtcAsyncClient wrong = clientBuilder()
                .credentials(Credentials.of(SigningTestServer.KNOWN.secretId(), "not-the-key")).build()) {
            StepVerifier.create(wrong.describeCloudRecording(DESCRIBE))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcServiceException.class)
                            .extracting(x -> ((TrtcServiceException) x).errorCode())
                            .isEqualTo("AuthFailure.SignatureFailure"))
                    .verify(WAIT);
        }
    }

    @Test
    void sessionToken_isSentAsHeader() {
        Credentials temporary = Credentials.of(SigningTestServer.KNOWN.secretId(),
                SigningTestServer.KNOWN.secretKey(), "session-token-1");
        try (TrtcAsyncClient tokenClient = clientBuilder().credentials(temporary).build()) {
            StepVerifier.create(tokenClient.describeCloudRecording(DESCRIBE)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
        }
        assertThat(server.received().get(0).header("X-TC-Token")).isEqualTo("session-token-1");
    }

    @Test
    void nothingIsSent_beforeSubscription() {
        Mono<DescribeCloudRecordingResponse> assembled = client.describeCloudRecording(DESCRIBE);
        Mono<DescribeCloudRecordingResponse> other = client.describeCloudRecording(DESCRIBE.toBuilder().taskId("t2").build());

        StepVerifier.create(other).expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(server.received()).hasSize(1);
        assertThat(server.received().get(0).bodyText()).contains("t2");
        StepVerifier.create(assembled).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void eachSubscription_sendsItsOwnSignedRequest() {
        AtomicLong seconds = new AtomicLong(1_700_000_000L);
        Clock stepping = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(seconds.getAndAdd(7));
            }
        };
        try (TrtcAsyncClient clocked = clientBuilder().clock(stepping).build()) {
            Mono<DescribeCloudRecordingResponse> call = clocked.describeCloudRecording(DESCRIBE);
            StepVerifier.create(call.then(call)).expectNextCount(1).expectComplete().verify(WAIT);
        }

        assertThat(server.received()).hasSize(2)
                .extracting(r -> r.header("X-TC-Timestamp"))
                .containsExactly("1700000000", "1700000007");
        assertThat(server.received().get(0).header("Authorization"))
                .isNotEqualTo(server.received().get(1).header("Authorization"));
    }

    @Test
    void cancellingAnInFlightCall_closesItsConnection() {
        server.answer(r -> Mono.never());

        Disposable inFlight = client.describeCloudRecording(DESCRIBE).subscribe();
        StepVerifier.create(server.arrival(1)).expectNextCount(1).expectComplete().verify(WAIT);
        inFlight.dispose();

        StepVerifier.create(server.connectionsClosed(1)).expectNext(1).expectComplete().verify(WAIT);
    }

    @Test
    void errorEnvelope_becomesServiceExceptionWithAllFields() {
        server.answer(r -> Mono.just(new SigningTestServer.Answer(400, "application/json",
                "{\"Response\":{\"Error\":{\"Code\":\"ResourceNotFound\",\"Message\":\"task gone\"},"
                        + "\"RequestId\":\"req-404\"}}")));

        StepVerifier.create(client.describeCloudRecording(DESCRIBE))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TrtcServiceException.class);
                    TrtcServiceException s = (TrtcServiceException) e;
                    assertThat(s.errorCode()).isEqualTo("ResourceNotFound");
                    assertThat(s.errorMessage()).isEqualTo("task gone");
                    assertThat(s.requestId()).isEqualTo("req-404");
                    assertThat(s.action()).isEqualTo("DescribeCloudRecording");
                    assertThat(s.httpStatus()).isEqualTo(400);
                })
                .verify(WAIT);
    }

    @Test
    void slowServer_pastResponseTimeout_failsWithTimeoutError() {
        server.answer(r -> Mono.delay(Duration.ofSeconds(30)).thenReturn(SigningTestServer.Answer.json("")));
        try (TrtcAsyncClient impatient = clientBuilder().responseTimeout(Duration.ofMillis(300)).build()) {
            StepVerifier.create(impatient.describeCloudRecording(DESCRIBE))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcTimeoutException.class)
                            .hasMessageContaining("DescribeCloudRecording")
                            .hasMessageContaining("300 ms"))
                    .verify(WAIT);
        }
    }

    @Test
    void nonJson502_becomesClientExceptionWithStatus() {
        server.answer(r -> Mono.just(new SigningTestServer.Answer(502, "text/html", "<html>Bad Gateway</html>")));

        StepVerifier.create(client.describeCloudRecording(DESCRIBE))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(TrtcClientException.class);
                    assertThat(((TrtcClientException) e).httpStatus()).hasValue(502);
                    assertThat(((TrtcClientException) e).bodyExcerpt()).contains("Bad Gateway");
                })
                .verify(WAIT);
    }

    @Test
    void missingRequiredMember_failsOnSubscription_andSendsNothing() {
        Mono<?> call = client.describeCloudRecording(DescribeCloudRecordingRequest.builder().sdkAppId(1L).build());

        StepVerifier.create(call)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcValidationException.class)
                        .hasMessageContaining("DescribeCloudRecording")
                        .hasMessageContaining("TaskId"))
                .verify(WAIT);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void recordingFamily_createModifyDelete_roundTrip() {
        server.answer(r -> Mono.just(SigningTestServer.Answer.json("\"TaskId\":\"task-9\",\"RequestId\":\"r-"
                + r.header("X-TC-Action") + "\"")));
        CreateCloudRecordingRequest create = CreateCloudRecordingRequest.builder()
                .sdkAppId(1400188366L).roomId("room-1").userId("recorder").userSig("sig")
                .recordParams(RecordParams.builder().recordMode(2L).build())
                .storageParams(StorageParams.builder().cloudStorage(CloudStorage.builder().vendor(0L)
                        .region("ap-shanghai").bucket("b").accessKey("ak").secretKey("sk").build()).build())
                .build();

        StepVerifier.create(client.createCloudRecording(create)
                        .flatMap(c -> client.modifyCloudRecording(ModifyCloudRecordingRequest.builder()
                                .sdkAppId(1400188366L).taskId(c.taskId()).build()))
                        .flatMap(m -> client.deleteCloudRecording(DeleteCloudRecordingRequest.builder()
                                .sdkAppId(1400188366L).taskId(m.taskId()).build())))
                .assertNext(d -> assertThat(d.requestId()).isEqualTo("r-DeleteCloudRecording"))
                .expectComplete()
                .verify(WAIT);
        assertThat(server.received()).extracting(r -> r.header("X-TC-Action"))
                .containsExactly("CreateCloudRecording", "ModifyCloudRecording", "DeleteCloudRecording");
    }

    @Test
    void rawCall_returnsTheResponseObject() {
        server.answer(r -> Mono.just(SigningTestServer.Answer.json("\"Total\":0,\"RoomList\":[],\"RequestId\":\"r1\"")));
        JsonNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", 1400188366L);

        StepVerifier.create(client.call("DescribeRoomInfo", body))
                .assertNext(r -> {
                    assertThat(r.get("Total").asInt()).isZero();
                    assertThat(r.get("RequestId").asText()).isEqualTo("r1");
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(server.received().get(0).header("X-TC-Action")).isEqualTo("DescribeRoomInfo");
        assertThatThrownBy(() -> client.call("bad name", body)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.call("DescribeRoomInfo", JsonNodeFactory.instance.arrayNode()))
                .hasMessageContaining("JSON object");
    }

    @Test
    void gzipReply_isDecompressed() {
        String big = "x".repeat(20_000);
        server.answer(r -> Mono.just(SigningTestServer.Answer.json("\"TaskId\":\"" + big + "\",\"RequestId\":\"gz\"")));

        StepVerifier.create(client.describeCloudRecording(DESCRIBE))
                .assertNext(r -> assertThat(r.taskId()).hasSize(20_000))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void subscribingOnANonBlockingThread_signsAndSendsWithoutBlocking() {
        StepVerifier.create(client.describeCloudRecording(DESCRIBE).subscribeOn(Schedulers.parallel()))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void connectionRefused_failsWithClientException() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        try (TrtcAsyncClient nowhere = clientBuilder().endpoint(URI.create("http://127.0.0.1:" + freePort)).build()) {
            StepVerifier.create(nowhere.describeCloudRecording(DESCRIBE))
                    .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(TrtcClientException.class)
                            .hasMessageContaining("cannot connect"))
                    .verify(WAIT);
        }
    }

    @Test
    void close_disposesOnlyThePoolTheClientCreated() {
        ConnectionProvider mine = ConnectionProvider.create("user-pool", 4);
        TrtcAsyncClient withUserPool = clientBuilder().connectionProvider(mine).build();
        StepVerifier.create(withUserPool.describeCloudRecording(DESCRIBE)).expectNextCount(1).expectComplete()
                .verify(WAIT);

        withUserPool.close();
        client.close();

        assertThat(mine.isDisposed()).isFalse();
        assertThat(client.ownsDisposedPool()).isTrue();
        mine.disposeLater().block(WAIT);
    }

    @Test
    void builder_readsRegionAndEndpointFromTheEnvironment_andFailsWithoutCredentials() {
        Map<String, String> env = Map.of("TENCENTCLOUD_REGION", "ap-mumbai", "TRTC_ENDPOINT", server.uri().toString());
        try (TrtcAsyncClient fromEnv = TrtcAsyncClient.builder().credentials(SigningTestServer.KNOWN)
                .environment(env::get).build()) {
            assertThat(fromEnv.region()).isEqualTo("ap-mumbai");
            assertThat(fromEnv.endpoint().uri()).isEqualTo(server.uri());
        }
        try (TrtcAsyncClient defaults = TrtcAsyncClient.builder().credentials(SigningTestServer.KNOWN)
                .environment(name -> null).build()) {
            assertThat(defaults.region()).isEqualTo("ap-guangzhou");
            assertThat(defaults.endpoint().uri()).hasToString("https://trtc.tencentcloudapi.com");
        }
        CredentialsProvider none = () -> {
            throw new CredentialsNotFoundException("nothing here");
        };
        assertThatThrownBy(() -> TrtcAsyncClient.builder().credentialsProvider(none).build())
                .isInstanceOf(CredentialsNotFoundException.class);
        assertThatThrownBy(() -> TrtcAsyncClient.builder().responseTimeout(Duration.ZERO))
                .hasMessageContaining("responseTimeout");
    }

    @Test
    void toString_showsNoSecrets() {
        assertThat(client.toString()).doesNotContain(SigningTestServer.KNOWN.secretKey());
    }
}
