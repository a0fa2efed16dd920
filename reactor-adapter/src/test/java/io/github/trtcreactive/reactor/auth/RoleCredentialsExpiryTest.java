package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * What the role providers make of the expiry a service states, over real sockets: one in the past or
 * more than 36 hours ahead (milliseconds for seconds) is a malformed reply naming the field; a
 * source that keeps answering expired or nearly expired credentials is asked at most every 5 s,
 * concurrent callers sharing one fetch, and is logged at WARN once. Time is the injected clock's.
 */
class RoleCredentialsExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LOGGER = "WARN " + RefreshingCredentialsProvider.class.getName();

    private final EmulatorClock clock = EmulatorClock.fixed(Instant.parse("2026-11-21T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();
    /** The ExpiredTime the server states, relative to the clock: set by each test. */
    private final AtomicLong expiresIn = new AtomicLong(3600);
    private volatile Supplier<Long> expiredTime = () -> clock.instant().getEpochSecond() + expiresIn.get();
    private DisposableServer server;
    private URI base;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/latest/meta-data/cam/security-credentials/{role}", (req, res) ->
                                res.sendString(Mono.fromSupplier(() -> credentials().put("Code", "Success").toString())))
                        .post("/", (req, res) -> req.receive().then(Mono.defer(() -> {
                            ObjectNode reply = TrtcProtocol.mapper().createObjectNode();
                            ObjectNode c = credentials();
                            reply.putObject("Response").put("RequestId", "req-1").put("ExpiredTime",
                                    c.remove("ExpiredTime").asLong()).set("Credentials", c);
                            return res.sendString(Mono.just(reply.toString())).then();
                        }))))
                .bindNow();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private ObjectNode credentials() {
        int n = fetches.incrementAndGet();
        return TrtcProtocol.mapper().createObjectNode().put("TmpSecretId", "AKIDtmp" + n)
                .put("TmpSecretKey", "tmp-key-" + n).put("Token", "tmp-token-" + n).put("ExpiredTime", expiredTime.get());
    }

    private CvmRoleCredentialsProvider cvm() {
        return CvmRoleCredentialsProvider.builder().endpoint(base).roleName("trtc-role").clock(clock).build();
    }

    private StsAssumeRoleCredentialsProvider assumeRole() {
        return StsAssumeRoleCredentialsProvider.builder().source(Credentials.of("AKIDsource", "source-key"))
                .roleArn("qcs::cam::uin/1:roleName/trtc").roleSessionName("bot-1").endpoint(base).clock(clock).build();
    }

    @Test
    void anExpiryInMilliseconds_isAMalformedReplyNamingTheField() {
        expiredTime = () -> clock.instant().toEpochMilli() + 3_600_000; // the year 58,000 or so, read as seconds
        long stated = clock.instant().toEpochMilli() + 3_600_000;

        StepVerifier.create(cvm().credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage(base + "/latest/meta-data/cam/security-credentials/trtc-role answered a malformed"
                                + " reply: ExpiredTime " + stated + " is more than 36 hours from now ("
                                + clock.instant().getEpochSecond() + "); a Unix time in seconds is expected"))
                .verify(WAIT);
        StepVerifier.create(assumeRole().credentials())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageStartingWith("STS AssumeRole answered a malformed"
                        + " reply: ExpiredTime " + stated + " is more than 36 hours from now"))
                .verify(WAIT);
    }

    @Test
    void anExpiryJustWithin36Hours_isAccepted_andOneJustBeyondIsNot() {
        expiresIn.set(Duration.ofHours(36).toSeconds());
        StepVerifier.create(cvm().credentials().map(Credentials::secretId)).expectNext("AKIDtmp1").expectComplete()
                .verify(WAIT);
        expiresIn.set(Duration.ofHours(36).toSeconds() + 1);
        StepVerifier.create(assumeRole().credentials())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("ExpiredTime")
                        .hasMessageContaining("more than 36 hours from now"))
                .verify(WAIT);
    }

    @Test
    void aSourceAnsweringExpiredCredentials_isAskedAtMostEveryFiveSeconds_andWarnedAboutOnce() {
        expiresIn.set(-60);
        CvmRoleCredentialsProvider provider = cvm();
        String log = capturingStandardError(() -> {
            for (int round = 0; round < 3; round++) {
                StepVerifier.create(Flux.range(0, 100).flatMap(i -> provider.credentials()
                                .map(Credentials::secretId).onErrorResume(e -> Mono.just(e.getMessage()))).distinct()
                                .collectList())
                        .assertNext(outcomes -> assertThat(outcomes).singleElement().asString()
                                .contains("answered a malformed reply: ExpiredTime")
                                .contains("is not in the future").contains("the credentials have already expired"))
                        .expectComplete().verify(WAIT);
                assertThat(fetches).as("fetches after round %d", round).hasValue(round + 1);
                clock.advance(Duration.ofMillis(4999));
                StepVerifier.create(provider.credentials()).expectError(RoleCredentialsException.class).verify(WAIT);
                assertThat(fetches).as("none before 5 s").hasValue(round + 1);
                clock.advance(Duration.ofMillis(1));
            }
        });
        assertThat(log.lines().filter(line -> line.contains(LOGGER))).singleElement().asString()
                .contains("CvmRoleCredentialsProvider(role trtc-role)").contains("is asked again at most every 5 s")
                .doesNotContain("tmp-key", "tmp-token");
    }

    @Test
    void aSourceAnsweringCredentialsAboutToExpire_servesThem_andIsAskedAtMostEveryFiveSeconds() {
        expiresIn.set(120); // inside the five-minute renewal margin
        StsAssumeRoleCredentialsProvider provider = assumeRole();
        String log = capturingStandardError(() -> {
            StepVerifier.create(Flux.range(0, 100).flatMap(i -> provider.credentials()).map(Credentials::secretId)
                            .distinct().collectList())
                    .expectNext(List.of("AKIDtmp1")).expectComplete().verify(WAIT);
            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofMillis(400));
                StepVerifier.create(provider.credentials().map(Credentials::secretId)).expectNext("AKIDtmp1")
                        .expectComplete().verify(WAIT);
            }
            assertThat(fetches).as("no background renewal within 5 s").hasValue(1);
            clock.advance(Duration.ofMillis(1000));
            StepVerifier.create(Flux.interval(Duration.ofMillis(20)).concatMap(i -> provider.credentials())
                            .map(Credentials::secretId).filter("AKIDtmp2"::equals).next())
                    .expectNext("AKIDtmp2").expectComplete().verify(WAIT);
            assertThat(fetches).hasValue(2);

            expiresIn.set(3600); // healthy again: the next renewal is an hour away
            clock.advance(Duration.ofSeconds(5));
            StepVerifier.create(Flux.interval(Duration.ofMillis(20)).concatMap(i -> provider.credentials())
                            .map(Credentials::secretId).filter("AKIDtmp3"::equals).next())
                    .expectNext("AKIDtmp3").expectComplete().verify(WAIT);
            clock.advance(Duration.ofMinutes(30));
            StepVerifier.create(Flux.range(0, 50).flatMap(i -> provider.credentials()).map(Credentials::secretId)
                            .distinct().collectList())
                    .expectNext(List.of("AKIDtmp3")).expectComplete().verify(WAIT);
        });
        assertThat(fetches).hasValue(3);
        assertThat(log.lines().filter(line -> line.contains(LOGGER))).singleElement().asString()
                .contains("StsAssumeRoleCredentialsProvider(qcs::cam::uin/1:roleName/trtc) answered temporary"
                        + " credentials that expire at 2026-11-21T00:02:00Z, within the renewal margin of 300 s");
        assertThat(log).contains("answers usable temporary credentials again");
    }

    /** Runs the steps and returns what was logged meanwhile. */
    private static String capturingStandardError(Runnable steps) {
        return StandardError.during(steps);
    }
}
