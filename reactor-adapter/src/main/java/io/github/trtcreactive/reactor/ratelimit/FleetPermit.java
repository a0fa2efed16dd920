package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * A permit tied to a moment the fleet's store reserved. The other processes plan around that moment,
 * and only the margin separates it from theirs, so a request written well after it (a starved
 * process, a timer that fired late, a connection that came late) could crowd the service's window.
 * Such a permit refuses to be used: {@link #sent()} throws {@link Late} before anything is written,
 * and the limiter takes a new turn for the call.
 */
final class FleetPermit implements Permit {

    /** The turn came too late to be used; the call was not written. */
    static final class Late extends TrtcRateLimitException {
        private static final long serialVersionUID = 1L;

        Late(String action, long lateNanos, int turns) {
            super(action, Duration.ofNanos(lateNanos), "its fleet turn came " + lateNanos / 1_000_000
                    + " ms late " + turns + " times in a row (the process is too busy to write on time; a late"
                    + " request could crowd the account's window)");
        }
    }

    private final Permit local;
    private final Scheduler scheduler;
    private final long writeBy;
    private final String action;
    private final int turn;

    FleetPermit(Permit local, Scheduler scheduler, long moment, long tolerance, String action, int turn) {
        this.local = local;
        this.scheduler = scheduler;
        this.writeBy = moment + tolerance;
        this.action = action;
        this.turn = turn;
    }

    @Override
    public void sent() {
        long late = scheduler.now(TimeUnit.NANOSECONDS) - writeBy;
        if (late > 0) {
            throw new Late(action, late, turn);
        }
        local.sent();
    }

    @Override
    public void answered() {
        local.answered();
    }
}
