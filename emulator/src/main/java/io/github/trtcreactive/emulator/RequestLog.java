package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most recent requests, for assertions: a ring bounded by count and by the heap its entries
 * hold, so an emulator that runs for days, or receives large bodies, keeps a flat heap. Past either
 * bound the oldest entries are dropped and counted; a single request heavier than the whole byte
 * bound is kept without its body. Thread-safe.
 */
final class RequestLog {

    /** What one record costs besides its headers and body: the record, its instant, ids and the ring's slot. */
    private static final long RECORD = 256;

    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<Entry> ring;
    private final AtomicLong dropped = new AtomicLong();
    private long bytes;

    private record Entry(RecordedRequest request, long weight) {}

    /**
     * @param capacity how many requests to keep; 0 keeps none (every record is counted as dropped)
     * @param maxBytes the most heap the kept requests may hold, by {@link #weight}; 0 keeps none
     */
    RequestLog(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void add(RecordedRequest request) {
        if (capacity == 0 || maxBytes == 0) {
            dropped.incrementAndGet();
            return;
        }
        // Weighed outside the lock: walking a large body's tree takes a while.
        long weight = weight(request);
        if (weight > maxBytes && request.body() != null) {
            request = new RecordedRequest(request.action(), request.headers(), null, request.receivedAt(),
                    request.requestId(), request.errorCode(), request.fault());
            weight = weight(request);
        }
        if (weight > maxBytes) {
            dropped.incrementAndGet(); // its headers alone outweigh the bound
            return;
        }
        synchronized (ring) {
            while (!ring.isEmpty() && (ring.size() >= capacity || bytes + weight > maxBytes)) {
                bytes -= ring.pollFirst().weight();
                dropped.incrementAndGet();
            }
            ring.addLast(new Entry(request, weight));
            bytes += weight;
        }
    }

    List<RecordedRequest> all() {
        synchronized (ring) {
            List<RecordedRequest> all = new ArrayList<>(ring.size());
            ring.forEach(e -> all.add(e.request()));
            return List.copyOf(all);
        }
    }

    List<RecordedRequest> of(String action) {
        List<RecordedRequest> found = new ArrayList<>();
        synchronized (ring) {
            for (Entry e : ring) {
                if (action.equals(e.request().action())) {
                    found.add(e.request());
                }
            }
        }
        return List.copyOf(found);
    }

    void clear() {
        synchronized (ring) {
            ring.clear();
            bytes = 0;
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** {@return the heap the kept requests hold now, by {@link #weight}} */
    long bytes() {
        synchronized (ring) {
            return bytes;
        }
    }

    /**
     * An estimate of the heap a record holds: its headers' characters and its body tree, counting
     * each node, member name and text with the overhead Jackson's trees and Java's strings add. It
     * is close to the JSON's size for bodies of long strings and several times it for bodies of
     * many small members, which is what a byte bound must guard against.
     */
    static long weight(RecordedRequest request) {
        long weight = RECORD;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            weight += 96 + header.getKey().length() + header.getValue().length();
        }
        return weight + tree(request.body());
    }

    private static long tree(JsonNode body) {
        if (body == null) {
            return 0;
        }
        long weight = 0;
        ArrayDeque<JsonNode> pending = new ArrayDeque<>();
        pending.push(body);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            weight += 24;
            if (node.isTextual()) {
                weight += 48 + node.textValue().length();
            } else if (node.isObject()) {
                weight += 64;
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    weight += 88 + field.getKey().length();
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                weight += 40;
                for (JsonNode element : node) {
                    weight += 8;
                    pending.push(element);
                }
            }
        }
        return weight;
    }
}
