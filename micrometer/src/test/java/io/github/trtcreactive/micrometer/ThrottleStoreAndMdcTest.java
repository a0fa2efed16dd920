package io.github.trtcreactive.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.LimitStore;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A throttled-then-granted call, the queue gauge, the shared store's latency, and the caller's thread-locals on the SDK's threads. */
class ThrottleStoreAndMdcTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ObjectNode roomInfo(TrtcEmulator emulator) {
        long now = Instant.now().getEpochSecond();
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
    }

    @Test
    void aCallRefusedAsOverTheLimit_isSentAgain_andTheSlowDownIsCounted() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore")
                        .credentials(emulator.credentials()).endpoint(emulator.uri())
                        .observer(TrtcMicrometer.observer(observations)).retryPolicy(RetryPolicy.none())
                        .rateLimiter(TrtcRateLimiter.builder().listener(TrtcMicrometer.rateLimitMetrics(meters)).build())
                        .build()) {
            emulator.faults().next("DescribeRoomInfo", Fault.serviceError("RequestLimitExceeded",
                    "The request frequency exceeds the limit."), 1);
            StepVerifier.create(client.call("DescribeRoomInfo", roomInfo(emulator))).expectNextCount(1)
                    .expectComplete().verify(WAIT);
        }
        assertThat(observations).hasObservationWithNameEqualTo("trtc.client.call").that()
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("trtc.attempts", "2");
        assertThat(observations).hasAnObservation(o -> o.hasNameEqualTo("trtc.client.attempt")
                .hasLowCardinalityKeyValue("outcome", "service_error")
                .hasLowCardinalityKeyValue("error.code", "RequestLimitExceeded"));
        assertThat(meters.get("trtc.ratelimit.throttled").tag("trtc.action", "DescribeRoomInfo").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("trtc.ratelimit.wait").tag("trtc.action", "DescribeRoomInfo").timer().count())
                .isEqualTo(2);
    }

    /** A shared store in memory that answers after 20 ms: what the latency timer measures. */
    private static final class SlowStore implements LimitStore {
        @Override
        public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
            return Mono.delay(Duration.ofMillis(20)).thenReturn(new Reservation(key, schedule, Duration.ZERO, 0));
        }

        @Override
        public Mono<Void> release(Reservation reservation) {
            return Mono.empty();
        }
    }

    @Test
    void theSharedStoresAnswers_areTimed() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(new SlowStore())
                .listener(TrtcMicrometer.rateLimitMetrics(meters)).build();
        StepVerifier.create(limiter.limit("AKIDstore", "DescribeRoomInfo", Mono.just(1))).expectNext(1)
                .expectComplete().verify(WAIT);
        var latency = meters.get("trtc.ratelimit.store.latency").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
        assertThat(meters.get("trtc.ratelimit.store.available").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theQueuedGauge_countsTheCallsWaitingNow_throughGrantsAndCancellations() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).burst(1)
                .limit("DescribeRoomInfo", new RateLimit(1, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED))
                .maxWait(Duration.ofMinutes(1)).listener(TrtcMicrometer.rateLimitMetrics(meters)).build();
        List<Integer> done = new CopyOnWriteArrayList<>();
        List<Disposable> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(limiter.limit("AKIDqueue", "DescribeRoomInfo", Mono.just(i)).subscribe(done::add));
        }
        var queued = meters.get("trtc.ratelimit.queued").tag("trtc.action", "DescribeRoomInfo").gauge();
        assertThat(done).as("the first is granted at once").containsExactly(0);
        assertThat(queued.value()).isEqualTo(5.0);

        calls.get(4).dispose();
        calls.get(5).dispose();
        assertThat(queued.value()).as("two callers gave up").isEqualTo(3.0);

        time.advanceTimeBy(Duration.ofMillis(1500));
        assertThat(done).containsExactly(0, 1);
        assertThat(queued.value()).isEqualTo(2.0);
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(done).containsExactly(0, 1, 2, 3);
        assertThat(queued.value()).as("nobody waits").isEqualTo(0.0);
    }

    /** A value a caller keeps in a thread-local, as a logging MDC does. */
    private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

    @Test
    void withContextPropagation_theCallersThreadLocalsAreOnTheSdksThreadsDuringTheCall() {
        // The same mechanism carries a logging MDC (Slf4jThreadLocalAccessor); the tests' slf4j-simple keeps no MDC.
        ContextRegistry.getInstance().registerThreadLocalAccessor("test.caller", CALLER::get, CALLER::set,
                CALLER::remove);
        Hooks.enableAutomaticContextPropagation();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore")
                        .credentials(emulator.credentials()).endpoint(emulator.uri())
                        // The listener runs where the SDK logs an attempt's end: on the event loop.
                        .callListener((action, latency, error) -> seen.add(Thread.currentThread().getName() + " "
                                + CALLER.get()))
                        .build()) {
            // The caller's thread has the value when it subscribes; the attempt ends on an event loop.
            CALLER.set("req-42");
            StepVerifier.create(client.call("DescribeRoomInfo", roomInfo(emulator)).contextCapture())
                    .expectNextCount(1).expectComplete().verify(WAIT);
        } finally {
            Hooks.disableAutomaticContextPropagation();
            CALLER.remove();
            ContextRegistry.getInstance().removeThreadLocalAccessor("test.caller");
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).as("thread and value when the attempt ended").doesNotStartWith("main")
                .endsWith(" req-42");
    }
}
