package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of the module (see junit-platform.properties): makes the garbage
 * collector hand Netty every unreleased buffer of the run (all of them tracked while the fault matrix
 * ran at PARANOID, a sample of the others), then requires that none was reported.
 */
@Order(Integer.MAX_VALUE)
class LeakCheckTest {

    @Test
    void theWholeRun_leakedNoBuffer() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        for (int round = 0; round < 20; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
                // Allocation is when detectors look at what the collector found.
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
                probe.release();
            }
        }
        ResourceLeakDetector.setLevel(before);
        assertThat(LeakCounter.LEAKS).as("Netty leak reports during the run").hasValue(0);
    }
}
