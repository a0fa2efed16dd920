package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.callback.CallbackSignature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The callback receiver under a stalled-body attack, in figures:
 * <pre>
 * java -cp benchmarks/target/trtc-benchmarks.jar io.github.trtcreactive.benchmarks.ReceiverAttack
 *     [--connections 3000] [--read-timeout-ms 10000] [--heap 128m]
 * </pre>
 * A {@link ReceiverUnderAttack} JVM with a small heap serves the receiver with its default bounds.
 * This process opens the connections, each declaring a 65,536-byte body and sending 64,000 bytes of
 * it, then stalling; once they are open it sends a correctly signed callback every second, as the
 * service retries, until one is answered 200. It reports when that happened, when the server closed each
 * stalled connection (relative to its opening), and the receiver's heap after a full collection
 * before and after the attack.
 */
public final class ReceiverAttack {

    private static final String KEY = "attack1";

    private ReceiverAttack() {}

    /**
     * What one attack measured.
     *
     * @param connections attack connections opened
     * @param firstAnsweredSeconds from the first signed send (the attack in place) to the first 200 (negative: never)
     * @param sendsUntilAnswered signed sends until the 200
     * @param slowestCloseSeconds the longest a connection closed without an answer (a stalled body the
     *     server gave up on, or one refused at the connection limit) stayed open, from its opening
     * @param answeredRefusals connections answered (503: the buffered bytes were taken) then closed
     * @param slowestAnsweredSeconds the longest one of those stayed open, from its opening
     * @param stillOpen attack connections the server had not closed when the watch ended
     * @param heapBeforeBytes the receiver's heap after a collection, before the attack
     * @param heapAfterBytes the same after the attack
     * @param aliveAfter whether a signed callback was answered 200 after the attack
     * @param outOfMemory whether the receiver printed an OutOfMemoryError
     * @param stats the receiver's counters after the attack
     */
    public record Result(int connections, double firstAnsweredSeconds, int sendsUntilAnswered,
            double slowestCloseSeconds, int answeredRefusals, double slowestAnsweredSeconds, int stillOpen, long heapBeforeBytes, long heapAfterBytes, boolean aliveAfter,
            boolean outOfMemory, String stats) {}

