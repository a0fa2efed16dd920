package io.github.trtcreactive.reactor.ratelimit;

/**
 * The arithmetic of one bucket, free of Reactor and of any clock: a generic cell-rate algorithm
 * (virtual scheduling) that callers drive with times in nanoseconds. Not thread-safe; its owner
 * serialises access.
 *
 * <p>With {@code permits} calls per {@code period}, a burst of {@code burst} and a safety
 * {@code margin}, permits are spaced {@code (period + margin) / (permits - burst + 1)} apart after
 * the burst, so no window of {@code period + margin} ever holds more than {@code permits} grants.
 *
 * <p>Adaptive slow-down: {@link #throttled} halves the rate at most once per decrease (or adopts a
 * lower limit the service keeps stating); the rate then recovers linearly to the configured one over
 * the recovery time.
 */
final class TokenBucket {

    private static final double MIN_FACTOR = 1.0 / 64;

    private long windowNanos;
    private final long recoveryNanos;
    private int permits;
    private int burst;
    private long tat;
    private boolean used;
    private double factorAfterThrottle = 1.0;
    private long throttledAt;
    private long decreasedAt = Long.MIN_VALUE;
    /** A lower limit the service stated once; adopted if it is stated again. */
    private int pendingLimit;

    TokenBucket(int permits, long periodNanos, long marginNanos, int burst, long recoveryNanos) {
        if (permits < 1 || burst < 1 || burst > permits) {
            throw new IllegalArgumentException("need 1 <= burst <= permits, were burst " + burst + ", permits " + permits);
        }
        this.permits = permits;
        this.burst = burst;
        this.windowNanos = periodNanos + marginNanos;
        this.recoveryNanos = recoveryNanos;
    }

    /** Moves the margin: the window becomes {@code period + margin} from now on. */
    void window(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** The spacing of permits after the burst, slowed by any throttling still recovering at {@code now}. */
    long intervalNanos(long now) {
        return (long) Math.ceil(windowNanos / (double) (permits - burst + 1) / factor(now));
    }

    /** The rate the bucket currently grants, in permits per second. */
    double ratePerSecond(long now) {
        return 1e9 / intervalNanos(now);
    }

    /** When the next permit may be granted: {@code now} or later. */
    long nextGrant(long now) {
        return grantTime(1, now);
    }

    /**
     * When the next permit fell or falls due on the bucket's own schedule, possibly in the past;
     * {@code Long.MIN_VALUE} for a bucket never used.
     */
    long due(long now) {
        return used ? tat - (burst - 1) * intervalNanos(now) : Long.MIN_VALUE;
    }

    /** When the k-th permit from now (k >= 1) would be granted if nothing else changed. */
    long grantTime(int k, long now) {
        long d = intervalNanos(now);
        long base = used ? Math.max(tat, now) : now;
        return Math.max(now, base + (k - 1) * d - (burst - 1) * d);
    }

    /**
     * Takes a permit charged at {@code now}: the time it fell due when granted late, so the schedule
     * does not slip, or the present.
     */
    void consume(long now) {
        long d = intervalNanos(now);
        tat = (used ? Math.max(tat, now) : now) + d;
        used = true;
    }

    /**
     * Gives back the last permit taken, which was never used (its caller left as it was granted):
     * the schedule moves back one interval, never to before {@code now}, so it never grants more
     * than it would have without that permit.
     */
    void giveBack(long now) {
        if (used) {
            tat = Math.max(now, tat - intervalNanos(now));
        }
    }

    /**
     * The service refused a call as over its limit: slow down, at most once per decrease. A refusal
     * of a call granted before the last decrease was caused by the old rate and is already accounted
     * for, so it changes nothing (ten refused calls that were in flight together halve the rate once,
     * not ten times). A lower limit the service states is adopted only when a call granted after the
     * first statement is refused with it again; until then it counts as an ordinary refusal.
     *
     * @param now the time of the refusal
     * @param statedLimit the limit the service's message states, or 0 when it states none
     * @param refusedGrantedAt when the refused call's permit was granted
     * @return whether the bucket slowed down
     */
    boolean throttled(long now, int statedLimit, long refusedGrantedAt) {
        if (decreasedAt != Long.MIN_VALUE && refusedGrantedAt < decreasedAt) {
            return false;
        }
        long lastGrant = used ? tat - intervalNanos(now) : now;
        if (statedLimit > 0 && statedLimit < permits && pendingLimit > 0 && statedLimit <= pendingLimit) {
            permits = statedLimit;
            burst = Math.min(burst, permits);
            factorAfterThrottle = 1.0;
            pendingLimit = 0;
        } else {
            pendingLimit = statedLimit > 0 && statedLimit < permits ? statedLimit : 0;
            factorAfterThrottle = Math.max(MIN_FACTOR, factor(now) / 2);
        }
        throttledAt = now;
        decreasedAt = now;
        // The next permit comes one new, longer interval after the refused call's own.
        tat = Math.max(tat, lastGrant + intervalNanos(now));
        used = true;
        return true;
    }

    int permits() {
        return permits;
    }

    private double factor(long now) {
        if (factorAfterThrottle >= 1.0) {
            return 1.0;
        }
        double progress = recoveryNanos <= 0 ? 1.0 : (now - throttledAt) / (double) recoveryNanos;
        return Math.min(1.0, factorAfterThrottle + (1.0 - factorAfterThrottle) * Math.max(0, progress));
    }
}
