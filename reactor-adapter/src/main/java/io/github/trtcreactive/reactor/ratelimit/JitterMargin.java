package io.github.trtcreactive.reactor.ratelimit;

import java.util.Arrays;

/**
 * The safety margin of one lane, following the jitter of its round trips. The margin covers how much
 * sooner one request may reach the service than another written the same time after its
 * predecessor; that difference is bounded by how much round trips vary, so the margin is the larger
 * of the whole spread (slowest less fastest) of the last {@value #WINDOW} round trips and twice the
 * spread between their median and the fastest, between a floor and a ceiling. The whole spread
 * covers the rare late one (a busy machine stamps one request tens of milliseconds late); twice the
 * median's covers a path where half the round trips are slow. Until {@value #MIN_SAMPLES} round trips are seen it stays at its initial value.
 * Not thread-safe: the lane serialises access.
 */
final class JitterMargin {

    static final int WINDOW = 64;
    static final int MIN_SAMPLES = 16;
    /** Recomputed every this many samples: a sort of 64 longs, not on every answer. */
    private static final int EVERY = 8;

    private final long[] roundTrips = new long[WINDOW];
    private final long[] sorted = new long[WINDOW];
    private final long floorNanos;
    private final long ceilingNanos;
    private long count;
    private long marginNanos;

    /** A margin that never moves (one the user set). */
    static JitterMargin fixed(long nanos) {
        return new JitterMargin(nanos, nanos, nanos);
    }

    JitterMargin(long initialNanos, long floorNanos, long ceilingNanos) {
        this.marginNanos = initialNanos;
        this.floorNanos = floorNanos;
        this.ceilingNanos = ceilingNanos;
    }

    /** The margin now, in nanoseconds. */
    long nanos() {
        return marginNanos;
    }

    /**
     * Records one round trip (write to answer).
     *
     * @return whether the margin changed
     */
    boolean record(long roundTripNanos) {
        if (roundTripNanos < 0 || floorNanos == ceilingNanos) {
            return false;
        }
        roundTrips[(int) (count % WINDOW)] = roundTripNanos;
        count++;
        if (count < MIN_SAMPLES || count % EVERY != 0) {
            return false;
        }
        int n = (int) Math.min(count, WINDOW);
        System.arraycopy(roundTrips, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        long spread = Math.max(sorted[n - 1] - sorted[0], 2 * (sorted[n / 2] - sorted[0]));
        long next = Math.max(floorNanos, Math.min(ceilingNanos, spread));
        boolean changed = next != marginNanos;
        marginNanos = next;
        return changed;
    }
}
