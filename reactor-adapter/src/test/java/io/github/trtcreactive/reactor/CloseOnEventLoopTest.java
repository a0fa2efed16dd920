package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The client's and the emulator's close on a non-blocking thread (BlockHound is installed for every
 * test, so a blocking call there fails), {@code closeLater()} releasing their resources, and close
 * being terminal.
 */
class CloseOnEventLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TrtcAsyncClient client(TrtcEmulator emulator) {
        return TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).retryPolicy(RetryPolicy.none()).responseTimeout(Duration.ofSeconds(5)).build();
    }

    private static Mono<?> describe(TrtcAsyncClient client, TrtcEmulator emulator) {
        return client.describeCloudRecording(DescribeCloudRecordingRequest.builder().sdkAppId(emulator.sdkAppId())
                .taskId("t1").build());
    }

    @Test
    void clientClose_onANonBlockingThread_doesNotBlock_andLaterCallsFail() {
        try (TrtcEmulator emulator = TrtcEmulator.start()) {
            TrtcAsyncClient client = client(emulator);
            StepVerifier.create(Mono.fromRunnable(client::close).subscribeOn(Schedulers.parallel()))
                    .expectComplete().verify(WAIT);
            assertThat(client.isClosed()).isTrue();
            StepVerifier.create(describe(client, emulator)).expectError(TrtcClientClosedException.class).verify(WAIT);
            // The pool's disposal started on the event loop; closeLater() waits for it.
            StepVerifier.create(client.closeLater()).expectComplete().verify(WAIT);
            assertThat(client.ownsDisposedPool()).isTrue();
        }
    }

    @Test
    void clientCloseLater_onANonBlockingThread_releasesThePool() {
        try (TrtcEmulator emulator = TrtcEmulator.start()) {
            TrtcAsyncClient client = client(emulator);
            StepVerifier.create(describe(client, emulator).onErrorResume(e -> Mono.empty()).then()).expectComplete()
                    .verify(WAIT);
            StepVerifier.create(client.closeLater().subscribeOn(Schedulers.parallel())).expectComplete().verify(WAIT);
            assertThat(client.ownsDisposedPool()).isTrue();
            StepVerifier.create(describe(client, emulator)).expectError(TrtcClientClosedException.class).verify(WAIT);
        }
    }

    @Test
    void emulatorClose_onANonBlockingThread_doesNotBlock_closeLaterReleases_andCallsFailAfter() {
        TrtcEmulator emulator = TrtcEmulator.start();
        TrtcAsyncClient client = client(emulator);
        try {
            StepVerifier.create(Mono.fromRunnable(emulator::close).subscribeOn(Schedulers.parallel()))
                    .expectComplete().verify(WAIT);
            StepVerifier.create(emulator.closeLater().subscribeOn(Schedulers.parallel())).expectComplete().verify(WAIT);
            StepVerifier.create(describe(client, emulator)).expectError(TrtcException.class).verify(WAIT);
            emulator.close(); // again, on the test thread: nothing more to do
        } finally {
            client.close();
        }
    }
}
