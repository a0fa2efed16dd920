package io.github.trtcreactive.reactor.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lets {@link reactor.test.util.RaceTestUtils} gather its racers (it yields while it waits) on
 * non-blocking threads, while {@link Races#nonBlocking} keeps every racer itself under BlockHound.
 */
public final class RacesBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // The harness's racer body, reactor-test 3.8.x: race(int, Scheduler, Runnable...)'s lambda.
        builder.allowBlockingCallsInside("reactor.test.util.RaceTestUtils", "lambda$race$2");
        builder.disallowBlockingCallsInside(Races.class.getName(), "nonBlocking");
    }
}
