package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Tells a slow store from a lost one, by the stalls the limiter gave up waiting through. One stall is
 * a slow moment (a pause of the collector, a busy core, a cold script), and the calls caught in it
 * ask again; {@value #REPEATED} within the window are an outage, and calls count alone (until the
 * store is tried again). However many calls give up at the end of one stall, it counts once: a miss
 * counts only when its ask began after the last miss counted. The window is 10 s, or three times the
 * longest wait for one answer if that is longer, so that one call asking {@value #REPEATED} times
 * always makes an outage. Thread-safe; it holds a few numbers under its own monitor and runs no code
 * of anyone else's there.
 */
final class StoreTimeouts {

    /** How many stalls within the window make an outage. */
    static final int REPEATED = 3;
    /** How many times the store timeout a late answer is awaited while the store is connected. */
    static final int LATE_BOUND_FACTOR = 4;
    private static final long MIN_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long windowNanos;
    /** When the latest stalls were given up on, oldest first from {@code next}; unused slots hold MIN_VALUE. */
    private final long[] recent = new long[REPEATED];
    private int next;

    /**
     * @param storeTimeout the limiter's store timeout
     */
    StoreTimeouts(Duration storeTimeout) {
        this.windowNanos = Math.max(MIN_WINDOW_NANOS,
                (long) REPEATED * LATE_BOUND_FACTOR * Math.min(storeTimeout.toNanos(), Long.MAX_VALUE / 16));
        Arrays.fill(recent, Long.MIN_VALUE);
    }

    /**
     * Records an answer given up on, unless it was asked for before the last stall counted (it
     * waited through that same stall).
     *
     * @param askedAt when the answer was asked for, in the scheduler's nanoseconds
     * @param now the scheduler's nanoseconds
     * @return whether the stalls now make an outage: {@value #REPEATED} within the window
     */
    synchronized boolean gaveUp(long askedAt, long now) {
        long latest = recent[(next + REPEATED - 1) % REPEATED];
        if (latest == Long.MIN_VALUE || askedAt >= latest) {
            recent[next] = Math.max(now, latest);
            next = (next + 1) % REPEATED;
        }
        return repeatedLocked(Math.max(now, latest));
    }

    /**
     * Whether stalls were given up on repeatedly, lately.
     *
     * @param now the scheduler's nanoseconds
     * @return whether {@value #REPEATED} fall within the window before now
     */
    synchronized boolean repeated(long now) {
        return repeatedLocked(now);
    }

    private boolean repeatedLocked(long now) {
        long oldest = recent[next]; // the slot written REPEATED records ago
        return oldest != Long.MIN_VALUE && now - oldest < windowNanos;
    }
}
