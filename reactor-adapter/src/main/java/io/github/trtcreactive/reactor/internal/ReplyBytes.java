package io.github.trtcreactive.reactor.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A reply's bytes gathered chunk by chunk in linear time: the chunks are kept as they arrive and
 * copied once, into one array, at the end (a single chunk is not copied at all). Counts what it
 * holds so that the caller can stop at a limit before anything is joined. One per reply; not
 * thread-safe (a reply's chunks arrive in order on one event loop).
 */
final class ReplyBytes {

    private static final byte[] EMPTY = new byte[0];

    private final List<byte[]> chunks = new ArrayList<>(4);
    private long size;
    private long copied;

    /** Adds a chunk; {@return the bytes held now} */
    long add(byte[] chunk) {
        if (chunk.length > 0) {
            chunks.add(chunk);
            size += chunk.length;
        }
        return size;
    }

    /** {@return the reply, joined} */
    byte[] join() {
        if (chunks.isEmpty()) {
            return EMPTY;
        }
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] joined = new byte[(int) size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, joined, at, chunk.length);
            at += chunk.length;
        }
        copied += joined.length;
        return joined;
    }

    /** {@return bytes copied while joining, for tests that prove the cost is linear} */
    long copiedBytes() {
        return copied;
    }
}
