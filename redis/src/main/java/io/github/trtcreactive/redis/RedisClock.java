package io.github.trtcreactive.redis;

/**
 * Where Redis's clock stands against this process's {@link System#nanoTime()}, estimated as NTP does:
 * each reply carries Redis's time, which fell somewhere between sending and receiving, so the
 * midpoint is off by at most half the round trip. The first sample is always taken; after it, the
 * sample with the shortest round trip is the most precise and is kept, and a newer one replaces it
 * when it is about as precise (within 0.2 ms), or when the kept one is a minute old (clocks drift).
 * Local times are compared by difference only, as {@code nanoTime} requires (its origin is
 * arbitrary and may be negative or near the end of its range). Thread-safe.
 */
final class RedisClock {

    private static final long REFRESH_NANOS = 60_000_000_000L;
    private static final long AS_PRECISE_NANOS = 200_000;

    private boolean sampled;
    private long offsetNanos; // Redis time in ns minus local nanoTime
    private long bestRoundTrip;
    private long sampledAt;

    /**
     * Takes one reply's reading.
     *
     * @param redisMicros Redis's time in the reply, microseconds
     * @param sentAt local nanoTime when the command was sent
     * @param receivedAt local nanoTime when the reply arrived
     */
    synchronized void sample(long redisMicros, long sentAt, long receivedAt) {
        long roundTrip = Math.max(0, receivedAt - sentAt);
        boolean stale = receivedAt - sampledAt > REFRESH_NANOS;
        if (!sampled || stale || roundTrip - bestRoundTrip <= AS_PRECISE_NANOS) {
            offsetNanos = redisMicros * 1000 - (sentAt + roundTrip / 2);
            bestRoundTrip = !sampled || stale ? roundTrip : Math.min(roundTrip, bestRoundTrip);
            sampledAt = receivedAt;
            sampled = true;
        }
    }

    /**
     * A moment of Redis time on the local nanoTime scale.
     *
     * @param redisMicros the moment, microseconds of Redis time
     * @return the same moment, local nanoTime
     * @throws IllegalStateException before the first sample, when there is nothing to convert with
     */
    synchronized long toLocalNanos(long redisMicros) {
        if (!sampled) {
            throw new IllegalStateException("no reading of the Redis clock yet");
        }
        return redisMicros * 1000 - offsetNanos;
    }
}
