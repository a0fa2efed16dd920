package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TextToSpeechSSERequest;
import io.github.trtcreactive.core.model.Voice;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
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
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri()).build();
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

    @Test
    void eventStreams_askForNoCompression() {
        StepVerifier.create(client.textToSpeechSSE(request("ab", "v-female")).count())
                .expectNext(2L).expectComplete().verify(WAIT);

        assertThat(emulator.requests("TextToSpeechSSE")).singleElement()
                .satisfies(r -> assertThat(r.header("accept-encoding")).isEqualTo("identity"));
    }

    @Test
    void theDeadline_coversTheWaitForTheFirstEvent_notTheWholeStream() {
        try (TrtcAsyncClient bounded = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).callTimeout(Duration.ofMillis(700)).build()) {
            StepVerifier.create(bounded.textToSpeechSSE(request("abcde", "v-female")).count())
                    .as("five events 300 ms apart outlast the deadline, and still all arrive")
                    .expectNext(5L).expectComplete().verify(WAIT);
            emulator.faults().next("TextToSpeechSSE", io.github.trtcreactive.emulator.Fault.delay(Duration.ofSeconds(3)), 1);
            StepVerifier.create(bounded.textToSpeechSSE(request("abc", "v-female")))
                    .expectError(io.github.trtcreactive.core.error.TrtcDeadlineExceededException.class)
                    .verify(WAIT);
        }
    }

    @Test
    void aReplyThatIsNotAStream_andAnEventOverTheLimit_areBoundedByTheResponseSize() {
        emulator.faults().next("TextToSpeechSSE", io.github.trtcreactive.emulator.Fault.serviceError("InternalError",
                "x".repeat(5000)), 1);
        try (TrtcAsyncClient small = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).maxResponseSize(1000).retryPolicy(RetryPolicy.none()).build()) {
            StepVerifier.create(small.textToSpeechSSE(request("abc", "v-female")))
                    .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(
                            io.github.trtcreactive.core.error.TrtcClientException.class)
                            .hasMessageContaining("exceeds the response size limit of 1000 bytes"))
                    .verify(WAIT);
        }
        try (TrtcAsyncClient tiny = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).maxResponseSize(40).build()) {
            StepVerifier.create(tiny.textToSpeechSSE(request("abc", "v-female")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(
                            io.github.trtcreactive.core.error.TrtcClientException.class)
                            .hasMessageContaining("a server-sent event exceeds 40 bytes"))
                    .verify(WAIT);
        }
    }

    @Test
    void unsentAttempts_areRetried_andEachIsReportedToTheCallListener() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        java.util.List<Throwable> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TrtcAsyncClient refused = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(java.net.URI.create("http://127.0.0.1:" + closedPort))
                .retryPolicy(RetryPolicy.defaults().backoff(Duration.ofMillis(10), Duration.ofMillis(20), 0))
                .callListener((action, latency, error) -> attempts.add(error)).build()) {
            StepVerifier.create(refused.textToSpeechSSE(request("abc", "v-female")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(
                            io.github.trtcreactive.core.error.TrtcClientException.class,
                            c -> assertThat(c.requestSent()).isFalse()))
                    .verify(WAIT);
        }
        assertThat(attempts).hasSize(3).allSatisfy(e -> assertThat(e).isNotNull());
        java.util.List<Throwable> ok = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TrtcAsyncClient listened = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).callListener((action, latency, error) -> ok.add(error)).build()) {
            StepVerifier.create(listened.textToSpeechSSE(request("a", "v-female")).count())
                    .expectNext(1L).expectComplete().verify(WAIT);
        }
        assertThat(ok).as("one attempt, reported once, as a success").containsExactly((Throwable) null);
    }

    @Test
    void aSkewedClock_isCorrectedForStreamsToo() {
        try (TrtcAsyncClient skewed = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri())
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-10))).build()) {
            StepVerifier.create(skewed.textToSpeechSSE(request("ab", "v-female")).count())
                    .expectNext(2L).expectComplete().verify(WAIT);
        }
        assertThat(emulator.requests("TextToSpeechSSE")).extracting(r -> r.errorCode())
                .containsExactly("AuthFailure.SignatureExpire", null);
    }

    @Test
    void thePermit_isReleasedWhenTheHeadersArrive_notWhenTheStreamEnds() throws Exception {
        TrtcRateLimiter oneASecond = TrtcRateLimiter.builder().limit("TextToSpeechSSE",
                new io.github.trtcreactive.core.catalog.RateLimit(1, Duration.ofSeconds(1),
                        io.github.trtcreactive.core.catalog.RateLimit.Basis.DOCUMENTED)).build();
        try (TrtcAsyncClient limited = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).rateLimiter(oneASecond).build()) {
            java.util.concurrent.CompletableFuture<Void> first = limited.textToSpeechSSE(request("abcdefghijkl", "v-female"))
                    .then().toFuture(); // 10 events, 300 ms apart: about 2.7 s
            java.util.concurrent.CompletableFuture<?> second = limited.textToSpeechSSE(request("a", "v-female"))
                    .next().toFuture();

            second.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(first).as("the second stream began while the first still streamed").isNotDone();
            first.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aStreamThatFallsSilentForLongerThanTheResponseTimeout_fails() {
        try (TrtcAsyncClient impatient = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).responseTimeout(Duration.ofMillis(150)).build()) {
            StepVerifier.create(impatient.textToSpeechSSE(request("abc", "v-female")))
                    .expectNextCount(1)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(
                            io.github.trtcreactive.core.error.TrtcResponseTimeoutException.class))
                    .verify(WAIT);
        }
    }
}
