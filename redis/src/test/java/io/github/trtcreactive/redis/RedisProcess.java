package io.github.trtcreactive.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server for the tests: Debian's {@code redis-server} when it is on the PATH, else the
 * binary the embedded-redis jar ships; on a free loopback port, persistence off. It can be stopped
 * and started again on the same port, for the fault tests.
 */
final class RedisProcess implements AutoCloseable {

    private final File executable;
    private final int port;
    private final List<String> options;
    private Process process;

    private RedisProcess(File executable, int port, List<String> options) {
        this.executable = executable;
        this.port = port;
        this.options = options;
    }

    static RedisProcess start() throws IOException {
        RedisProcess redis = onFreePort();
        redis.startAgain();
        return redis;
    }

    /**
     * A server on a free loopback port, not started yet: nothing listens there until {@link #startAgain()}.
     *
     * @param options more redis-server options, for example {@code --requirepass secret}
     */
    static RedisProcess onFreePort(String... options) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new RedisProcess(executable(), port, List.of(options));
    }

    private static File executable() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toFile();
            }
        }
        return ExecutableProvider.newJarResourceProvider().get();
    }

    /** Starts the server (again) and waits until it accepts connections. */
    void startAgain() throws IOException {
        List<String> command = new ArrayList<>(List.of(executable.getAbsolutePath(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a frozen server run again (SIGCONT). */
    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Stops the server as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null) {
            thaw();
            kill();
        }
    }
}
