package io.github.trtcreactive.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TrtcEndpointTest {

    @Test
    void builtIns_areHttpsWithoutPortInHost() {
        assertThat(TrtcEndpoint.DEFAULT.uri()).hasToString("https://trtc.tencentcloudapi.com");
        assertThat(TrtcEndpoint.INTERNATIONAL.hostHeader()).isEqualTo("trtc.intl.tencentcloudapi.com");
        assertThat(TrtcEndpoint.regional("ap-singapore").uri())
                .hasToString("https://trtc.ap-singapore.tencentcloudapi.com");
        assertThat(TrtcEndpoint.REGIONAL_DOMAINS).hasSize(14);
    }

    @Test
    void regional_unknownRegion_isRejectedNamingIt() {
        assertThatThrownBy(() -> TrtcEndpoint.regional("ap-jakarta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ap-jakarta");
    }

    @Test
    void of_loopbackHttp_isAccepted_andHostKeepsThePort() {
        TrtcEndpoint e = TrtcEndpoint.of(URI.create("http://127.0.0.1:9000"));

        assertThat(e.isSecure()).isFalse();
        assertThat(e.hostHeader()).isEqualTo("127.0.0.1:9000");
        assertThat(TrtcEndpoint.of(URI.create("http://localhost:80/")).hostHeader()).isEqualTo("localhost");
        assertThat(TrtcEndpoint.of(URI.create("http://[::1]:8080")).hostHeader()).isEqualTo("[::1]:8080");
        assertThat(TrtcEndpoint.of(URI.create("https://proxy.example:8443")).hostHeader())
                .isEqualTo("proxy.example:8443");
    }

    @Test
    void of_plainHttpElsewhere_needsTheExplicitFactory() {
        URI remote = URI.create("http://trtc.example.com");

        assertThatThrownBy(() -> TrtcEndpoint.of(remote)).hasMessageContaining("plainHttp");
        assertThat(TrtcEndpoint.plainHttp(remote).uri()).isEqualTo(remote);
    }

    @Test
    void of_pathQueryOrOtherScheme_isRejected() {
        assertThatThrownBy(() -> TrtcEndpoint.of(URI.create("https://h/api"))).hasMessageContaining("path /");
        assertThatThrownBy(() -> TrtcEndpoint.of(URI.create("ftp://h"))).hasMessageContaining("https://");
    }

    @Test
    void of_loopbackLookalikesAndBadPorts_areRejected() {
        for (String uri : new String[] {"http://2130706433:9000", "http://0x7f.0.0.1:9000", "http://127.000.0.1:9000",
                "http://127.0.0.256:9000", "http://127.0.0.1.nip.io:9000"}) {
            assertThatThrownBy(() -> TrtcEndpoint.of(URI.create(uri))).as(uri)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(uri);
        }
        for (String uri : new String[] {"http://127.0.0.1:99999", "http://127.0.0.1:0", "http://127.0.0.1:",
                "https://trtc.example.com:70000"}) {
            assertThatThrownBy(() -> TrtcEndpoint.of(URI.create(uri))).as(uri)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid port");
        }
        assertThat(TrtcEndpoint.of(URI.create("http://127.0.0.1:9")).hostHeader()).isEqualTo("127.0.0.1:9");
        assertThat(TrtcEndpoint.of(URI.create("http://127.10.0.1:9000")).isSecure()).isFalse();
    }
}
