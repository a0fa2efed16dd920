package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * Text a metadata service or STS chose (an error's code, message and request id, a role name) reaches
 * exception messages and logs without its control characters (ESC sequences, line breaks, line and
 * paragraph separators, bidi overrides) and cut to 256 characters. Real sockets, a local server.
 */
class RoleServiceTextTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A terminal colour, a forged log line, a separator and a bidi override. */
    private static final String HOSTILE = "denied\u001b[31m\r\n2026-11-21 INFO all good\u2028\u202Eevil";
    private static final String SAFE = "denied\uFFFD[31m  2026-11-21 INFO all good \uFFFDevil";
    private static final String FORBIDDEN = "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e]";

    private final AtomicReference<String> reply = new AtomicReference<>();
    private DisposableServer server;
    private URI base;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/latest/meta-data/cam/security-credentials/", (req, res) ->
                                res.sendString(Mono.fromSupplier(reply::get), StandardCharsets.UTF_8))
                        .get("/latest/meta-data/cam/security-credentials/{role}", (req, res) ->
                                res.sendString(Mono.fromSupplier(reply::get), StandardCharsets.UTF_8))
                        .post("/", (req, res) -> req.receive().then(Mono.defer(() ->
                                res.sendString(Mono.just(reply.get()), StandardCharsets.UTF_8).then()))))
                .bindNow();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    /** A JSON string literal of the text, its control characters escaped as JSON requires. */
    private static String json(String text) {
        StringBuilder b = new StringBuilder("\"");
        text.chars().forEach(c -> b.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return b.append('"').toString();
    }

    private String failureAndLog(Mono<Credentials> fetch) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        AtomicReference<String> message = new AtomicReference<>();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            StepVerifier.create(fetch)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(RoleCredentialsException.class);
                        message.set(e.getMessage());
                    })
                    .verify(WAIT);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(message.get()).doesNotContainPattern(FORBIDDEN);
        assertThat(log).as("the WARN naming the failure").contains(message.get());
        assertThat(log.lines().filter(line -> line.contains("evil"))).as("one log line, not a forged second one")
                .hasSize(1).allSatisfy(line -> assertThat(line).doesNotContainPattern(FORBIDDEN));
        return message.get();
    }

    @Test
    void stsError_whoseMessageHasControlCharacters_reachesTheExceptionAndTheLogSanitized() {
        reply.set("{\"Response\":{\"Error\":{\"Code\":" + json("InternalError\u001b[0m") + ",\"Message\":"
                + json(HOSTILE) + "},\"RequestId\":" + json("req\n-1") + "}}");
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .source(Credentials.of("AKIDsource", "source-key")).roleArn("qcs::cam::uin/1:roleName/trtc")
                .roleSessionName("bot-1").endpoint(base).build();

        assertThat(failureAndLog(provider.credentials()))
                .isEqualTo("STS AssumeRole refused: InternalError\uFFFD[0m (" + SAFE + "), request id req -1");
    }

    @Test
    void stsError_whoseMessageIsHuge_isCutTo256Characters() {
        reply.set("{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":" + json(HOSTILE + "x".repeat(20_000))
                + "},\"RequestId\":\"req-1\"}}");
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .source(Credentials.of("AKIDsource", "source-key")).roleArn("qcs::cam::uin/1:roleName/trtc")
                .roleSessionName("bot-1").endpoint(base).build();

        assertThat(failureAndLog(provider.credentials())).matches(
                "STS AssumeRole refused: InternalError \\(" + SAFE.replace("[", "\\[") + "x{" + (255 - SAFE.length())
                        + "}…\\), request id req-1");
    }

    @Test
    void metadataError_whoseCodeAndMessageHaveControlCharacters_reachesTheExceptionAndTheLogSanitized() {
        reply.set("{\"Code\":" + json("Failed\u001b[2J") + ",\"Message\":" + json(HOSTILE) + "}");
        CvmRoleCredentialsProvider provider = CvmRoleCredentialsProvider.builder().endpoint(base).roleName("trtc-role")
                .build();

        assertThat(failureAndLog(provider.credentials())).isEqualTo(base + "/latest/meta-data/cam/security-credentials/"
                + "trtc-role answered Code Failed\uFFFD[2J (" + SAFE + ")");
    }

    @Test
    void metadataListing_whoseRoleNameIsNotARoleName_isRefusedSanitized() {
        reply.set("trtc\u001b[31m-role/../evil\u202E\n");
        CvmRoleCredentialsProvider provider = CvmRoleCredentialsProvider.builder().endpoint(base).build();

        assertThat(failureAndLog(provider.credentials())).isEqualTo(base + "/latest/meta-data/cam/security-credentials/"
                + " lists \"trtc\uFFFD[31m-role/../evil\uFFFD\", which is not a CAM role name (1 to 128 letters,"
                + " digits or +=,.@_-)");
    }
}
