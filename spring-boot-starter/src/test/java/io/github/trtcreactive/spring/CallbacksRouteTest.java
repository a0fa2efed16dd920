package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * The callbacks route in a running WebFlux application: a signed callback posted to
 * {@code trtc.callbacks.path} is answered as TRTC expects and becomes an event of the
 * {@link TrtcCallbacks} bean; a forged one is refused and emits nothing; the actuator's health
 * endpoint shows the {@code trtc} contributor.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trtc.emulator.enabled=true", "trtc.callbacks.key=123654", "trtc.callbacks.path=/hooks/trtc",
        "management.endpoints.web.exposure.include=health", "management.endpoint.health.show-details=always"})
class CallbacksRouteTest {

    private static final String KEY = "123654";

    @SpringBootApplication
    static class App {
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    TrtcCallbacks callbacks;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aSignedCallback_isAcknowledged_andBecomesAnEvent_aForgedOneIsRefused() {
        String body = "{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + System.currentTimeMillis() + ",\"EventInfo\":"
                + "{\"RoomId\":\"room-1\",\"EventMsTs\":1700000000000,\"UserId\":\"alice\"}}";
        StepVerifier.create(callbacks.events().next())
                .then(() -> http().post().uri("/hooks/trtc").contentType(MediaType.APPLICATION_JSON)
                        .header("Sign", CallbackSignature.sign(KEY, body.getBytes(StandardCharsets.UTF_8)))
                        .header("SdkAppId", "1400000001").bodyValue(body).exchange()
                        .expectStatus().isOk())
                .assertNext(event -> assertThat(event.userId()).isEqualTo("alice"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        http().post().uri("/hooks/trtc").contentType(MediaType.APPLICATION_JSON).header("Sign", "forged")
                .bodyValue(body).exchange().expectStatus().isUnauthorized();
        assertThat(callbacks.acceptedCount()).isEqualTo(1);
        assertThat(callbacks.rejectedCount()).isEqualTo(1);
    }

    @Test
    void theActuatorsHealth_showsTheTrtcContributor() {
        http().get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.trtc.status").isEqualTo("UP")
                .jsonPath("$.components.trtc.details.callbacks").value(v -> assertThat(v.toString()).startsWith("accepted"));
    }
}