    /**
     * Runs the attack and prints the figures.
     *
     * @param args {@code --connections N}, {@code --read-timeout-ms MS}, {@code --heap SIZE}
     * @throws Exception when the receiver cannot be started
     */
    public static void main(String[] args) throws Exception {
        int connections = 3000;
        long readTimeoutMs = 10_000;
        String heap = "128m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--read-timeout-ms" -> readTimeoutMs = Long.parseLong(args[++i]);
                case "--heap" -> heap = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --connections N, --read-timeout-ms MS, --heap SIZE");
            }
        }
        Result r = run(connections, readTimeoutMs, heap);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "ReceiverAttack, JDK %s, %d cores, receiver -Xmx%s, read timeout %d ms%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), heap, readTimeoutMs);
        out.printf(Locale.ROOT, "stalled-body connections opened      %d%n", r.connections());
        out.printf(Locale.ROOT, "signed callback answered 200 after    %.1f s (send %d, one a second)%n",
                r.firstAnsweredSeconds(), r.sendsUntilAnswered());
        out.printf(Locale.ROOT, "slowest stalled connection closed at  %.1f s after it opened (%d never closed)%n",
                r.slowestCloseSeconds(), r.stillOpen());
        out.printf(Locale.ROOT, "answered 503 before reading, closed   %d, the slowest %.1f s after it opened%n",
                r.answeredRefusals(), r.slowestAnsweredSeconds());
        out.printf(Locale.ROOT, "receiver heap after GC                %.1f MB before, %.1f MB after%n",
                r.heapBeforeBytes() / 1e6, r.heapAfterBytes() / 1e6);
        out.printf(Locale.ROOT, "alive after the attack                %s; OutOfMemoryError: %s%n", r.aliveAfter(),
                r.outOfMemory());
        out.println("receiver counters                     " + r.stats());
    }

    /**
     * Runs one attack.
     *
     * @param connections how many stalled-body connections
     * @param readTimeoutMs the receiver's read timeout
     * @param heap the receiver's maximum heap ({@code -Xmx})
     * @return the figures
     * @throws Exception when the receiver cannot be started
     */
    public static Result run(int connections, long readTimeoutMs, String heap) throws Exception {
        Process receiver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), ReceiverUnderAttack.class.getName(), KEY,
                Long.toString(readTimeoutMs)).start();
        List<String> errors = new CopyOnWriteArrayList<>();
        Thread errorReader = new Thread(() -> drain(receiver.getErrorStream(), errors), "receiver-stderr");
        errorReader.setDaemon(true);
        errorReader.start();
        BufferedReader answers = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                StandardCharsets.UTF_8));
        PrintStream commands = new PrintStream(receiver.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            int port = Integer.parseInt(expect(answers, "PORT"));
            for (int i = 0; i < 20; i++) {
                signedCallback(port, "warm" + i, 5000);
            }
            long heapBefore = heap(commands, answers);
            List<Stalled> stalled = openStalled(port, connections);
            // The attack is in place: every body the receiver may buffer is held by a stalled peer.
            long attackStart = System.nanoTime();
            Sender sender = new Sender(port);
            sender.start();
            awaitClosed(stalled, readTimeoutMs + 15_000);
            sender.join(readTimeoutMs + 20_000);
            int stillOpen = (int) stalled.stream().filter(s -> s.closedAt == 0).count();
            stalled.forEach(Stalled::close);
            commands.println("STATS");
            String stats = expect(answers, "STATS");
            long heapAfter = heap(commands, answers);
            boolean alive = signedCallback(port, "after", 5000) == 200;
            commands.println("EXIT");
            int answered = (int) stalled.stream().filter(s -> s.answered).count();
            return new Result(connections, sender.answeredAt < 0 ? -1 : (sender.answeredAt - attackStart) / 1e9,
                    sender.sends, slowestClose(stalled, false), answered, slowestClose(stalled, true), stillOpen, heapBefore, heapAfter, alive,
                    errors.stream().anyMatch(l -> l.contains("OutOfMemoryError")), stats);
        } finally {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One attack connection: opened, head and most of the body sent, then silent. */
    private static final class Stalled {
        final SocketChannel channel;
        final long openedAt = System.nanoTime();
        long closedAt;
        boolean answered;

        Stalled(SocketChannel channel) {
            this.channel = channel;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static List<Stalled> openStalled(int port, int count) throws IOException {
        byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nSign: x\r\n"
                + "Content-Length: 65536\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[64_000];
        List<Stalled> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            Stalled s = new Stalled(channel);
            opened.add(s);
            try {
                channel.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(body)});
            } catch (IOException closedAlready) {
                s.closedAt = System.nanoTime();
            }
        }
        return opened;
    }

    /** Watches the connections until the server closes them all or the time is up. */
    private static void awaitClosed(List<Stalled> stalled, long withinMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        ByteBuffer sink = ByteBuffer.allocate(8192);
        try (Selector selector = Selector.open()) {
            int open = 0;
            for (Stalled s : stalled) {
                if (s.closedAt == 0) {
                    s.channel.register(selector, SelectionKey.OP_READ, s);
                    open++;
                }
            }
            while (open > 0 && System.nanoTime() < deadline) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    Stalled s = (Stalled) key.attachment();
                    int read;
                    try {
                        sink.clear();
                        read = s.channel.read(sink);
                    } catch (IOException reset) {
                        read = -1;
                    }
                    if (read > 0) {
                        s.answered = true;
                    } else if (read < 0) {
                        s.closedAt = System.nanoTime();
                        key.cancel();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** {@return the longest that a connection answered (or not) stayed open, from its opening, in s} */
    private static double slowestClose(List<Stalled> stalled, boolean answered) {
        return stalled.stream().filter(s -> s.closedAt != 0 && s.answered == answered)
                .mapToLong(s -> s.closedAt - s.openedAt).max().orElse(0) / 1e9;
    }

    /**
     * Sends a signed callback every second, as the service retries, until one is answered 200. Each
     * send has its own connection and waits up to 5 s for its answer, so one slow answer does not
     * delay the next send.
     */
    private static final class Sender extends Thread {
        private final int port;
        private final AtomicLong answered = new AtomicLong(-1);
        volatile long answeredAt = -1;
        volatile int sends;

        Sender(int port) {
            super("signed-sender");
            this.port = port;
            setDaemon(true);
        }

        @Override
        public void run() {
            long first = System.nanoTime();
            List<Thread> attempts = new ArrayList<>();
            for (int attempt = 0; attempt < 60 && answered.get() < 0; attempt++) {
                long wait = first + TimeUnit.SECONDS.toNanos(attempt) - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (answered.get() >= 0) {
                    break;
                }
                sends++;
                Thread send = new Thread(() -> {
                    if (signedCallback(port, "during", 5000) == 200) {
                        answered.compareAndSet(-1, System.nanoTime());
                    }
                }, "signed-send-" + attempt);
                send.setDaemon(true);
                send.start();
                attempts.add(send);
            }
            for (Thread send : attempts) {
                try {
                    send.join(6000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            answeredAt = answered.get();
        }
    }

    /** {@return the status of one signed callback, or -1 when the connection failed or took too long} */
    static int signedCallback(int port, String user, int timeoutMs) {
        byte[] body = ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + System.currentTimeMillis()
                + ",\"EventInfo\":{\"RoomId\":\"r\",\"EventMsTs\":" + System.nanoTime() + ",\"UserId\":\"" + user
                + "\"}}").getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Sign: " + CallbackSignature.sign(KEY, body) + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long heap(PrintStream commands, BufferedReader answers) throws IOException {
        commands.println("HEAP");
        return Long.parseLong(expect(answers, "HEAP"));
    }

    private static String expect(BufferedReader answers, String tag) throws IOException {
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            if (line.startsWith(tag + " ")) {
                return line.substring(tag.length() + 1);
            }
        }
        throw new IOException("the receiver ended before answering " + tag);
    }

    private static void drain(InputStream in, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // the receiver exited
        }
    }
}
