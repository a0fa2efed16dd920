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
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.model.ModifyCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.SubscribeStreamUserIds;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/** The client against the emulator over real sockets. */
class TrtcAsyncClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        client = clientBuilder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private TrtcAsyncClientBuilder clientBuilder() {
        return TrtcAsyncClient.builder().region("ap-singapore")
                .credentials(emulator.credentials())
                .region("ap-singapore")
                .endpoint(emulator.uri())
                .responseTimeout(Duration.ofSeconds(5));
    }

    private CreateCloudRecordingRequest createRequest(String room) {
        return CreateCloudRecordingRequest.builder()
                .sdkAppId(emulator.sdkAppId()).roomId(room).roomIdType(0L).userId("recorder")
                .userSig(emulator.userSigs().generate("recorder", Duration.ofHours(1)))
                .recordParams(RecordParams.builder().recordMode(1L).build())
                .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                        .tencentVod(TencentVod.builder().build()).build()).build())
                .build();
    }

    private DescribeCloudRecordingRequest describe(String taskId) {
        return DescribeCloudRecordingRequest.builder().sdkAppId(emulator.sdkAppId()).taskId(taskId).build();
    }

    /** Waits, without sleeping, until a condition on the emulator holds. */
    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void recordingFamily_createDescribeModifyDelete_overRealSockets() {
        emulator.rooms().join("room-1", "alice", "bob");
        String taskId = client.createCloudRecording(createRequest("room-1")).map(r -> r.taskId()).block(WAIT);

        StepVerifier.create(client.describeCloudRecording(describe(taskId)))
                .assertNext(r -> {
                    assertThat(r.taskId()).isEqualTo(taskId);
                    assertThat(r.status()).isIn("Idle", "InProgress");
                    assertThat(r.requestId()).isNotEmpty();
                })
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(client.modifyCloudRecording(ModifyCloudRecordingRequest.builder()
                        .sdkAppId(emulator.sdkAppId()).taskId(taskId)
                        .subscribeStreamUserIds(SubscribeStreamUserIds.builder().subscribeVideoUserIds(List.of("bob"))
                                .build()).build())
                        .then(client.deleteCloudRecording(DeleteCloudRecordingRequest.builder()
                                .sdkAppId(emulator.sdkAppId()).taskId(taskId).build()))
                        .then(client.describeCloudRecording(describe(taskId))))
                .assertNext(r -> assertThat(r.status()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
        assertThat(emulator.requests()).extracting(RecordedRequest::action).containsExactly("CreateCloudRecording",
                "DescribeCloudRecording", "ModifyCloudRecording", "DeleteCloudRecording", "DescribeCloudRecording");
        assertThat(emulator.requests()).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
    }

    @Test
    void headers_areTheOnesTheServiceExpects() {
        StepVerifier.create(client.describeCloudRecording(describe("t1"))).expectError().verify(WAIT);

        RecordedRequest sent = emulator.requests().get(0);
        assertThat(sent.body().toString()).isEqualTo("{\"SdkAppId\":" + emulator.sdkAppId() + ",\"TaskId\":\"t1\"}");
        assertThat(sent.header("X-TC-Action")).isEqualTo("DescribeCloudRecording");
        assertThat(sent.header("X-TC-Version")).isEqualTo("2019-07-22");
        assertThat(sent.header("X-TC-Region")).isEqualTo("ap-singapore");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(sent.header("Host")).isEqualTo("127.0.0.1:" + emulator.port());
        assertThat(sent.header("User-Agent")).matches("trtc-reactive/\\d+\\.\\d+\\.\\d+.*");
        assertThat(sent.header("Accept-Encoding")).contains("gzip");
        assertThat(sent.header("X-TC-Token")).isNull();
        assertThat(sent.errorCode()).as("authenticated, then not found").isEqualTo("ResourceNotFound");
    }

    @Test
    void wrongSecretKey_isRejectedByTheEmulator() {
        try (TrtcAsyncClient wrong = clientBuilder()
                .credentials(Credentials.of(emulator.credentials().secretId(), "not-the-key")).build()) {
            StepVerifier.create(wrong.describeCloudRecording(describe("t1")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                            s -> assertThat(s.errorCode()).isEqualTo("AuthFailure.SignatureFailure")))
                    .verify(WAIT);
        }
    }

    @Test
    void sessionToken_isSentAndAccepted() {
        Credentials temporary = Credentials.of("AKIDtemporary", "temporary-key", "session-token-1");
        try (TrtcEmulator withToken = TrtcEmulator.builder().credentials(temporary).start();
                TrtcAsyncClient tokenClient = TrtcAsyncClient.builder().region("ap-singapore").credentials(temporary)
                        .endpoint(withToken.uri()).build()) {
            StepVerifier.create(tokenClient.call("DescribeStreamIngest", JsonNodeFactory.instance.objectNode()
                            .put("SdkAppId", withToken.sdkAppId()).put("TaskId", "t")))
                    .assertNext(r -> assertThat(r.get("Status").asText()).isEqualTo("NotExist"))
                    .expectComplete()
                    .verify(WAIT);
            assertThat(withToken.requests().get(0).header("X-TC-Token")).as("redacted in the log").isEqualTo("***");
        }
    }

    @Test
    void nothingIsSent_beforeSubscription() {
        Mono<DescribeCloudRecordingResponse> assembled = client.describeCloudRecording(describe("first"));
        Mono<DescribeCloudRecordingResponse> other = client.describeCloudRecording(describe("second"));

        StepVerifier.create(other).expectError(TrtcServiceException.class).verify(WAIT);

        assertThat(emulator.requests()).singleElement()
                .satisfies(r -> assertThat(r.body().get("TaskId").asText()).isEqualTo("second"));
        StepVerifier.create(assembled).expectError(TrtcServiceException.class).verify(WAIT);
        assertThat(emulator.requests()).hasSize(2);
    }

    @Test
    void eachSubscription_sendsItsOwnSignedRequest() {
        Instant now = Instant.now();
        try (TrtcEmulator fixed = TrtcEmulator.builder().clock(EmulatorClock.fixed(now)).start()) {
            AtomicLong seconds = new AtomicLong(now.getEpochSecond());
            Clock stepping = new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochSecond(seconds.getAndAdd(7));
                }
            };
            try (TrtcAsyncClient clocked = TrtcAsyncClient.builder().region("ap-singapore").credentials(fixed.credentials())
                    .endpoint(fixed.uri()).clock(stepping).build()) {
                Mono<JsonNode> call = clocked.call("DescribeStreamIngest", JsonNodeFactory.instance.objectNode()
                        .put("SdkAppId", fixed.sdkAppId()).put("TaskId", "t"));
                StepVerifier.create(call.then(call)).expectNextCount(1).expectComplete().verify(WAIT);
            }
            assertThat(fixed.requests()).hasSize(2)
                    .extracting(r -> r.header("X-TC-Timestamp"))
                    .containsExactly(Long.toString(now.getEpochSecond()), Long.toString(now.getEpochSecond() + 7));
            assertThat(fixed.requests()).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        }
    }

    @Test
    void cancellingAnInFlightCall_closesItsConnection() {
        emulator.faults().nextAny(Fault.noResponse(), 1);

        Disposable inFlight = client.describeCloudRecording(describe("t1")).subscribe();
        await(() -> emulator.requests().size() == 1);
        long closedBefore = emulator.connectionsClosed();
        inFlight.dispose();

        await(() -> emulator.connectionsClosed() > closedBefore);
    }

    @Test
    void errorEnvelope_becomesServiceExceptionWithAllFields() {
        StepVerifier.create(client.describeCloudRecording(describe("no-such-task")))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TrtcServiceException.class);
                    TrtcServiceException s = (TrtcServiceException) e;
                    assertThat(s.errorCode()).isEqualTo("ResourceNotFound");
                    assertThat(s.errorMessage()).isNotEmpty();
                    assertThat(s.requestId()).isEqualTo(emulator.requests().get(0).requestId());
                    assertThat(s.action()).isEqualTo("DescribeCloudRecording");
                    assertThat(s.httpStatus()).isEqualTo(200);
                })
                .verify(WAIT);
    }

    @Test
    void slowServer_pastResponseTimeout_failsWithTimeoutError() {
        emulator.faults().nextAny(Fault.delay(Duration.ofSeconds(30)), 1);
        try (TrtcAsyncClient impatient = clientBuilder().responseTimeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.none()).build()) {
            StepVerifier.create(impatient.describeCloudRecording(describe("t1")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcTimeoutException.class)
                            .hasMessageContaining("DescribeCloudRecording")
                            .hasMessageContaining("300 ms"))
                    .verify(WAIT);
        }
    }

    @Test
    void nonJson502_becomesClientExceptionWithStatus() {
        emulator.faults().nextAny(Fault.httpStatus(502), 1);
        client.close();
        client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        StepVerifier.create(client.describeCloudRecording(describe("t1")))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(TrtcClientException.class);
                    assertThat(((TrtcClientException) e).httpStatus()).hasValue(502);
                    assertThat(((TrtcClientException) e).bodyExcerpt()).contains("502");
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
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void rawCall_returnsTheResponseObject() {
        long now = Instant.now().getEpochSecond();
        JsonNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);

        StepVerifier.create(client.call("DescribeRoomInfo", body))
                .assertNext(r -> {
                    assertThat(r.has("Total")).isTrue();
                    assertThat(r.get("RequestId").asText()).isEqualTo(emulator.requests().get(0).requestId());
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(emulator.requests().get(0).header("X-TC-Action")).isEqualTo("DescribeRoomInfo");
        assertThatThrownBy(() -> client.call("bad name", body)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.call("DescribeRoomInfo", JsonNodeFactory.instance.arrayNode()))
                .hasMessageContaining("JSON object");
    }

    @Test
    void largeGzippedReply_isDecompressed() {
        String[] users = new String[2000];
        for (int i = 0; i < users.length; i++) {
            users[i] = "user-" + i;
        }
        emulator.rooms().join("big-room", users);
        String taskId = client.createCloudRecording(createRequest("big-room")).map(r -> r.taskId()).block(WAIT);
        emulator.clock().advance(Duration.ofSeconds(1));

        StepVerifier.create(client.describeCloudRecording(describe(taskId)))
                .assertNext(r -> assertThat(r.storageFileList()).hasSize(2000))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void subscribingOnANonBlockingThread_signsAndSendsWithoutBlocking() {
        StepVerifier.create(client.describeCloudRecording(describe("t1")).subscribeOn(Schedulers.parallel()))
                .expectError(TrtcServiceException.class)
                .verify(WAIT);
    }

    @Test
    void connectionRefused_failsWithClientException() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        try (TrtcAsyncClient nowhere = clientBuilder().endpoint(URI.create("http://127.0.0.1:" + freePort)).build()) {
            StepVerifier.create(nowhere.describeCloudRecording(describe("t1")))
                    .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(TrtcClientException.class)
                            .hasMessageContaining("cannot connect"))
                    .verify(WAIT);
        }
    }

    @Test
    void close_disposesOnlyThePoolTheClientCreated() {
        ConnectionProvider mine = ConnectionProvider.create("user-pool", 4);
        TrtcAsyncClient withUserPool = clientBuilder().connectionProvider(mine).build();
        StepVerifier.create(withUserPool.describeCloudRecording(describe("t1"))).expectError().verify(WAIT);

        withUserPool.close();
        client.close();

        assertThat(mine.isDisposed()).isFalse();
        assertThat(client.ownsDisposedPool()).isTrue();
        mine.disposeLater().block(WAIT);
    }

    @Test
    void builder_readsRegionAndEndpointFromTheEnvironment_andFailsWithoutCredentials() {
        Map<String, String> env = Map.of("TENCENTCLOUD_REGION", "ap-mumbai", "TRTC_ENDPOINT", emulator.uri().toString());
        try (TrtcAsyncClient fromEnv = TrtcAsyncClient.builder().credentials(emulator.credentials())
                .environment(env::get).build()) {
            assertThat(fromEnv.region()).isEqualTo("ap-mumbai");
            assertThat(fromEnv.endpoint().uri()).isEqualTo(emulator.uri());
        }
        try (TrtcAsyncClient defaults = TrtcAsyncClient.builder().credentials(emulator.credentials())
                .environment(name -> null).build()) {
            assertThat(defaults.region()).isEqualTo("ap-guangzhou");
            assertThat(defaults.endpoint().uri()).hasToString("https://trtc.tencentcloudapi.com");
        }
        CredentialsProvider none = () -> {
            throw new CredentialsNotFoundException("nothing here");
        };
        assertThatThrownBy(() -> TrtcAsyncClient.builder().region("ap-singapore").credentialsProvider(none).build())
                .isInstanceOf(CredentialsNotFoundException.class);
        assertThatThrownBy(() -> TrtcAsyncClient.builder().region("ap-singapore").responseTimeout(Duration.ZERO))
                .hasMessageContaining("responseTimeout");
    }

    @Test
    void toString_showsNoSecrets() {
        assertThat(client.toString()).doesNotContain(emulator.credentials().secretKey());
    }

    @Test
    void callListener_seesEveryAttemptWithItsLatencyAndOutcome() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        TrtcAsyncClient observed = clientBuilder()
                .retryPolicy(RetryPolicy.none())
                .callListener((action, latency, error) -> seen.add(action + " " + (error == null ? "ok"
                        : ((io.github.trtcreactive.core.error.TrtcServiceException) error).errorCode())
                        + " " + (latency.isNegative() || latency.isZero() ? "no-latency" : "timed")))
                .build();
        emulator.faults().next("DescribeCloudRecording", Fault.serviceError("InternalError", "try again"), 1);

        StepVerifier.create(observed.describeCloudRecording(describe("no-such-task")))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("InternalError"))
                .verify(WAIT);
        StepVerifier.create(observed.createCloudRecording(createRequest("room-listener")))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        assertThat(seen).containsExactly("DescribeCloudRecording InternalError timed", "CreateCloudRecording ok timed");
    }
}
