package io.github.trtcreactive.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** The observations and meters of calls against the emulator, over real sockets. */
class TrtcMicrometerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        emulator.close();
    }

    private TrtcAsyncClient client(ObservationRegistry observations, TrtcRateLimiter limiter, RetryPolicy retry) {
        return TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).responseTimeout(Duration.ofMillis(500))
                .observer(TrtcMicrometer.observer(observations)).rateLimiter(limiter).retryPolicy(retry).build();
    }

    private ObjectNode roomInfo() {
        long now = Instant.now().getEpochSecond();
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
    }

    @Test
    void aSuccess_isOneCallObservationWithOneAttemptUnderIt_andItsRequestId() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        client = client(observations, TrtcRateLimiter.create(), RetryPolicy.defaults());

        String requestId = client.call("DescribeRoomInfo", roomInfo()).block(WAIT).path("RequestId").asText();

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("trtc.client.call", 1)
                .hasObservationWithNameEqualTo("trtc.client.call").that()
                .hasBeenStarted().hasBeenStopped()
                .hasLowCardinalityKeyValue("trtc.action", "DescribeRoomInfo")
                .hasLowCardinalityKeyValue("trtc.region", "ap-singapore")
                .hasLowCardinalityKeyValue("rpc.system", "tencentcloud")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasLowCardinalityKeyValue("error.code", "none")
                .hasHighCardinalityKeyValue("trtc.request_id", requestId)
                .hasHighCardinalityKeyValue("trtc.attempts", "1");
        assertThat(observations).hasObservationWithNameEqualTo("trtc.client.attempt").that()
                .hasLowCardinalityKeyValue("http.response.status_code", "200")
                .hasLowCardinalityKeyValue("server.address", "127.0.0.1")
                .hasLowCardinalityKeyValue("server.port", Integer.toString(emulator.port()))
                .hasHighCardinalityKeyValue("trtc.request_id", requestId)
                .hasParentObservationContextMatching(parent -> parent.getName().equals("trtc.client.call"));
    }

    @Test
    void aServiceError_aRetriedTimeout_andACancelledCall_eachHaveTheirOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        client = client(observations, TrtcRateLimiter.create(), RetryPolicy.defaults());

        emulator.faults().next("DescribeRoomInfo", Fault.serviceError("InvalidParameter.SdkAppId", "scripted"), 1);
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo()))
                .expectError(TrtcServiceException.class).verify(WAIT);
        assertThat(observations).hasObservationWithNameEqualTo("trtc.client.call").that()
                .hasLowCardinalityKeyValue("outcome", "service_error")
                .hasLowCardinalityKeyValue("error.code", "InvalidParameter.SdkAppId")
                .hasError();

        TestObservationRegistry retried = TestObservationRegistry.create();
        client.close();
        client = client(retried, TrtcRateLimiter.create(), RetryPolicy.defaults());
        emulator.faults().next("DescribeRoomInfo", Fault.noResponse(), 1);
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo())).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(retried).hasNumberOfObservationsWithNameEqualTo("trtc.client.attempt", 2)
                .hasObservationWithNameEqualTo("trtc.client.call").that()
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("trtc.attempts", "2");
        assertThat(retried).hasAnObservation(o -> o.hasNameEqualTo("trtc.client.attempt")
                .hasLowCardinalityKeyValue("outcome", "timeout")
                .hasLowCardinalityKeyValue("http.response.status_code", "0"));

        TestObservationRegistry cancelled = TestObservationRegistry.create();
        client.close();
        client = client(cancelled, TrtcRateLimiter.create(), RetryPolicy.defaults());
        emulator.faults().next("DescribeRoomInfo", Fault.noResponse(), 1);
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo()))
                .expectSubscription().thenAwait(Duration.ofMillis(200)).thenCancel().verify(WAIT);
        assertThat(cancelled).hasObservationWithNameEqualTo("trtc.client.call").that()
                .hasLowCardinalityKeyValue("outcome", "cancelled").hasBeenStopped();
        assertThat(cancelled).hasObservationWithNameEqualTo("trtc.client.attempt").that()
                .hasLowCardinalityKeyValue("outcome", "cancelled");
    }

    @Test
    void aPermitRefusal_isRateLimitedWithoutAnAttempt_andTheLimiterMetersCountIt() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        MeterRegistry meters = new SimpleMeterRegistry();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().limit("DescribeRoomInfo", new RateLimit(1, Duration.ofSeconds(10), RateLimit.Basis.DOCUMENTED))
                .maxWait(Duration.ofMillis(100)).listener(TrtcMicrometer.rateLimitMetrics(meters)).build();
        client = client(observations, limiter, RetryPolicy.none());

        client.call("DescribeRoomInfo", roomInfo()).block(WAIT);
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo()))
                .expectError(TrtcRateLimitException.class).verify(WAIT);

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("trtc.client.attempt", 1)
                .hasAnObservation(o -> o.hasNameEqualTo("trtc.client.call")
                        .hasLowCardinalityKeyValue("outcome", "rate_limited")
                        .hasLowCardinalityKeyValue("error.code", "TrtcRateLimitException")
                        .hasHighCardinalityKeyValue("trtc.attempts", "0"));
        assertThat(meters.get("trtc.ratelimit.rejected").tag("trtc.action", "DescribeRoomInfo").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("trtc.ratelimit.wait").tag("trtc.action", "DescribeRoomInfo")
                .tag("trtc.priority", "interactive").timer().count()).isEqualTo(1);
        assertThat(meters.get("trtc.ratelimit.store.available").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theContextsObservationIsTheParent_timersAreNamedAfterTheCall_andTheTraceIdIsSent() {
        SimpleTracer tracer = new SimpleTracer();
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer))
                .observationHandler(new DefaultMeterObservationHandler(meters));
        client = client(observations, TrtcRateLimiter.create(), RetryPolicy.defaults());

        Observation request = Observation.start("http.server.requests", observations);
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo())
                        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request)))
                .expectNextCount(1).expectComplete().verify(WAIT);
        request.stop();

        SimpleSpan server = tracer.getSpans().stream().filter(s -> s.getName().equals("http.server.requests"))
                .findFirst().orElseThrow();
        SimpleSpan call = tracer.getSpans().stream().filter(s -> s.getName().equals("trtc DescribeRoomInfo"))
                .findFirst().orElseThrow();
        SimpleSpan attempt = tracer.getSpans().stream().filter(s -> s.getName().equals("POST DescribeRoomInfo"))
                .findFirst().orElseThrow();
        assertThat(call.getParentId()).isEqualTo(server.getSpanId());
        assertThat(attempt.getParentId()).isEqualTo(call.getSpanId());
        assertThat(attempt.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(emulator.requests("DescribeRoomInfo").get(0).header("X-TC-TraceId")).isEqualTo(server.getTraceId());

        assertThat(meters.get("trtc.client.call").tag("trtc.action", "DescribeRoomInfo").tag("outcome", "success")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get("trtc.client.attempt").tag("http.response.status_code", "200").timer().count())
                .isEqualTo(1);
    }
}
