package io.github.trtcreactive.core.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-account rate limit: at most {@code permits} calls in each {@code period}.
 *
 * @param permits calls allowed per period, at least 1
 * @param period the period, positive
 * @param basis whether the documentation states the limit or it is assumed
 */
public record RateLimit(int permits, Duration period, Basis basis) {

    /** Where a limit comes from. */
    public enum Basis {
        /** The service's documentation states this limit. */
        DOCUMENTED,
        /** No documentation states a limit; the common 20 per second is assumed. */
        ASSUMED
    }

    /**
     * Checks the components.
     *
     * @param permits the calls allowed per period, at least 1
     * @param period the period, positive
     * @param basis whether the documentation states the limit or it is assumed
     * @throws IllegalArgumentException when permits or period is not positive
     */
    public RateLimit {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(basis, "basis");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
    }

    /** {@return the limit as calls per second, for example 0.0667 for one call per 15 s} */
    public double perSecond() {
        return permits * 1_000_000_000.0 / period.toNanos();
    }

    @Override
    public String toString() {
        String rate = period.equals(Duration.ofSeconds(1)) ? permits + "/s" : permits + " per " + period.toSeconds() + " s";
        return basis == Basis.ASSUMED ? rate + " (assumed)" : rate;
    }
}
