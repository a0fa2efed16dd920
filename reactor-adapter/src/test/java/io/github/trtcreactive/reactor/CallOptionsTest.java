package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Per-call settings, from a client view and from the caller's Reactor Context, on the emulator. */
class CallOptionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;
    private ObjectNode dismiss;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        // One DismissRoom a minute, so a second call must wait for its permit.
        TrtcRateLimiter slow = TrtcRateLimiter.builder()
                .limit("DismissRoom", new RateLimit(1, Duration.ofMinutes(1), RateLimit.Basis.DOCUMENTED)).build();
        client = TrtcAsyncClient.builder().credentials(emulator.credentials()).endpoint(emulator.uri())
                .region("ap-singapore").rateLimiter(slow).retryPolicy(RetryPolicy.none()).build();
        dismiss = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("RoomId", 1);
        client.call("DismissRoom", dismiss).onErrorResume(e -> reactor.core.publisher.Mono.empty()).block(WAIT);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void anInteractiveCall_refusesAPermitWaitBeyondThirtySeconds_aBackgroundViewWaits() {
        StepVerifier.create(client.call("DismissRoom", dismiss))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcRateLimitException.class)
                        .hasMessageContaining("30000 ms for interactive calls"))
                .verify(WAIT);
        StepVerifier.create(client.withPriority(CallPriority.BACKGROUND).call("DismissRoom", dismiss))
                .expectSubscription().expectNoEvent(Duration.ofMillis(300)).thenCancel().verify(WAIT);
    }

    @Test
    void theContextsOptions_winOverTheViews() {
        TrtcAsyncClient background = client.withPriority(CallPriority.BACKGROUND);
        StepVerifier.create(background.call("DismissRoom", dismiss)
                        .contextWrite(TrtcCallOptions.none().withMaxPermitWait(Duration.ofSeconds(2)).asContext()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcRateLimitException.class)
                        .hasMessageContaining("2000 ms for background calls"))
                .verify(WAIT);
        StepVerifier.create(background.call("DismissRoom", dismiss)
                        .contextWrite(TrtcCallOptions.none().withPriority(CallPriority.INTERACTIVE).asContext()))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("for interactive calls"))
                .verify(WAIT);
    }

    @Test
    void aViewsDeadline_andTheContextsCredentials_applyToTheirCalls() {
        emulator.faults().next("DescribeRoomInfo", Fault.delay(Duration.ofSeconds(2)), 1);
        long now = java.time.Instant.now().getEpochSecond();
        ObjectNode rooms = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
        StepVerifier.create(client.withOptions(TrtcCallOptions.none().withDeadline(Duration.ofMillis(300)))
                        .call("DescribeRoomInfo", rooms))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcDeadlineExceededException.class)
                        .hasMessageContaining("300 ms"))
                .verify(WAIT);

        StepVerifier.create(client.call("DescribeRoomInfo", rooms).contextWrite(TrtcCallOptions.none()
                        .withCredentials(Credentials.of("AKIDanotherAccount0000000000000000000", "another-key"))
                        .asContext()))
                // The emulator knows only its own SecretId: the call was signed with the other one.
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcServiceException.class)
                        .satisfies(s -> assertThat(((TrtcServiceException) s).errorCode()).startsWith("AuthFailure")))
                .verify(WAIT);
    }

    @Test
    void optionsNeverShowTheirCredentials() {
        assertThat(TrtcCallOptions.none().withCredentials(Credentials.of("AKIDx", "very-secret-key")).toString())
                .doesNotContain("very-secret-key").doesNotContain("AKIDx");
    }

    @Test
    void aLaterView_winsOverTheViewItIsMadeFrom() {
        emulator.faults().next("DescribeRoomInfo", Fault.internalError(), 1);
        long now = java.time.Instant.now().getEpochSecond();
        ObjectNode rooms = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
        RetryPolicy fast = RetryPolicy.defaults().backoff(Duration.ofMillis(10), Duration.ofMillis(50), 0);

        StepVerifier.create(client.withOptions(TrtcCallOptions.none().withRetryPolicy(RetryPolicy.none()))
                        .withRetryPolicy(fast).call("DescribeRoomInfo", rooms))
                .expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(emulator.requests("DescribeRoomInfo")).as("the internal error, then the retry").hasSize(2);
    }
}
