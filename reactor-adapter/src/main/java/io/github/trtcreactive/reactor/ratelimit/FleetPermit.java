package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A permit tied to a moment the fleet's store reserved. The other processes plan around that moment,
 * and only the margin separates it from theirs, so a request written well after it (a starved
 * process, a timer that fired late, a connection that came late) could crowd the service's window.
 * Such a permit is not used late: {@link #whenWritable()} takes a new turn first (the caller keeps
 * its connection meanwhile), within what is left of the call's permit wait and at most
 * {@value #MAX_TURNS} turns in all: a process that is busy for a moment (a collection, a loaded
 * machine) delays its call rather than failing it, and one that stays too busy to keep any turn
 * fails it with {@link Late} rather than wasting the fleet's turns for ever.
 */
final class FleetPermit implements Permit {

    static final int MAX_TURNS = 10;

    /** Every turn came too late to be used; the call was not written. */
    static final class Late extends TrtcRateLimitException {
        private static final long serialVersionUID = 1L;

        Late(String action, long lateNanos, int turns) {
            super(action + " not sent: its fleet turn came " + lateNanos / 1_000_000 + " ms late " + turns
                    + " times in a row (the process is too busy to write on time, and a late request could crowd"
                    + " the account's window)", action, Duration.ofNanos(lateNanos));
        }
    }

    private final Permit local;
    private final Scheduler scheduler;
    private final long tolerance;
    private final String action;
    private final Supplier<Mono<Long>> nextTurn;
    private final long firstMoment;

    /**
     * @param local the process's own permit
     * @param moment the reserved moment, in the scheduler's nanoseconds
     * @param tolerance how long after its moment a request may still be written
     * @param nextTurn takes a new turn, with its moment (empty when the call counted alone)
     */
    FleetPermit(Permit local, Scheduler scheduler, long moment, long tolerance, String action,
            Supplier<Mono<Long>> nextTurn) {
        this.local = local;
        this.scheduler = scheduler;
        this.firstMoment = moment;
        this.tolerance = tolerance;
        this.action = action;
        this.nextTurn = nextTurn;
    }

    @Override
    public Mono<Void> whenWritable() {
        return writableAfter(firstMoment, 1);
    }

    private Mono<Void> writableAfter(long moment, int turn) {
        return Mono.defer(() -> {
            long late = scheduler.now(TimeUnit.NANOSECONDS) - moment - tolerance;
            if (late <= 0) {
                return Mono.empty();
            }
            if (turn >= MAX_TURNS) {
                return Mono.error(new Late(action, late, turn));
            }
            return nextTurn.get().flatMap(next -> writableAfter(next, turn + 1));
        });
    }

    @Override
    public void sent() {
        local.sent();
    }

    @Override
    public void answered() {
        local.answered();
    }
}
