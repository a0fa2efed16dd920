package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves BlockHound is installed for this module's tests: blocking on a Reactor thread fails. */
class BlockHoundActiveTest {

    @Test
    void sleep_onParallelScheduler_fails() {
        Mono<Object> blocking = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return new Object();
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .expectErrorSatisfies(e -> {
                    assertThat(e.getClass().getName()).isEqualTo("reactor.blockhound.BlockingOperationError");
                    assertThat(e).hasMessageContaining("Thread.sleep");
                })
                .verify(Duration.ofSeconds(10));
    }
}
