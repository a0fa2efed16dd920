package io.github.trtcreactive.redis;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound about the lock inside Lettuce's connection endpoint: a command written while the
 * connection is being reset or reconnected waits briefly on it, by Lettuce's design. An error thrown
 * into that wait would leave the lock's state half-changed and wedge every later command on the
 * connection (a writer spinning forever), so BlockHound must let it be. Registered through
 * {@code META-INF/services}; loaded only by BlockHound. Everything else stays checked.
 */
public final class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    /** Created by BlockHound through {@code META-INF/services}. */
    public LettuceBlockHoundIntegration() {
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "lockWritersExclusive");
    }
}
