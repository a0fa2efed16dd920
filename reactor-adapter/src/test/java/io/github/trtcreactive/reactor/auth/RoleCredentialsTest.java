package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsNotFoundException;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/**
 * The role providers against a local server that plays the CVM instance metadata service and STS
 * over real sockets: what they ask (paths, actions, the TC3 signature or {@code SKIP}, the token
 * file's current content), what they make of the answers, renewal ahead of expiry without dropping
 * valid credentials, failures named without secrets, and the default chain's choice.
 */
class RoleCredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Credentials SOURCE = Credentials.of("AKIDsource", "source-secret-key");

    private final EmulatorClock clock = EmulatorClock.fixed(Instant.parse("2026-11-21T00:00:00Z"));
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> stsBodies = new ConcurrentLinkedQueue<>();
    private volatile Credentials handedOut;
    private DisposableServer server;
    private URI base;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/latest/meta-data/cam/security-credentials/", (req, res) -> {
                    seen.add("GET " + req.uri());
                    return res.sendString(Mono.just("trtc-role\n"));
                }).get("/latest/meta-data/cam/security-credentials/{role}", this::metadata)
                        .post("/", this::sts))
                .bindNow();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private ObjectNode next() {
        int n = issued.incrementAndGet();
        Credentials c = handedOut != null ? handedOut : Credentials.of("AKIDtmp" + n, "tmp-key-" + n, "tmp-token-" + n);
        return TrtcProtocol.mapper().createObjectNode().put("TmpSecretId", c.secretId()).put("TmpSecretKey",
                c.secretKey()).put("Token", c.sessionToken().orElseThrow())
                .put("ExpiredTime", clock.instant().plusSeconds(3600).getEpochSecond());
    }

    private org.reactivestreams.Publisher<Void> metadata(HttpServerRequest req, HttpServerResponse res) {
        seen.add("GET " + req.uri());
        if (failing.get()) {
            return res.status(503).send();
        }
        if (!req.param("role").equals("trtc-role")) {
            return res.status(404).send();
        }
        return res.sendString(Mono.just(next().put("Code", "Success").put("Expiration", "2026-11-21T01:00:00Z")
                .toString()));
    }

    private org.reactivestreams.Publisher<Void> sts(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().aggregate().asByteArray().handle((bytes, sink) -> {
            String action = req.requestHeaders().get("X-TC-Action");
            String authorization = req.requestHeaders().get("Authorization");
            seen.add("POST " + action + " " + req.requestHeaders().get("X-TC-Version") + " " + req.requestHeaders()
                    .get("X-TC-Region"));
            JsonNode body;
            try {
                body = TrtcProtocol.mapper().readTree(bytes);
            } catch (java.io.IOException e) {
                sink.error(e);
                return;
            }
            stsBodies.add(body);
            ObjectNode reply = TrtcProtocol.mapper().createObjectNode();
            ObjectNode response = reply.putObject("Response").put("RequestId", "req-" + stsBodies.size());
            boolean authentic = "AssumeRoleWithWebIdentity".equals(action) ? "SKIP".equals(authorization)
                    : authorization != null && authorization.equals(Tc3Signer.sign(SOURCE, "sts",
                            req.requestHeaders().get("Host"), Long.parseLong(req.requestHeaders().get("X-TC-Timestamp")),
                            req.requestHeaders().get("Content-Type"), bytes).authorization());
            if (failing.get() || !authentic) {
                response.putObject("Error").put("Code", authentic ? "InternalError" : "AuthFailure.SignatureFailure")
                        .put("Message", "refused by the test server");
            } else {
                ObjectNode c = next();
                response.putObject("Credentials").put("TmpSecretId", c.get("TmpSecretId").asText())
                        .put("TmpSecretKey", c.get("TmpSecretKey").asText()).put("Token", c.get("Token").asText());
                response.put("ExpiredTime", c.get("ExpiredTime").asLong()).put("Expiration", "2026-11-21T01:00:00Z");
            }
            sink.next(reply.toString());
        }).cast(String.class).flatMap(json -> res.header("Content-Type", "application/json").sendString(Mono.just(json)).then());
    }

    private static String idOf(Credentials c) {
        return c.secretId() + "/" + c.sessionToken().orElse("-");
    }

    @Test
    void cvmRole_discoversTheRole_readsItsCredentials_andRenewsThemAheadOfExpiryWithoutDroppingThem() {
        CvmRoleCredentialsProvider provider = CvmRoleCredentialsProvider.builder().endpoint(base).clock(clock).build();

        StepVerifier.create(Flux.range(0, 20).flatMap(i -> provider.credentials()).map(RoleCredentialsTest::idOf)
                        .distinct().collectList())
                .expectNext(List.of("AKIDtmp1/tmp-token-1")).expectComplete().verify(WAIT);
        assertThat(seen).containsExactly("GET /latest/meta-data/cam/security-credentials/",
                "GET /latest/meta-data/cam/security-credentials/trtc-role");

        // five minutes before expiry the metadata service is down: the current credentials keep serving
        failing.set(true);
        clock.advance(Duration.ofMinutes(56));
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(provider.credentials().map(RoleCredentialsTest::idOf))
                    .expectNext("AKIDtmp1/tmp-token-1").expectComplete().verify(WAIT);
        }
        // it is back: the next renewal (5 s after the failed one) brings new credentials
        failing.set(false);
        clock.advance(Duration.ofSeconds(6));
        StepVerifier.create(Flux.interval(Duration.ofMillis(20)).concatMap(i -> provider.credentials())
                        .map(RoleCredentialsTest::idOf).filter(id -> !id.equals("AKIDtmp1/tmp-token-1")).next())
                .expectNext("AKIDtmp2/tmp-token-2").expectComplete().verify(WAIT);
        assertThat(provider).hasToString("CvmRoleCredentialsProvider(first listed role)");
    }

    @Test
    void cvmRole_expiredAndUnreachable_failsNamingTheSourceAndTheStatus_neverASecret() {
        CvmRoleCredentialsProvider provider = CvmRoleCredentialsProvider.builder().endpoint(base).roleName("trtc-role")
                .clock(clock).build();
        StepVerifier.create(provider.credentials()).expectNextCount(1).expectComplete().verify(WAIT);
        failing.set(true);
        clock.advance(Duration.ofHours(2));
        StepVerifier.create(provider.credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessageContaining("/latest/meta-data/cam/security-credentials/trtc-role answered HTTP 503")
                        .hasMessageNotContaining("tmp-key").hasMessageNotContaining("tmp-token"))
                .verify(WAIT);
        assertThat(seen).noneMatch(s -> s.endsWith("security-credentials/"));

        CvmRoleCredentialsProvider unknown = CvmRoleCredentialsProvider.builder().endpoint(base).roleName("other")
                .clock(clock).build();
        failing.set(false);
        StepVerifier.create(unknown.credentials())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("security-credentials/other answered HTTP 404"))
                .verify(WAIT);
    }

    @Test
    void assumeRole_signsWithTheSourceCredentials_andSurfacesStsErrorsWithCodeAndRequestId() {
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().source(SOURCE)
                .roleArn("qcs::cam::uin/100000000001:roleName/trtc").roleSessionName("bot-1").region("ap-singapore")
                .duration(Duration.ofHours(1)).endpoint(base).clock(clock).build();

        StepVerifier.create(provider.credentials().map(RoleCredentialsTest::idOf))
                .expectNext("AKIDtmp1/tmp-token-1").expectComplete().verify(WAIT);
        assertThat(seen).containsExactly("POST AssumeRole 2018-08-13 ap-singapore");
        assertThat(stsBodies).singleElement().satisfies(b -> assertThat(b.toString()).isEqualTo(
                "{\"RoleArn\":\"qcs::cam::uin/100000000001:roleName/trtc\",\"RoleSessionName\":\"bot-1\","
                        + "\"DurationSeconds\":3600}"));

        StsAssumeRoleCredentialsProvider wrongKey = StsAssumeRoleCredentialsProvider.builder()
                .source(Credentials.of("AKIDsource", "not-the-key")).roleArn("qcs::cam::uin/1:roleName/trtc")
                .roleSessionName("bot-1").endpoint(base).clock(clock).build();
        StepVerifier.create(wrongKey.credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage("STS AssumeRole refused: AuthFailure.SignatureFailure (refused by the test server),"
                                + " request id req-2"))
                .verify(WAIT);

        assertThatThrownBy(() -> StsAssumeRoleCredentialsProvider.builder().source(SOURCE).roleArn("r")
                .roleSessionName("a b").build()).hasMessageContaining("roleSessionName must be 2 to 128");
        assertThatThrownBy(() -> StsAssumeRoleCredentialsProvider.builder().duration(Duration.ofHours(13)))
                .hasMessageContaining("duration must be from 900 to 43200 seconds, was 46800");
    }

    @Test
    void webIdentity_sendsSkip_andTheTokenFileAsItIsAtEachFetch(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("oidc-token");
        Files.writeString(token, "eyJ-first\n");
        Map<String, String> env = Map.of("TKE_REGION", "ap-shanghai", "TKE_PROVIDER_ID", "tke-oidc",
                "TKE_WEB_IDENTITY_TOKEN_FILE", token.toString(), "TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pods");
        WebIdentityCredentialsProvider provider = WebIdentityCredentialsProvider.fromTkeEnvironment(env::get)
                .endpoint(base).clock(clock).build();

        StepVerifier.create(provider.credentials().map(RoleCredentialsTest::idOf))
                .expectNext("AKIDtmp1/tmp-token-1").expectComplete().verify(WAIT);
        Files.writeString(token, "eyJ-rotated");
        clock.advance(Duration.ofMinutes(61));
        StepVerifier.create(provider.credentials().map(RoleCredentialsTest::idOf))
                .expectNext("AKIDtmp2/tmp-token-2").expectComplete().verify(WAIT);
        assertThat(seen).containsExactly("POST AssumeRoleWithWebIdentity 2018-08-13 ap-shanghai",
                "POST AssumeRoleWithWebIdentity 2018-08-13 ap-shanghai");
        assertThat(stsBodies).extracting(b -> b.get("WebIdentityToken").asText()).containsExactly("eyJ-first", "eyJ-rotated");
        assertThat(stsBodies).allSatisfy(b -> {
            assertThat(b.get("ProviderId").asText()).isEqualTo("tke-oidc");
            assertThat(b.get("RoleArn").asText()).isEqualTo("qcs::cam::uin/1:roleName/pods");
        });

        Files.delete(token);
        clock.advance(Duration.ofMinutes(61));
        StepVerifier.create(provider.credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessageContaining("the web identity token file " + token + " cannot be read"))
                .verify(WAIT);
        assertThatThrownBy(() -> WebIdentityCredentialsProvider.fromTkeEnvironment(Map.of("TKE_REGION", "x")::get))
                .hasMessage("TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set");
    }

    @Test
    void aBuiltProvider_keepsItsSettings_whenItsBuilderChangesLater(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("oidc-token");
        Files.writeString(token, "eyJ-token");
        WebIdentityCredentialsProvider.Builder oidc = WebIdentityCredentialsProvider.builder().providerId("tke-oidc")
                .roleArn("qcs::cam::uin/1:roleName/pods").tokenFile(token).region("ap-shanghai").endpoint(base)
                .clock(clock);
        StsAssumeRoleCredentialsProvider.Builder assume = StsAssumeRoleCredentialsProvider.builder().source(SOURCE)
                .roleArn("qcs::cam::uin/1:roleName/trtc").roleSessionName("bot-1").region("ap-shanghai").endpoint(base)
                .clock(clock);
        WebIdentityCredentialsProvider first = oidc.build();
        StsAssumeRoleCredentialsProvider second = assume.build();
        oidc.providerId("other").roleArn("qcs::cam::uin/2:roleName/x").region("ap-tokyo").duration(Duration.ofHours(3));
        assume.source(Credentials.of("AKIDother", "other-key")).region("ap-tokyo");

        StepVerifier.create(first.credentials().then(second.credentials())).expectNextCount(1).expectComplete()
                .verify(WAIT);
        assertThat(seen).containsExactly("POST AssumeRoleWithWebIdentity 2018-08-13 ap-shanghai",
                "POST AssumeRole 2018-08-13 ap-shanghai");
        assertThat(stsBodies).first().satisfies(b -> assertThat(b.toString()).isEqualTo("{\"ProviderId\":\"tke-oidc\","
                + "\"WebIdentityToken\":\"eyJ-token\",\"RoleArn\":\"qcs::cam::uin/1:roleName/pods\","
                + "\"RoleSessionName\":\"trtc-reactive\",\"DurationSeconds\":7200}"));
    }

    @Test
    void aClientSignsItsCallsWithTheRoleCredentials_tokenIncluded() {
        Credentials temporary = Credentials.of("AKIDrole", "role-secret-key", "role-session-token");
        handedOut = temporary;
        try (TrtcEmulator emulator = TrtcEmulator.builder().credentials(temporary).start()) {
            TrtcAsyncClient client = TrtcAsyncClient.builder().endpoint(emulator.uri())
                    .credentialsProvider(CvmRoleCredentialsProvider.builder().endpoint(base).clock(clock).build())
                    .build();
            try {
                StepVerifier.create(client.describeRoomInfo(DescribeRoomInfoRequest.builder().sdkAppId(emulator.sdkAppId())
                                .startTime(emulator.clock().instant().getEpochSecond() - 60)
                                .endTime(emulator.clock().instant().getEpochSecond()).build()))
                        .expectNextCount(1).expectComplete().verify(WAIT);
                assertThat(emulator.requests("DescribeRoomInfo")).singleElement()
                        .satisfies(r -> assertThat(r.header("X-TC-Token")).isEqualTo("***"));
            } finally {
                client.close();
            }
        }
    }

    @Test
    void theDefaultChain_picksTheSourceItsEnvironmentNames_andListsEverySourceWhenNoneApplies(@TempDir Path dir)
            throws Exception {
        Map<String, String> keys = Map.of("TENCENTCLOUD_SECRET_ID", "AKIDenv", "TENCENTCLOUD_SECRET_KEY", "env-key");
        StepVerifier.create(DefaultCredentialsChain.create(keys::get, dir).credentials().map(Credentials::secretId))
                .expectNext("AKIDenv").expectComplete().verify(WAIT);

        java.util.HashMap<String, String> assume = new java.util.HashMap<>(keys);
        assume.put("TENCENTCLOUD_ROLE_ARN", "qcs::cam::uin/1:roleName/trtc");
        assertThat(DefaultCredentialsChain.create(assume::get, dir))
                .hasToString("StsAssumeRoleCredentialsProvider(qcs::cam::uin/1:roleName/trtc)");

        Map<String, String> tke = Map.of("TKE_REGION", "ap-shanghai", "TKE_PROVIDER_ID", "p",
                "TKE_WEB_IDENTITY_TOKEN_FILE", dir.resolve("t").toString(), "TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pods",
                "TENCENTCLOUD_PROFILE", "absent");
        assertThat(DefaultCredentialsChain.create(tke::get, dir))
                .hasToString("WebIdentityCredentialsProvider(qcs::cam::uin/1:roleName/pods)");

        Map<String, String> cvm = Map.of("TENCENTCLOUD_CVM_ROLE", "auto", "TENCENTCLOUD_PROFILE", "absent");
        assertThat(DefaultCredentialsChain.create(cvm::get, dir)).hasToString("CvmRoleCredentialsProvider(first listed role)");
        Files.writeString(dir.resolve("sys_vendor"), "Tencent Cloud\n");
        Files.writeString(dir.resolve("product_name"), "CVM\n");
        Map<String, String> none = Map.of("TENCENTCLOUD_PROFILE", "absent");
        assertThat(DefaultCredentialsChain.create(none::get, dir)).hasToString("CvmRoleCredentialsProvider(first listed role)");

        Files.writeString(dir.resolve("sys_vendor"), "QEMU\n");
        Files.writeString(dir.resolve("product_name"), "Standard PC\n");
        assertThatThrownBy(() -> DefaultCredentialsChain.create(none::get, dir))
                .isInstanceOf(CredentialsNotFoundException.class)
                .hasMessageStartingWith("No TRTC credentials found. Tried, in order: ")
                .hasMessageContaining("TENCENTCLOUD_SECRET_ID")
                .hasMessageContaining("[absent]")
                .hasMessageContaining("assuming a role (TENCENTCLOUD_ROLE_ARN) needs credentials of the two sources above")
                .hasMessageContaining("TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set")
                .hasMessageContaining("CVM role: TENCENTCLOUD_CVM_ROLE is not set and this is not a Tencent Cloud instance"
                        + " (DMI vendor QEMU / Standard PC)");
    }
}
