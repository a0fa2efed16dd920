package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TextToSpeechSSERequest;
import io.github.trtcreactive.core.model.Voice;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The streaming action: events arrive one by one, as the emulator sends them. */
class TextToSpeechStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().speechChunkInterval(Duration.ofMillis(300)).start();
        client = TrtcAsyncClient.builder().credentials(emulator.credentials()).endpoint(emulator.uri()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private TextToSpeechSSERequest request(String text, String voice) {
        return TextToSpeechSSERequest.builder().sdkAppId(emulator.sdkAppId()).text(text)
                .voice(Voice.builder().voiceId(voice).build()).build();
    }

    @Test
    void theFirstEventArrives_beforeTheLastIsSent() {
        AtomicLong sentWhenFirstArrived = new AtomicLong(-1);

        StepVerifier.create(client.textToSpeechSSE(request("abc", "v-female")))
                .assertNext(e -> {
                    sentWhenFirstArrived.set(emulator.speechEventsSent());
                    assertThat(e.seq()).isZero();
                    assertThat(new String(e.audioBytes(), StandardCharsets.UTF_8)).isEqualTo("a");
                })
                .assertNext(e -> assertThat(e.seq()).isEqualTo(1))
                .assertNext(e -> {
                    assertThat(e.isEnd()).isTrue();
                    assertThat(e.requestId()).isEqualTo(emulator.requests("TextToSpeechSSE").get(0).requestId());
                })
                .expectComplete()
                .verify(WAIT);

        assertThat(sentWhenFirstArrived.get()).as("events the emulator had sent when the first arrived")
                .isBetween(1L, 2L);
    }

    @Test
    void anUnknownVoice_isAServiceError_andABadRequestIsNotSent() {
        StepVerifier.create(client.textToSpeechSSE(request("hello", "fake")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                        s -> assertThat(s.errorCode()).isEqualTo("InvalidParameter.VoiceId")))
                .verify(WAIT);
        StepVerifier.create(client.textToSpeechSSE(TextToSpeechSSERequest.builder().text("x").build()))
                .expectError(TrtcValidationException.class)
                .verify(WAIT);
        assertThat(emulator.requests("TextToSpeechSSE")).hasSize(1);
    }

    @Test
    void cancelling_closesTheConnection_andTheStreamStopsEarly() {
        long closedBefore = emulator.connectionsClosed();

        StepVerifier.create(client.textToSpeechSSE(request("abcdefghij", "v-female")))
                .expectNextCount(1)
                .thenCancel()
                .verify(WAIT);
        StepVerifier.create(reactor.core.publisher.Flux.interval(Duration.ofMillis(10))
                        .filter(i -> emulator.connectionsClosed() > closedBefore)
                        .next())
                .expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(emulator.speechEventsSent()).as("of ten events, 300 ms apart").isLessThan(10);
    }
}
