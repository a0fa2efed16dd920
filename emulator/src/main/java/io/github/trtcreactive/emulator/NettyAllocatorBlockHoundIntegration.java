package io.github.trtcreactive.emulator;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound about one lock inside Netty's own buffer allocator: when its adaptive pool grows
 * or shrinks, a magazine is freed under a write lock that other event loops hold only for a few
 * instructions, so a rare, brief wait there is part of Netty, not a blocking call of the code under
 * test. Registered through {@code META-INF/services}; loaded only by BlockHound, so the emulator
 * works without it on the class path. Everything else stays checked.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

    /** Created by BlockHound through {@code META-INF/services}. */
    public NettyAllocatorBlockHoundIntegration() {
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
    }
}
