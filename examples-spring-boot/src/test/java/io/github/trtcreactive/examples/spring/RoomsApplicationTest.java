package io.github.trtcreactive.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The example application over HTTP, against the embedded emulator the starter starts: the rooms as
 * JSON, a recording's status as server-sent events until it ends, the callbacks route, the health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoomsApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Value("${local.server.port}")
    int port;

    @Autowired
    TrtcEmulator emulator;

    @Autowired
    TrtcCallbacks callbacks;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();
    }

    @Test
    void theRooms_areTheServicesAnswer_asJson() {
        emulator.rooms().join(4242L, "alice");
        http().get().uri("/api/rooms").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.RequestId").isNotEmpty()
                .jsonPath("$.RoomList[?(@.RoomString == '4242')]").exists();
        assertThat(emulator.requests("DescribeRoomInfo")).isNotEmpty();
    }

    @Test
    void aRecordingsStatus_streamsAsServerSentEvents_untilItEnds() {
        emulator.rooms().join(777L, "anchor");
        Map<String, String> started = http().post().uri("/api/recordings?roomId=777").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() { }).returnResult().getResponseBody();
        String taskId = started.get("taskId");
        assertThat(taskId).isNotBlank();

        Flux<ServerSentEvent<Map<String, String>>> events = http().get().uri("/api/recordings/" + taskId + "/status")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, String>>>() { })
                .getResponseBody();
        StepVerifier.create(events)
                .assertNext(first -> {
                    assertThat(first.event()).isEqualTo("status");
                    assertThat(first.data()).containsEntry("taskId", taskId);
                })
                // the first status seen: stop the recording (off the event loop); the stream ends with the last status
                .then(() -> Schedulers.boundedElastic().schedule(() ->
                        http().delete().uri("/api/recordings/" + taskId).exchange().expectStatus().isOk()))
                .thenConsumeWhile(e -> "status".equals(e.event()))
                .assertNext(last -> {
                    assertThat(last.event()).isEqualTo("end");
                    assertThat(last.data()).containsEntry("phase", "FINISHED");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void signedCallbacks_reachTheTrtcCallbacksBean() {
        String body = "{\"EventGroupId\":1,\"EventType\":104,\"CallbackTs\":" + System.currentTimeMillis() + ",\"EventInfo\":"
                + "{\"RoomId\":\"777\",\"EventMsTs\":1700000000000,\"UserId\":\"anchor\"}}";
        StepVerifier.create(callbacks.events().next())
                .then(() -> http().post().uri("/trtc/callbacks").contentType(MediaType.APPLICATION_JSON)
                        .header("Sign", CallbackSignature.sign("examplecallbackkey1",
                                body.getBytes(StandardCharsets.UTF_8)))
                        .header("SdkAppId", "1400000001").bodyValue(body).exchange().expectStatus().isOk())
                .assertNext(event -> assertThat(List.of(event.roomId(), event.userId())).containsExactly("777", "anchor"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theHealthEndpoint_reportsTheTrtcContributor() {
        http().get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.trtc.status").isEqualTo("UP")
                .jsonPath("$.components.trtc.details.credentials").isEqualTo("resolvable");
    }
}
