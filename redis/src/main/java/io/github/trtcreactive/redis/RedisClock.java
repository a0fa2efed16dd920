package io.github.trtcreactive.redis;

/**
 * Where Redis's clock stands against this process's {@link System#nanoTime()}, estimated as NTP does:
 * each reply carries Redis's time, which fell somewhere between sending and receiving, so the
 * midpoint is off by at most half the round trip. The sample with the shortest round trip is the
 * most precise and is kept; a newer one replaces it when it is about as precise, or when the kept one
 * is a minute old (clocks drift). Thread-safe.
 */
final class RedisClock {

    private static final long REFRESH_NANOS = 60_000_000_000L;

    private long offsetNanos; // Redis time in ns minus local nanoTime
    private long bestRoundTrip = Long.MAX_VALUE;
    private long sampledAt;

    /**
     * @param redisMicros Redis's time in the reply, microseconds
     * @param sentAt local nanoTime when the command was sent
     * @param receivedAt local nanoTime when the reply arrived
     */
    synchronized void sample(long redisMicros, long sentAt, long receivedAt) {
        long roundTrip = receivedAt - sentAt;
        if (roundTrip <= bestRoundTrip + 200_000 || receivedAt - sampledAt > REFRESH_NANOS) {
            offsetNanos = redisMicros * 1000 - (sentAt + roundTrip / 2);
            bestRoundTrip = Math.min(roundTrip, bestRoundTrip == Long.MAX_VALUE ? roundTrip : bestRoundTrip);
            if (receivedAt - sampledAt > REFRESH_NANOS) {
                bestRoundTrip = roundTrip;
            }
            sampledAt = receivedAt;
        }
    }

    /** A moment of Redis time, in microseconds, on the local nanoTime scale. */
    synchronized long toLocalNanos(long redisMicros) {
        return redisMicros * 1000 - offsetNanos;
    }
}
