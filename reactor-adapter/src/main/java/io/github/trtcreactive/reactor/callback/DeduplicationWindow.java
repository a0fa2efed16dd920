package io.github.trtcreactive.reactor.callback;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of events delivered lately: a key is remembered for a window (at least as long as the
 * service retries and a replay could pass the age check), and at most a number of keys are kept.
 * A key is never forgotten before its window ends: when the window's keys fill the capacity,
 * {@link #full} says so and the receiver refuses new events until some expire. Not thread-safe:
 * the receiver calls it under its lock.
 */
final class DeduplicationWindow {

    private final long windowNanos;
    private final int capacity;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    DeduplicationWindow(long windowNanos, int capacity) {
        this.windowNanos = windowNanos;
        this.capacity = capacity;
    }

    boolean contains(String key, long now) {
        forgetOld(now);
        return seen.containsKey(key);
    }

    /** {@return whether no key can be added before one expires} */
    boolean full(long now) {
        forgetOld(now);
        return seen.size() >= capacity;
    }

    /** Remembers a key from now on; the caller checked {@link #full} first. */
    void remember(String key, long now) {
        seen.remove(key);
        seen.put(key, now);
    }

    int size() {
        return seen.size();
    }

    private void forgetOld(long now) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue() < windowNanos) {
                return;
            }
            it.remove();
        }
    }
}
