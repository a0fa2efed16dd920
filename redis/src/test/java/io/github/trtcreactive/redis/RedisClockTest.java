package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The clock estimate, at the edges of {@code nanoTime}: a host up for seconds (nanoTime near zero),
 * a negative origin, one near the end of the range, and samples that should or should not replace
 * the kept one.
 */
class RedisClockTest {

    /** Redis's time in the tests: 2026-06-01T00:00:00Z, in microseconds. */
    private static final long REDIS_MICROS = 1_780_272_000_000_000L;

    @Test
    void theFirstSample_isTaken_evenOnAHostUpForSeconds() {
        RedisClock clock = new RedisClock();
        long now = 3_000_000_000L; // nanoTime three seconds after boot
        clock.sample(REDIS_MICROS, now - 400_000, now);

        // A moment 50 ms later in Redis time is 50 ms later locally, give or take half the round trip.
        long local = clock.toLocalNanos(REDIS_MICROS + 50_000);
        assertThat(local - now).isBetween(50_000_000L - 400_000, 50_000_000L + 400_000);
    }

    @Test
    void negativeAndNearlyOverflowingOrigins_convertAlike() {
        for (long origin : new long[] {-5_000_000_000_000L, Long.MAX_VALUE - 10_000_000_000L, Long.MIN_VALUE + 1}) {
            RedisClock clock = new RedisClock();
            clock.sample(REDIS_MICROS, origin, origin + 200_000);
            assertThat(clock.toLocalNanos(REDIS_MICROS + 1_000) - origin).as("origin %d", origin)
                    .isBetween(900_000L, 1_100_000L);
        }
    }

    @Test
    void aMorePreciseSample_replacesTheKeptOne_aSloppierOneDoesNot_untilAMinutePasses() {
        RedisClock clock = new RedisClock();
        long t = 10_000_000_000L;
        clock.sample(REDIS_MICROS, t, t + 2_000_000); // 2 ms round trip: off by up to 1 ms
        clock.sample(REDIS_MICROS + 10_000, t + 10_000_000, t + 10_100_000); // 0.1 ms: kept
        long precise = clock.toLocalNanos(REDIS_MICROS + 10_000);
        assertThat(precise - (t + 10_050_000)).isZero();

        // A 30 ms round trip whose midpoint says something else is ignored...
        clock.sample(REDIS_MICROS + 20_000, t + 20_000_000, t + 50_000_000);
        assertThat(clock.toLocalNanos(REDIS_MICROS + 10_000)).isEqualTo(precise);
        // ... until the kept sample is a minute old.
        long later = t + 61_000_000_000L;
        clock.sample(REDIS_MICROS + 61_000_000, later, later + 30_000_000);
        assertThat(clock.toLocalNanos(REDIS_MICROS + 61_000_000)).isEqualTo(later + 15_000_000);
    }

    @Test
    void converting_beforeAnySample_fails_ratherThanReturningEpochNanos() {
        assertThatThrownBy(() -> new RedisClock().toLocalNanos(REDIS_MICROS)).isInstanceOf(IllegalStateException.class);
    }
}
