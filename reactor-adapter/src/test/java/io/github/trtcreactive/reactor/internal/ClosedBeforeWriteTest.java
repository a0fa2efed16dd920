package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * A request that waits for its gate on a connection the server then closes (the emulator lets a
 * connection go when no request comes within its idle timeout) was never written: it is written on
 * another connection instead of failing, whatever the retry policy, and at most twice.
 */
class ClosedBeforeWriteTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private TrtcEmulator emulator;
    private ConnectionProvider pool;
    private HttpTransport transport;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().idleTimeout(Duration.ofMillis(200)).start();
        pool = ConnectionProvider.create("closed-before-write", 4);
        transport = new HttpTransport(HttpClient.create(pool), emulator.uri(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), 1 << 20, Map.of());
    }

    @AfterEach
    void stop() {
        pool.disposeLater().block(WAIT);
        emulator.close();
    }

    @Test
    void aConnectionClosedWhileTheRequestWaitedForItsGate_isReplacedAndTheRequestWrittenOnce() {
        AtomicInteger gates = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        // The first gate opens after the server has closed the idle connection; the next at once.
        Mono<Void> gate = Mono.defer(() -> gates.getAndIncrement() == 0 ? Mono.delay(Duration.ofMillis(800)).then()
                : Mono.empty());

        StepVerifier.create(transport.post("DescribeRoomInfo", Map::of, BODY, gate, writes::incrementAndGet))
                .assertNext(reply -> assertThat(reply.status()).as("the emulator answered").isEqualTo(200))
                .expectComplete().verify(WAIT);

        assertThat(writes).as("written once, on the second connection").hasValue(1);
        assertThat(gates).as("the gate was passed again for the new connection").hasValue(2);
    }

    @Test
    void aServerThatClosesEveryConnectionBeforeTheWrite_failsTheCallAfterThreeConnections_withNothingSent() {
        AtomicInteger gates = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        Mono<Void> gate = Mono.defer(() -> {
            gates.incrementAndGet();
            return Mono.delay(Duration.ofMillis(800)).then();
        });

        StepVerifier.create(transport.post("DescribeRoomInfo", Map::of, BODY, gate, writes::incrementAndGet))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcClientException.class)
                        .satisfies(c -> assertThat(((TrtcClientException) c).requestSent()).isFalse()))
                .verify(WAIT);

        assertThat(writes).hasValue(0);
        assertThat(gates).as("the first connection and two more").hasValue(3);
    }
}
