package io.github.trtcreactive.reactor.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream of server-sent events into the data of each event, however the network split
 * it: bytes are kept until a blank line ends an event, and only then decoded as UTF-8, so a character
 * cut across two chunks stays whole. Linear in the bytes received: each byte is copied once into a
 * growing buffer and scanned once (the scan resumes where the last one stopped), and the buffer is
 * compacted only when events were taken out of it. One instance per response; not thread-safe.
 */
public final class SseSplitter {

    private final int maxEvent;
    private byte[] buffer = new byte[1024];
    private int length;
    private int scanned;
    private long work; // bytes copied or scanned, to show the cost stays linear

    /**
     * Creates a splitter.
     *
     * @param maxEvent the largest event accepted, in bytes
     */
    public SseSplitter(int maxEvent) {
        if (maxEvent < 1) {
            throw new IllegalArgumentException("maxEvent must be positive, was " + maxEvent);
        }
        this.maxEvent = maxEvent;
    }

    /**
     * Adds received bytes.
     *
     * @param chunk the bytes, as they arrived
     * @return the data of every event completed by them (the {@code data:} lines joined by newlines),
     *     events without data left out
     * @throws EventTooLargeException when one event grows beyond the limit
     */
    public List<String> feed(byte[] chunk) {
        append(chunk);
        List<String> events = new ArrayList<>();
        int start = 0;
        // A blank line is at most 4 bytes (\r\n\r\n): rescan the last 3 bytes of the previous look.
        int i = Math.max(0, scanned - 3);
        work += length - i;
        while (i < length) {
            int end = eventEnd(i);
            if (end > 0) {
                if (i - start > maxEvent) {
                    throw new EventTooLargeException(maxEvent);
                }
                String data = data(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                if (data != null) {
                    events.add(data);
                }
                start = end;
                i = end;
            } else {
                i++;
            }
        }
        if (start > 0) {
            work += length - start;
            System.arraycopy(buffer, start, buffer, 0, length - start);
            length -= start;
        }
        scanned = length;
        if (length > maxEvent) {
            throw new EventTooLargeException(maxEvent);
        }
        return events;
    }

    private void append(byte[] chunk) {
        work += chunk.length;
        if (length + chunk.length > buffer.length) {
            work += length;
            long wanted = Math.max((long) buffer.length * 2, (long) length + chunk.length);
            // Never grow far past what one event may hold (plus the chunk that broke the limit).
            buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, (long) maxEvent + chunk.length + 4));
        }
        System.arraycopy(chunk, 0, buffer, length, chunk.length);
        length += chunk.length;
    }

    /** {@return the bytes copied or scanned so far (a linear splitter keeps it a small multiple of the input)} */
    long work() {
        return work;
    }

    /** If a blank line starts at {@code i} (\n\n, \r\n\r\n or \r\r), the index after it; else -1. */
    private int eventEnd(int i) {
        byte[] b = buffer;
        if (b[i] == '\n' && i + 1 < length && b[i + 1] == '\n') {
            return i + 2;
        }
        if (b[i] == '\r' && i + 3 < length && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
            return i + 4;
        }
        if (b[i] == '\r' && i + 1 < length && b[i + 1] == '\r') {
            return i + 2;
        }
        return -1;
    }

    private static String data(String event) {
        StringBuilder data = null;
        for (String line : event.split("\r\n|\r|\n")) {
            if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : data.toString();
    }

    /** One event outgrew the limit. */
    public static final class EventTooLargeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        EventTooLargeException(int maxEvent) {
            super("a server-sent event exceeds " + maxEvent + " bytes", null, false, false);
        }
    }
}
