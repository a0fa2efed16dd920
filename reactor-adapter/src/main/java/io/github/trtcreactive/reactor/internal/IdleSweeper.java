package io.github.trtcreactive.reactor.internal;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import reactor.core.scheduler.Scheduler;

/**
 * Runs a sweep of idle entries every period, but only while there are entries: the first entry
 * starts it, and it stops by itself once a sweep leaves none, so an idle process holds no timer. An
 * entry added as the sweeps stop starts them again; one chain of sweeps runs at a time. A scheduler
 * that refuses the timer (shut down) stops the sweeps until the next {@link #start()}. Thread-safe.
 */
public final class IdleSweeper {

    private final Scheduler scheduler;
    private final long periodNanos;
    private final Runnable sweep;
    private final BooleanSupplier empty;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /**
     * @param scheduler times the sweeps
     * @param periodNanos the time between two sweeps
     * @param sweep forgets the idle entries (runs no user code)
     * @param empty whether no entry is left
     */
    public IdleSweeper(Scheduler scheduler, long periodNanos, Runnable sweep, BooleanSupplier empty) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.periodNanos = periodNanos;
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.empty = Objects.requireNonNull(empty, "empty");
    }

    /** Makes sure a sweep is scheduled; called whenever an entry is added. */
    public void start() {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            schedule();
        }
    }

    /** Sweeps now, then schedules the next sweep while entries remain. */
    public void sweepNow() {
        sweep.run();
        if (empty.getAsBoolean()) {
            sweeping.set(false);
            if (empty.getAsBoolean() || !sweeping.compareAndSet(false, true)) {
                return; // an entry that came meanwhile started the sweeps again, or none came
            }
        }
        schedule();
    }

    private void schedule() {
        try {
            scheduler.schedule(this::sweepNow, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            sweeping.set(false); // shut down: the next start() tries again (and is refused there too)
        }
    }
}
