package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcResponseTimeoutException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * The fault matrix: each fault, against a read action (DescribeStreamIngest) and a mutating one
 * (DismissRoom), ends in its documented outcome within a time bound; a mutating call whose outcome
 * is unknown reaches the service exactly once (counted at arrival by the emulator); no pooled
 * connection is left acquired; and Netty's leak detector runs at PARANOID meanwhile.
 */
class FaultMatrixTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private static ResourceLeakDetector.Level levelBefore;

    private TrtcEmulator emulator;
    private ConnectionProvider pool;
    private final List<ConnectionPoolMetrics> pools = new CopyOnWriteArrayList<>();

    /** Every buffer of the matrix is tracked; LeakCheckTest, run last, requires zero reports. */
    @BeforeAll
    static void paranoid() {
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restoreLevel() {
        ResourceLeakDetector.setLevel(levelBefore);
    }

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        emulator.rooms().join(1001, "a");
        pool = ConnectionProvider.builder("fault-matrix").maxConnections(16)
                .metrics(true, () -> new ConnectionProvider.MeterRegistrar() {
                    @Override
                    public void registerMetrics(String poolName, String id, SocketAddress remote,
                            ConnectionPoolMetrics metrics) {
                        pools.add(metrics);
                    }
                })
                .build();
    }

    @AfterEach
    void stop() {
        pool.disposeLater().block(BOUND);
        emulator.close();
    }

    enum Outcome { SUCCESS, NOT_SENT_ERROR, UNKNOWN_OUTCOME_ERROR, RESPONSE_TIMEOUT, SERVICE_ERROR }

    record Case(String name, Consumer<TrtcEmulator> fault, boolean refused, boolean skewed,
            Outcome read, long readArrivals, Outcome mutating, long mutatingArrivals) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                new Case("connection refused", e -> { }, true, false,
                        Outcome.NOT_SENT_ERROR, 0, Outcome.NOT_SENT_ERROR, 0),
                new Case("reset mid-response", e -> e.faults().nextAny(Fault.resetMidResponse(), 1), false, false,
                        Outcome.SUCCESS, 2, Outcome.UNKNOWN_OUTCOME_ERROR, 1),
                new Case("no response", e -> e.faults().nextAny(Fault.noResponse(), 1), false, false,
                        Outcome.SUCCESS, 2, Outcome.RESPONSE_TIMEOUT, 1),
                new Case("slow response", e -> e.faults().nextAny(Fault.delay(Duration.ofSeconds(3)), 1), false,
                        false, Outcome.SUCCESS, 2, Outcome.RESPONSE_TIMEOUT, 1),
                new Case("trickled response", e -> e.faults().nextAny(Fault.trickle(Duration.ofMillis(50)), 1), false,
                        false, Outcome.SUCCESS, 2, Outcome.RESPONSE_TIMEOUT, 1),
                new Case("HTTP 503", e -> e.faults().nextAny(Fault.httpStatus(503), 1), false, false,
                        Outcome.SUCCESS, 2, Outcome.UNKNOWN_OUTCOME_ERROR, 1),
                new Case("malformed JSON", e -> e.faults().nextAny(Fault.malformedJson(), 1), false, false,
                        Outcome.SUCCESS, 2, Outcome.UNKNOWN_OUTCOME_ERROR, 1),
                new Case("RequestLimitExceeded burst", e -> e.faults().nextAny(Fault.requestLimitExceeded(), 2),
                        false, false, Outcome.SUCCESS, 3, Outcome.SUCCESS, 3),
                new Case("InternalError", e -> e.faults().nextAny(Fault.internalError(), 1), false, false,
                        Outcome.SUCCESS, 2, Outcome.SERVICE_ERROR, 1),
                // The refused first request fails authentication, so only the re-signed one is counted.
                new Case("SignatureExpire from a skewed clock", e -> { }, false, true,
                        Outcome.SUCCESS, 1, Outcome.SUCCESS, 1))
                .flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("matrix")
    void eachFault_endsInItsDocumentedOutcome(Case c, boolean read) throws Exception {
        URI endpoint = emulator.uri();
        if (c.refused()) {
            try (ServerSocket socket = new ServerSocket(0)) {
                endpoint = URI.create("http://127.0.0.1:" + socket.getLocalPort());
            }
        }
        TrtcAsyncClientBuilder builder = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(endpoint).connectionProvider(pool).responseTimeout(Duration.ofMillis(500))
                .retryPolicy(RetryPolicy.defaults().backoff(Duration.ofMillis(20), Duration.ofMillis(100), 0.5));
        if (c.skewed()) {
            builder.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        }
        String action = read ? "DescribeStreamIngest" : "DismissRoom";
        JsonNode body = read
                ? JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("TaskId", "t")
                : JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("RoomId", 1001);
        c.fault().accept(emulator);
        Outcome expected = read ? c.read() : c.mutating();

        try (TrtcAsyncClient client = builder.build()) {
            Supplier<Mono<JsonNode>> call = () -> client.call(action, body);
            StepVerifier.FirstStep<JsonNode> step = StepVerifier.create(call.get());
            switch (expected) {
                case SUCCESS -> step.expectNextCount(1).expectComplete().verify(BOUND);
                case NOT_SENT_ERROR -> step.expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(TrtcClientException.class, x -> assertThat(x.requestSent()).isFalse()))
                        .verify(BOUND);
                case UNKNOWN_OUTCOME_ERROR -> step.expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(TrtcClientException.class, x -> assertThat(x.requestSent()).isTrue()))
                        .verify(BOUND);
                case RESPONSE_TIMEOUT -> step.expectError(TrtcResponseTimeoutException.class).verify(BOUND);
                case SERVICE_ERROR -> step.expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(TrtcServiceException.class,
                                x -> assertThat(x.errorCode()).isEqualTo("InternalError")))
                        .verify(BOUND);
            }
        }

        assertThat(emulator.arrivals(action)).as("authentic requests that reached the service")
                .isEqualTo(read ? c.readArrivals() : c.mutatingArrivals());
        StepVerifier.create(reactor.core.publisher.Flux.interval(Duration.ofMillis(10))
                        .filter(i -> pools.stream().allMatch(p -> p.acquiredSize() == 0))
                        .next())
                .expectNextCount(1).expectComplete().verify(BOUND);
    }
}
