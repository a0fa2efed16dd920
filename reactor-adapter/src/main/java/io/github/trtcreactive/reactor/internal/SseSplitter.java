package io.github.trtcreactive.reactor.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream of server-sent events into the data of each event, however the network split
 * it: bytes are kept until a blank line ends an event, and only then decoded as UTF-8, so a character
 * cut across two chunks stays whole. One instance per response; not thread-safe.
 */
public final class SseSplitter {

    private static final int MAX_EVENT = 16 * 1024 * 1024;

    private byte[] pending = new byte[0];

    /**
     * Adds received bytes.
     *
     * @param chunk the bytes, as they arrived
     * @return the data of every event completed by them (the {@code data:} lines joined by newlines),
     *     events without data left out
     * @throws IllegalStateException when one event grows beyond 16 MB
     */
    public List<String> feed(byte[] chunk) {
        byte[] all = new byte[pending.length + chunk.length];
        System.arraycopy(pending, 0, all, 0, pending.length);
        System.arraycopy(chunk, 0, all, pending.length, chunk.length);
        List<String> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            int end = eventEnd(all, i);
            if (end > 0) {
                String data = data(new String(all, start, i - start, StandardCharsets.UTF_8));
                if (data != null) {
                    events.add(data);
                }
                start = end;
                i = end - 1;
            }
        }
        pending = java.util.Arrays.copyOfRange(all, start, all.length);
        if (pending.length > MAX_EVENT) {
            throw new IllegalStateException("a server-sent event exceeds " + MAX_EVENT + " bytes");
        }
        return events;
    }

    /** If a blank line starts at {@code i} (\n\n, \r\n\r\n or \r\r), the index after it; else -1. */
    private static int eventEnd(byte[] b, int i) {
        if (b[i] == '\n' && i + 1 < b.length && b[i + 1] == '\n') {
            return i + 2;
        }
        if (b[i] == '\r' && i + 3 < b.length && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
            return i + 4;
        }
        if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\r') {
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
}
