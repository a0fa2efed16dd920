package io.github.trtcreactive.reactor.callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A raw HTTP/1.1 connection for tests that must send what no well-behaved client sends: stalled
 * bodies, trickled headers, lying lengths. Used from the test thread only (plain blocking sockets).
 */
final class RawHttp implements AutoCloseable {

    final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    /** Request head for a POST to {@code /} with the given extra header lines. */
    static String head(String... lines) {
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String line : lines) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    RawHttp write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** A response: its status, headers (any case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        boolean closes() {
            return "close".equalsIgnoreCase(headers.get("Connection"));
        }
    }

    /** Reads one response with a Content-Length body, waiting at most {@code wait}. */
    Response read(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a response; read: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits for the server to close the connection, reading and dropping anything it sends.
     *
     * @return how long it took, or null when it was still open after {@code wait}
     */
    Duration awaitClose(Duration wait) throws IOException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read() < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SocketTimeoutException stillOpen) {
                // keep waiting
            } catch (IOException reset) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        return null;
    }

    /**
     * Writes {@code chunk} until the server closes the connection or {@code wait} passes (then the
     * socket is closed from here, so a write the server no longer reads cannot hang the test).
     *
     * @return the bytes written before the server closed it, or -1 when it was still open
     */
    long writeUntilClosed(byte[] chunk, Duration wait) {
        AtomicBoolean gaveUp = new AtomicBoolean();
        CompletableFuture.runAsync(() -> {
            gaveUp.set(true);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
        long written = 0;
        try {
            while (true) {
                socket.getOutputStream().write(chunk);
                written += chunk.length;
            }
        } catch (IOException closed) {
            return gaveUp.get() ? -1 : written;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
