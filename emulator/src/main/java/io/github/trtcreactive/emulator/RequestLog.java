package io.github.trtcreactive.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most recent requests, for assertions: a ring of bounded size, so an emulator that runs for
 * days keeps a flat heap. Past the capacity the oldest entry is dropped and counted. Thread-safe.
 */
final class RequestLog {

    private final int capacity;
    private final ArrayDeque<RecordedRequest> ring;
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity how many requests to keep; 0 keeps none (every record is counted as dropped) */
    RequestLog(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void add(RecordedRequest request) {
        synchronized (ring) {
            if (capacity == 0) {
                dropped.incrementAndGet();
                return;
            }
            if (ring.size() == capacity) {
                ring.pollFirst();
                dropped.incrementAndGet();
            }
            ring.addLast(request);
        }
    }

    List<RecordedRequest> all() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }

    List<RecordedRequest> of(String action) {
        List<RecordedRequest> found = new ArrayList<>();
        synchronized (ring) {
            for (RecordedRequest r : ring) {
                if (action.equals(r.action())) {
                    found.add(r);
                }
            }
        }
        return List.copyOf(found);
    }

    void clear() {
        synchronized (ring) {
            ring.clear();
        }
    }

    long dropped() {
        return dropped.get();
    }
}
