package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.util.RaceTestUtils;

/** Every close waits for the one shut-down, also a close that comes while another starts it. */
class ConcurrentCloseTest {

    @Test
    void aCloseRacingAnother_completesOnlyOnceTheShutDownIsOver() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            TrtcEmulator emulator = TrtcEmulator.builder().requestLogSize(0).start();
            AtomicReference<Boolean> releasedWhenDone = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);

            RaceTestUtils.race(() -> emulator.closeLater().subscribe(),
                    () -> emulator.closeLater().subscribe(v -> { }, e -> done.countDown(), () -> {
                        releasedWhenDone.set(emulator.isReleased());
                        done.countDown();
                    }));

            assertThat(done.await(20, TimeUnit.SECONDS)).as("round %d: the second close completed", round).isTrue();
            assertThat(releasedWhenDone.get()).as("round %d: released when the second close completed", round)
                    .isTrue();
            emulator.close(); // a later close waits for the same shut-down, long over
            assertThat(emulator.isReleased()).isTrue();
        }
    }
}
