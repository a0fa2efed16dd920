package io.github.trtcreactive.reactor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** What an observer sees of a call, and that an observer cannot change a call. */
class CallObserverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private TrtcEmulator emulator;
    private TrtcAsyncClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private ObjectNode roomInfo() {
        long now = Instant.now().getEpochSecond();
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
    }

    @Test
    void anObserverSeesThePermit_eachAttempt_theOutcome_andTheCallersContext_andItsHeadersAreSent() {
        List<String> seen = new CopyOnWriteArrayList<>();
        CallObserver observer = (call, context) -> {
            seen.add("start " + call.action() + " " + call.priority() + " " + context.getOrDefault("caller", "?"));
            return new CallObservation() {
                @Override
                public void permitGranted(Duration waited) {
                    seen.add("permit");
                }

                @Override
                public AttemptObservation attempt(int number) {
                    seen.add("attempt " + number);
                    return new AttemptObservation() {
                        @Override
                        public Map<String, String> requestHeaders() {
                            return Map.of("X-TC-TraceId", "trace-" + number, "X-TC-Action", "Hijacked");
                        }

                        @Override
                        public void ended(int httpStatus, String requestId, Throwable error) {
                            seen.add("ended " + httpStatus + (error == null ? "" : " " + error.getClass().getSimpleName()));
                        }
                    };
                }

                @Override
                public void succeeded(String requestId, int attempts) {
                    seen.add("succeeded " + attempts + " " + (requestId != null));
                }
            };
        };
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).responseTimeout(Duration.ofMillis(400)).observer(observer).build();
        emulator.faults().next("DescribeRoomInfo", Fault.noResponse(), 1);

        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo()).contextWrite(Context.of("caller", "handler-7")))
                .expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(seen).containsExactly("start DescribeRoomInfo INTERACTIVE handler-7", "permit", "attempt 1",
                "ended 0 TrtcResponseTimeoutException", "permit", "attempt 2", "ended 200", "succeeded 2 true");
        assertThat(emulator.requests("DescribeRoomInfo")).extracting(r -> r.header("X-TC-TraceId"))
                .containsExactly("trace-1", "trace-2");
        assertThat(emulator.requests("DescribeRoomInfo")).allSatisfy(r ->
                assertThat(r.header("X-TC-Action")).as("an observer cannot replace the SDK's headers")
                        .isEqualTo("DescribeRoomInfo"));
    }

    @Test
    void anObserverThatThrowsEverywhere_changesNothing() {
        CallObserver broken = (call, context) -> {
            throw new IllegalStateException("observer bug");
        };
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).observer(broken).build();
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo())).expectNextCount(1).expectComplete()
                .verify(WAIT);

        CallObserver brokenLater = (call, context) -> new CallObservation() {
            @Override
            public AttemptObservation attempt(int number) {
                return new AttemptObservation() {
                    @Override
                    public Map<String, String> requestHeaders() {
                        throw new IllegalStateException("headers bug");
                    }

                    @Override
                    public void ended(int httpStatus, String requestId, Throwable error) {
                        throw new IllegalStateException("ended bug");
                    }
                };
            }

            @Override
            public void succeeded(String requestId, int attempts) {
                throw new IllegalStateException("succeeded bug");
            }
        };
        client.close();
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).observer(brokenLater).build();
        StepVerifier.create(client.call("DescribeRoomInfo", roomInfo())).expectNextCount(1).expectComplete()
                .verify(WAIT);
    }
}
