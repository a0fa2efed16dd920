package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.catalog.RateLimit;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts accepted calls per SecretId and action over a sliding window of the limit's period (the
 * strictest reading of "N per second"): a call is refused when the window ending now already holds
 * the limit. Refused calls do not count.
 */
final class SlidingWindowLimiter {

    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
    private final double scale;

    SlidingWindowLimiter(double scale) {
        this.scale = scale;
    }

    /** {@return the scaled number of calls allowed per period} */
    int permits(RateLimit limit) {
        return Math.max(1, (int) Math.floor(limit.permits() * scale));
    }

    /**
     * Admits or refuses one call.
     *
     * @throws ApiException {@code RequestLimitExceeded} when the window is full
     */
    void admit(String secretId, String action, RateLimit limit, long nowNanos) {
        int permits = permits(limit);
        long period = limit.period().toNanos();
        ArrayDeque<Long> window = windows.computeIfAbsent(secretId + "/" + action, k -> new ArrayDeque<>());
        int count;
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= nowNanos - period) {
                window.pollFirst();
            }
            count = window.size();
            if (count < permits) {
                window.addLast(nowNanos);
                return;
            }
        }
        String unit = limit.period().getSeconds() == 1 ? "a second" : limit.period().getSeconds() + " seconds";
        throw new ApiException("RequestLimitExceeded", "Your current request times equals to `" + (count + 1)
                + "` in " + unit + ", which exceeds the frequency limit `" + permits + "` for " + unit
                + ". Please reduce the frequency of calls.");
    }
}
