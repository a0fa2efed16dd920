package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcConnectTimeoutException;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.error.TrtcResponseTimeoutException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Retries only what is safe, corrects a skewed clock once, and bounds every call. */
class RetryAndDeadlineTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final RetryPolicy FAST = RetryPolicy.defaults().backoff(Duration.ofMillis(10), Duration.ofMillis(50), 0);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;
    private ObjectNode ingest;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        client = builder().build();
        emulator.rooms().join(1001, "a");
        ingest = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("TaskId", "t");
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private TrtcAsyncClientBuilder builder() {
        return TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri())
                .rateLimiter(TrtcRateLimiter.disabled()).retryPolicy(FAST).responseTimeout(Duration.ofSeconds(2));
    }

    private ObjectNode dismiss() {
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("RoomId", 1001);
    }

    @Test
    void aReadAction_isRetriedAfterTransientFailures_andSucceeds() {
        emulator.faults().next("DescribeStreamIngest", Fault.internalError(), 1)
                .next("DescribeStreamIngest", Fault.httpStatus(503), 1);

        StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                .assertNext(r -> assertThat(r.get("Status").asText()).isEqualTo("NotExist"))
                .expectComplete()
                .verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).hasSize(3);
    }

    @Test
    void aMutatingAction_withAnUnknownOutcome_isSentExactlyOnce_andSaysSo() {
        emulator.faults().next("DismissRoom", Fault.resetMidResponse(), 1);

        StepVerifier.create(client.call("DismissRoom", dismiss()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcClientException.class, c -> {
                    assertThat(c.requestSent()).isTrue();
                    assertThat(c).hasMessageContaining("outcome is unknown");
                }))
                .verify(WAIT);
        assertThat(emulator.requests("DismissRoom")).hasSize(1);
    }

    @Test
    void aMutatingAction_isRetriedWhenTheServiceDidNotExecuteIt_orWhenTheUserOptsIn() {
        emulator.faults().next("DismissRoom", Fault.requestLimitExceeded(), 1);
        StepVerifier.create(client.call("DismissRoom", dismiss())).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(emulator.requests("DismissRoom")).hasSize(2);

        emulator.rooms().join(1001, "a");
        emulator.faults().next("DismissRoom", Fault.internalError(), 1);
        try (TrtcAsyncClient optedIn = builder().retryPolicy("DismissRoom", FAST.retryUnknownOutcome(true)).build()) {
            StepVerifier.create(optedIn.call("DismissRoom", dismiss())).expectNextCount(1).expectComplete()
                    .verify(WAIT);
        }
        assertThat(emulator.requests("DismissRoom")).hasSize(4);
    }

    @Test
    void retriesAreBounded() {
        emulator.faults().always("DescribeStreamIngest", Fault.internalError());

        StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                .expectErrorSatisfies(e -> assertThat(((TrtcServiceException) e).errorCode()).isEqualTo("InternalError"))
                .verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).hasSize(3);
    }

    @Test
    void aSkewedClock_isCorrectedFromTheServersDate_onceAndForAll() {
        try (TrtcAsyncClient skewed = builder().clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                .build()) {
            StepVerifier.create(skewed.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
            StepVerifier.create(skewed.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
        }
        assertThat(emulator.requests("DescribeStreamIngest")).extracting(r -> r.errorCode())
                .containsExactly("AuthFailure.SignatureExpire", null, null);
    }

    @Test
    void eachTimeout_isItsOwnError() {
        emulator.faults().always("DescribeStreamIngest", Fault.delay(Duration.ofSeconds(5)));
        try (TrtcAsyncClient impatient = builder().responseTimeout(Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.none()).build()) {
            StepVerifier.create(impatient.call("DescribeStreamIngest", ingest))
                    .expectError(TrtcResponseTimeoutException.class).verify(WAIT);
        }
        try (TrtcAsyncClient bounded = builder().callTimeout(Duration.ofMillis(300)).build()) {
            StepVerifier.create(bounded.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(
                            TrtcDeadlineExceededException.class, d -> assertThat(d.requestSent()).isTrue()))
                    .verify(WAIT);
        }
        // A connect that expires (signalled by the client hook, so nothing leaves this machine) is its own error.
        try (TrtcAsyncClient unreachable = builder().retryPolicy(RetryPolicy.none())
                .httpClient(reactor.netty.http.client.HttpClient.create().doOnConnect(config -> {
                    throw reactor.core.Exceptions.propagate(
                            new io.netty.channel.ConnectTimeoutException("connection timed out (simulated)"));
                })).build()) {
            StepVerifier.create(unreachable.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcConnectTimeoutException.class,
                            c -> assertThat(c.requestSent()).isFalse()))
                    .verify(WAIT);
        }
    }

    @Test
    void anOversizedReply_failsTheCall() {
        String[] users = new String[3000];
        for (int i = 0; i < users.length; i++) {
            users[i] = "user-" + i;
        }
        emulator.rooms().join("big", users);
        long now = java.time.Instant.now().getEpochSecond();
        String commId = client.call("DescribeRoomInfo", JsonNodeFactory.instance.objectNode()
                        .put("SdkAppId", emulator.sdkAppId()).put("StartTime", now - 60).put("EndTime", now + 60)
                        .put("RoomId", "big"))
                .map(r -> r.get("RoomList").get(0).get("CommId").asText()).block(WAIT);
        ObjectNode users100 = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("CommId", commId).put("StartTime", now - 60).put("EndTime", now + 60).put("PageSize", 100);

        StepVerifier.create(client.call("DescribeUserInfo", users100))
                .assertNext(r -> assertThat(r.get("UserList")).hasSize(100))
                .expectComplete().verify(WAIT);
        try (TrtcAsyncClient small = builder().maxResponseSize(10_000).retryPolicy(RetryPolicy.none()).build()) {
            StepVerifier.create(small.call("DescribeUserInfo", users100))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcClientException.class)
                            .hasMessageContaining("exceeds the response size limit of 10000 bytes"))
                    .verify(WAIT);
        }
    }

    @Test
    void retryable_classifiesFailures() {
        var describe = ActionCatalogue.standard().resolve("DescribeCloudRecording");
        var delete = ActionCatalogue.standard().resolve("DeleteCloudRecording");
        TrtcClientException notSent = new TrtcClientException("x", "refused", -1, null, null, false);
        TrtcClientException unknown = new TrtcClientException("x", "reset", -1, null, null, true);
        TrtcServiceException internal = new TrtcServiceException("x", "InternalError", "m", "r", 200);
        TrtcServiceException throttled = new TrtcServiceException("x", "RequestLimitExceeded.UinLimitExceeded", "m",
                "r", 200);
        TrtcServiceException permanent = new TrtcServiceException("x", "InvalidParameter", "m", "r", 200);
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.isRetryable(delete, notSent)).isTrue();
        assertThat(policy.isRetryable(delete, throttled)).isTrue();
        assertThat(policy.isRetryable(delete, unknown)).isFalse();
        assertThat(policy.isRetryable(delete, internal)).isFalse();
        assertThat(policy.isRetryable(describe, unknown)).isTrue();
        assertThat(policy.isRetryable(describe, internal)).isTrue();
        assertThat(policy.isRetryable(describe, permanent)).isFalse();
        assertThat(policy.retryUnknownOutcome(true).isRetryable(delete, unknown)).isTrue();
    }

    @Test
    void backoffs_doubleUpToTheLargest_movedByTheirJitterWithinTheBounds() {
        RetryPolicy policy = RetryPolicy.defaults().backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            long first = policy.backoff(0).toMillis();
            assertThat(first).as("first: 100 ms, jitter only upwards (never under the first)").isBetween(100L, 150L);
            assertThat(policy.backoff(2).toMillis()).as("third: 400 ms ± 200").isBetween(200L, 600L);
            assertThat(policy.backoff(5).toMillis()).as("capped: 1 s, jitter only downwards").isBetween(500L, 1000L);
            assertThat(policy.backoff(70).toMillis()).as("no overflow").isBetween(500L, 1000L);
            seen.add(first);
        }
        assertThat(seen).as("jittered").hasSizeGreaterThan(10);
        assertThat(RetryPolicy.defaults().backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0).backoff(3))
                .isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void retries_stopWhenTheirTimeIsUp_onTheSchedulersClock() {
        var describe = ActionCatalogue.standard().resolve("DescribeCloudRecording");
        TrtcServiceException internal = new TrtcServiceException("x", "InternalError", "m", "r", 200);
        RetryPolicy policy = RetryPolicy.defaults().maxAttempts(100)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).maxElapsed(Duration.ofMillis(4500));
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        StepVerifier.withVirtualTime(() -> policy.retrying(reactor.core.publisher.Mono.<String>defer(() -> {
                    tries.incrementAndGet();
                    return reactor.core.publisher.Mono.error(internal);
                }), describe, reactor.core.scheduler.Schedulers.parallel()))
                .thenAwait(Duration.ofMinutes(1))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(internal))
                .verify(WAIT);
        assertThat(tries).as("at 0 to 5 s: the failure at 5 s is past the 4.5 s, the one at 4 s was not").hasValue(6);
    }

    @Test
    void cancelling_stopsRetrying() {
        emulator.faults().always("DescribeStreamIngest", Fault.internalError());
        try (TrtcAsyncClient patient = builder()
                .retryPolicy(RetryPolicy.defaults().maxAttempts(5).backoff(Duration.ofMillis(300), Duration.ofMillis(300), 0))
                .build()) {
            reactor.core.Disposable call = patient.call("DescribeStreamIngest", ingest).subscribe(v -> { }, e -> { });
            StepVerifier.create(reactor.core.publisher.Flux.interval(Duration.ofMillis(5))
                            .filter(i -> emulator.arrivals("DescribeStreamIngest") == 1).next())
                    .expectNextCount(1).expectComplete().verify(WAIT);
            call.dispose();

            // Well past the 300 ms backoff: no second attempt was made.
            StepVerifier.create(reactor.core.publisher.Mono.delay(Duration.ofMillis(800))).expectNextCount(1)
                    .expectComplete().verify(WAIT);
            assertThat(emulator.arrivals("DescribeStreamIngest")).isEqualTo(1);
        }
    }
}
