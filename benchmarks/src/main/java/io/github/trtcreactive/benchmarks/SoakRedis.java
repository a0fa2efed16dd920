package io.github.trtcreactive.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis of {@link ClientSoak}: either a {@code redis-server} child process on a free loopback
 * port (persistence off) that the soak can kill and start again on the same port, or a Redis the
 * caller named by URI, which the soak only reads and never restarts. Also counts keys, through a
 * short-lived connection of its own, so that what the limiter keeps in Redis can be reported.
 */
final class SoakRedis implements AutoCloseable {

    private final String executable;
    private final int port;
    private final String uri;
    private Process process;

    private SoakRedis(String executable, int port, String uri) {
        this.executable = executable;
        this.port = port;
        this.uri = uri;
    }

    /** A Redis that is already running elsewhere: reported on, never restarted. */
    static SoakRedis external(String uri) {
        return new SoakRedis(null, -1, uri);
    }

    /** Starts {@code redis-server} (the given executable, else the one on the PATH) on a free port. */
    static SoakRedis start(String executable) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SoakRedis redis = new SoakRedis(executable != null ? executable : onPath("redis-server"), port,
                "redis://127.0.0.1:" + port);
        redis.startProcess();
        return redis;
    }

    /** {@return the URI to connect to} */
    String uri() {
        return uri;
    }

    /** {@return whether this soak owns the server, and so can restart it} */
    boolean restartable() {
        return executable != null;
    }

    /** Kills the server at once (SIGKILL: no goodbye to its clients) and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port (empty: persistence is off). */
    void restart() throws IOException, InterruptedException {
        startProcess();
    }

    /**
     * Counts keys matching a pattern.
     *
     * @param pattern a Redis glob
     * @return how many keys match; -1 when Redis did not answer
     */
    long count(String pattern) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setTimeout(Duration.ofSeconds(2));
            List<String> keys = connection.sync().keys(pattern);
            return keys.size();
        } catch (RuntimeException e) {
            return -1;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(20); // the program's main thread, waiting for its helper process
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(executable + " did not start on port " + port);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not on the PATH; install it, or pass --redis URI or"
                + " --redis-server PATH");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
