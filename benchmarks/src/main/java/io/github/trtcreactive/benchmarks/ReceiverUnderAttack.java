package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The receiver side of {@link ReceiverAttack}: a {@link TrtcCallbacks} receiver with its default
 * bounds (but the read timeout, when given), served on a loopback port, in a JVM of its own with a
 * small heap. Prints {@code PORT n}, then answers lines on its standard input: {@code HEAP} (heap in
 * use after a full collection, in bytes), {@code STATS} (its counters), {@code EXIT}.
 */
public final class ReceiverUnderAttack {

    private ReceiverUnderAttack() {}

    /**
     * Runs the receiver until {@code EXIT} or the end of its input.
     *
     * @param args the callback key, then the read timeout in milliseconds
     * @throws IOException when the standard input fails
     */
    public static void main(String[] args) throws IOException {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(args[0])
                .readTimeout(Duration.ofMillis(Long.parseLong(args[1]))).build();
        callbacks.events().subscribe();
        DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
        System.out.println("PORT " + server.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
            switch (line) {
                case "HEAP" -> System.out.println("HEAP " + heapAfterCollection());
                case "STATS" -> System.out.println("STATS open=" + callbacks.openConnectionCount() + " closed="
                        + callbacks.closedConnectionCount() + " accepted=" + callbacks.acceptedCount() + " refused="
                        + callbacks.rejectedCount() + " buffered=" + callbacks.bufferedBodyBytes());
                default -> System.out.println("UNKNOWN " + line);
            }
        }
        server.disposeNow();
        callbacks.close();
    }

    private static long heapAfterCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
