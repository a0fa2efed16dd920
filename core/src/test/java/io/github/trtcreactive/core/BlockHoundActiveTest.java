package io.github.trtcreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Proves BlockHound is installed for this module's tests: a thread marked non-blocking (see
 * {@link TestThreadsBlockHoundIntegration}) that sleeps is stopped with an error.
 */
class BlockHoundActiveTest {

    @Test
    void sleep_onNonBlockingThread_fails() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(1);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, TestThreadsBlockHoundIntegration.NON_BLOCKING_PREFIX + "1");

        thread.start();
        thread.join(10_000);

        assertThat(failure.get()).isNotNull()
                .satisfies(t -> assertThat(t.getClass().getName()).isEqualTo("reactor.blockhound.BlockingOperationError"))
                .hasMessageContaining("Thread.sleep");
    }
}
