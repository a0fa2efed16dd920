package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.auth.Credentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The STS providers apply the client's rule to their endpoint: HTTPS to any host, plain HTTP only to
 * loopback, anything else only through the loudly named {@code plainHttpEndpoint(URI)}; refused at
 * {@code build()}, before an OIDC token or a signed request could leave the process.
 */
class RoleEndpointRuleTest {

    private static final Credentials SOURCE = Credentials.of("AKIDsource", "source-secret-key");
    private static final URI PLAIN = URI.create("http://sts.example.com:8080");

    private static StsAssumeRoleCredentialsProvider.Builder assumeRole() {
        return StsAssumeRoleCredentialsProvider.builder().source(SOURCE).roleArn("qcs::cam::uin/1:roleName/trtc")
                .roleSessionName("bot-1");
    }

    private static WebIdentityCredentialsProvider.Builder webIdentity() {
        return WebIdentityCredentialsProvider.builder().roleArn("qcs::cam::uin/1:roleName/pods").providerId("tke-oidc")
                .tokenFile(Path.of("/var/run/secrets/tke/token"));
    }

    @Test
    void build_whenTheStsEndpointIsPlainHttpToAnotherHost_refusesNamingTheMethodAndTheRule() {
        assertThatThrownBy(() -> assumeRole().endpoint(PLAIN).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StsAssumeRoleCredentialsProvider.Builder.endpoint(URI): http://sts.example.com:8080 uses"
                        + " plain http to a non-loopback host, which would send the signed AssumeRole request and the"
                        + " temporary keys unencrypted; use https, or say so explicitly with plainHttpEndpoint(uri)");
        assertThatThrownBy(() -> webIdentity().endpoint(PLAIN).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WebIdentityCredentialsProvider.Builder.endpoint(URI): http://sts.example.com:8080 uses"
                        + " plain http to a non-loopback host, which would send the OIDC token and the temporary keys"
                        + " unencrypted; use https, or say so explicitly with plainHttpEndpoint(uri)");
        for (String spoof : new String[] {"http://127.0.0.1.example.com", "http://2130706433", "http://localhost.evil",
                "http://[::ffff:8.8.8.8]", "http://10.0.0.1"}) {
            assertThatThrownBy(() -> webIdentity().endpoint(URI.create(spoof)).build()).as(spoof)
                    .hasMessageContaining("uses plain http to a non-loopback host");
        }
        assertThatThrownBy(() -> assumeRole().endpoint(URI.create("ftp://sts.example.com")).build())
                .hasMessage("StsAssumeRoleCredentialsProvider.Builder.endpoint(URI): ftp://sts.example.com must be"
                        + " https://host[:port] (or http:// to a loopback address)");
    }

    @Test
    void build_whenTheStsEndpointIsHttpsOrLoopback_accepts() {
        for (String ok : new String[] {"https://sts.tencentcloudapi.com", "https://sts.example.com:8443",
                "http://127.0.0.1:1", "http://localhost:8080", "http://[::1]:8080", "HTTP://127.0.0.2"}) {
            assertThatCode(() -> assumeRole().endpoint(URI.create(ok)).build()).as(ok).doesNotThrowAnyException();
            assertThatCode(() -> webIdentity().endpoint(URI.create(ok)).build()).as(ok).doesNotThrowAnyException();
        }
        assertThatCode(() -> assumeRole().build()).doesNotThrowAnyException();
    }

    @Test
    void plainHttpEndpoint_allowsAnyHost_untilEndpointTakesThePermissionBack() {
        assertThatCode(() -> assumeRole().plainHttpEndpoint(PLAIN).build()).doesNotThrowAnyException();
        assertThatCode(() -> webIdentity().plainHttpEndpoint(PLAIN).build()).doesNotThrowAnyException();
        assertThatThrownBy(() -> webIdentity().plainHttpEndpoint(PLAIN).endpoint(PLAIN).build())
                .hasMessageContaining("uses plain http to a non-loopback host");
    }

    @Test
    void plainHttpEndpoint_reachesTheServerItNames() {
        AtomicInteger requests = new AtomicInteger();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    requests.incrementAndGet();
                    return res.status(500).sendString(Mono.just("{}"));
                }).bindNow();
        try {
            StsAssumeRoleCredentialsProvider provider = assumeRole()
                    .plainHttpEndpoint(URI.create("http://127.0.0.1:" + server.port())).build();
            StepVerifier.create(provider.credentials())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                            .hasMessageContaining("without a Response object"))
                    .verify(Duration.ofSeconds(30));
            assertThat(requests).hasValue(1);
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void cvmRole_keepsTheMetadataServicesDocumentedPlainHttpHost() {
        assertThat(CvmRoleCredentialsProvider.DEFAULT_ENDPOINT).hasToString("http://metadata.tencentyun.com");
        assertThatCode(CvmRoleCredentialsProvider::create).doesNotThrowAnyException();
    }
}
