package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

class FaultsTest {

    private static final String BODY = "{\"SdkAppId\":1400000001,\"TaskId\":\"t\"}";
    private TrtcEmulator emulator;
    private RawClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        client = new RawClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void serviceErrors_forTheNextCallsOfOneAction_thenNormal() {
        emulator.faults().next("DescribeStreamIngest", Fault.internalError(), 2)
                .next("DescribeStreamIngest", Fault.requestLimitExceeded(), 1);

        assertThat(client.call("StopStreamIngest", BODY).errorCode()).isNotEqualTo("InternalError");
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isEqualTo("InternalError");
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isEqualTo("InternalError");
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
        assertThat(emulator.requests("DescribeStreamIngest")).extracting(RecordedRequest::fault)
                .containsExactly("error InternalError", "error InternalError", "error RequestLimitExceeded", null);
    }

    @Test
    void httpStatusAndMalformedJson_areNotEnvelopes() {
        emulator.faults().nextAny(Fault.httpStatus(502), 1).nextAny(Fault.malformedJson(), 1);

        RawClient.Reply gateway = client.call("DescribeStreamIngest", BODY);
        assertThat(gateway.status()).isEqualTo(502);
        assertThat(gateway.body()).startsWith("<html>");
        RawClient.Reply malformed = client.call("DescribeStreamIngest", BODY);
        assertThat(malformed.status()).isEqualTo(200);
        assertThatThrownBy(malformed::response).isInstanceOf(AssertionError.class);
    }

    @Test
    void delay_answersNormallyAfterwards() {
        emulator.faults().always("DescribeStreamIngest", Fault.delay(Duration.ofMillis(300)));
        long start = System.nanoTime();

        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        emulator.faults().clear();
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
    }

    @Test
    void resetMidResponse_breaksTheConnection() {
        emulator.faults().nextAny(Fault.resetMidResponse(), 1);

        assertThatThrownBy(() -> client.call("DescribeStreamIngest", BODY))
                .satisfies(e -> assertThat(reactor.core.Exceptions.unwrap(e))
                        .isInstanceOfAny(PrematureCloseException.class, java.io.IOException.class));
        assertThat(emulator.requests()).singleElement().satisfies(r -> assertThat(r.requestId()).isNull());
    }

    @Test
    void noResponse_neverAnswers() {
        emulator.faults().nextAny(Fault.noResponse(), 1);

        assertThatThrownBy(() -> client.call("DescribeStreamIngest", BODY, java.util.Map.of(), Duration.ofMillis(300)))
                .isInstanceOf(io.netty.handler.timeout.ReadTimeoutException.class);
    }

    @Test
    void aDelayFault_runsOnTheEmulatorsOwnTimer_notOnTheSharedParallelScheduler() throws Exception {
        emulator.faults().next("DescribeStreamIngest", Fault.delay(Duration.ofMillis(100)), 1);
        int workers = reactor.core.scheduler.Schedulers.DEFAULT_POOL_SIZE;
        java.util.concurrent.atomic.AtomicBoolean spinning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            // Occupy every worker of the shared scheduler, as a client under test might, for up to 5 s.
            reactor.core.scheduler.Schedulers.parallel().schedule(() -> {
                busy.countDown();
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (spinning.get() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                spinning.set(false);
            });
        }
        try {
            assertThat(busy.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
            assertThat(spinning.get()).as("answered while the shared scheduler was still busy").isTrue();
        } finally {
            spinning.set(false);
        }
    }
}
