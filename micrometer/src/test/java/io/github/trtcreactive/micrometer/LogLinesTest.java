package io.github.trtcreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What the SDK's calls put in the log, read back from a real logger (Logback) rather than assumed. */
class LogLinesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TrtcEmulator emulator;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(lines);
        emulator.close();
        // Leave no caller's MDC behind on the shared event loops for the tests that follow.
        for (io.netty.util.concurrent.EventExecutor loop : reactor.netty.http.HttpResources.get().onClient(true)) {
            loop.submit(MDC::clear).get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private ObjectNode roomInfo() {
        long now = Instant.now().getEpochSecond();
        return JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId())
                .put("StartTime", now - 3600).put("EndTime", now);
    }

    private TrtcAsyncClient client(Duration responseTimeout, RetryPolicy retry) {
        return TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).responseTimeout(responseTimeout).retryPolicy(retry).build();
    }

    private List<ILoggingEvent> linesOf(String loggerPrefix, Level atLeast) {
        return lines.list.stream().filter(e -> e.getLoggerName().startsWith(loggerPrefix))
                .filter(e -> e.getLevel().isGreaterOrEqual(atLeast)).toList();
    }

    @Test
    void responseTimeoutsTheSdkHandles_logNoReactorNettyWarning() {
        Duration responseTimeout = Duration.ofMillis(300);
        // Eight calls at once, each answered at about its fourth attempt: 24 timeouts, each a chance for the
        // channel's and the call's timers to cross. Six attempts each: on a loaded machine the calls fall out
        // of step, and one may meet more than three of the 24 timeouts.
        RetryPolicy retry = RetryPolicy.defaults().maxAttempts(6)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50), 0.5);
        try (TrtcAsyncClient client = client(responseTimeout, retry)) {
            emulator.faults().next("DescribeRoomInfo", Fault.noResponse(), 24);
            StepVerifier.create(Flux.range(0, 8).flatMap(i -> client.call("DescribeRoomInfo", roomInfo())))
                    .expectNextCount(8).expectComplete().verify(WAIT);
            // Anything the transport's own timers would still report comes within another timeout.
            Mono.delay(responseTimeout.multipliedBy(3)).block(WAIT);
        }
        assertThat(linesOf("io.github.trtcreactive.reactor.CallEngine", Level.DEBUG))
                .as("the SDK's own account of the timed-out attempts")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("attempt 1 failed")
                        .contains("timeout"))
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).containsPattern("attempt [4-6] answered HTTP 200"));
        assertThat(linesOf("reactor.netty", Level.WARN)).as("Reactor Netty warnings").isEmpty();
    }

    @Test
    void withContextPropagation_theCallersMdcIsOnTheSdksLogLines() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("request"));
        Hooks.enableAutomaticContextPropagation();
        try (TrtcAsyncClient client = client(Duration.ofSeconds(5), RetryPolicy.defaults())) {
            MDC.put("request", "req-42");
            StepVerifier.create(client.call("DescribeRoomInfo", roomInfo()).contextCapture()).expectNextCount(1)
                    .expectComplete().verify(WAIT);
        } finally {
            MDC.remove("request");
            Hooks.disableAutomaticContextPropagation();
            ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        }
        List<ILoggingEvent> calls = linesOf("io.github.trtcreactive.reactor.CallEngine", Level.DEBUG);
        assertThat(calls).as("the attempt's lines").extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("DescribeRoomInfo attempt 1 sending"))
                .anySatisfy(m -> assertThat(m).contains("DescribeRoomInfo attempt 1 answered HTTP 200")
                        .contains(", request "));
        assertThat(calls).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage())
                .containsEntry("request", "req-42"));
        assertThat(calls).filteredOn(e -> e.getFormattedMessage().contains("answered"))
                .singleElement().extracting(ILoggingEvent::getThreadName)
                .as("the reply is logged on an event loop, not the caller's thread").asString()
                .doesNotStartWith("main");
    }
}
