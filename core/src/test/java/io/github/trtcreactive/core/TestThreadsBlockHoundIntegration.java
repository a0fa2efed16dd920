package io.github.trtcreactive.core;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/** Marks test threads whose name has a prefix as non-blocking, since core has no Reactor threads. */
public final class TestThreadsBlockHoundIntegration implements BlockHoundIntegration {

    static final String NON_BLOCKING_PREFIX = "core-nonblocking-test-";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith(NON_BLOCKING_PREFIX)));
    }
}
