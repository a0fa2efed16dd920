package io.github.trtcreactive.reactor.ratelimit;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Tells a slow store from a lost one: the moments of the last few answers the limiter gave up on.
 * One answer missing its bound is a slow moment (a pause of the collector, a busy core, a cold
 * script), and the call asks again; {@value #REPEATED} within {@link #WINDOW_NANOS} are an outage,
 * and calls count alone until the store answers again. Thread-safe; it holds a few numbers, under
 * its own monitor, and runs no code of anyone else's there.
 */
final class StoreTimeouts {

    /** How many answers given up on within the window make an outage. */
    static final int REPEATED = 3;
    /** The window over which answers given up on are counted. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How many times the store timeout a late answer is awaited while the store is connected. */
    static final int LATE_BOUND_FACTOR = 4;

    /** The moments of the latest answers given up on, oldest first; unused slots hold MIN_VALUE. */
    private final long[] recent = new long[REPEATED];
    private int next;

    StoreTimeouts() {
        Arrays.fill(recent, Long.MIN_VALUE);
    }

    /**
     * Records an answer given up on.
     *
     * @param now the scheduler's nanoseconds
     * @return whether this makes an outage: {@value #REPEATED} within the window
     */
    synchronized boolean gaveUp(long now) {
        recent[next] = now;
        next = (next + 1) % REPEATED;
        return repeatedLocked(now);
    }

    /**
     * Whether answers were given up on repeatedly, lately.
     *
     * @param now the scheduler's nanoseconds
     * @return whether {@value #REPEATED} fall within the window before now
     */
    synchronized boolean repeated(long now) {
        return repeatedLocked(now);
    }

    private boolean repeatedLocked(long now) {
        long oldest = recent[next]; // the slot written REPEATED records ago
        return oldest != Long.MIN_VALUE && now - oldest < WINDOW_NANOS;
    }
}
