package io.github.trtcreactive.reactor.callback;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of events delivered lately: a key is remembered for a window (longer than the service
 * retries, a minute), and at most a number of keys are kept, the oldest forgotten first. Not
 * thread-safe: the receiver calls it under its lock.
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

    void remember(String key, long now) {
        seen.remove(key);
        seen.put(key, now);
        while (seen.size() > capacity) {
            Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
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
