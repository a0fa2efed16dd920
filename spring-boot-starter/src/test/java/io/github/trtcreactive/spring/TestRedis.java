package io.github.trtcreactive.spring;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/** A real Redis server for the tests: redis-server from the PATH, else the one embedded-redis ships. */
final class TestRedis implements AutoCloseable {

    private final Process process;
    private final File executable;
    private final int port;

    private TestRedis(Process process, File executable, int port) {
        this.process = process;
        this.executable = executable;
        this.port = port;
    }

    static TestRedis start() throws IOException, InterruptedException {
        return start(freePort());
    }

    /** A loopback port nobody listens on (until a server is started there). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A server on a given port, for a test that starts it after the application. */
    static TestRedis start(int port) throws IOException, InterruptedException {
        File executable = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                executable = candidate.toFile();
                break;
            }
        }
        if (executable == null) {
            executable = ExecutableProvider.newJarResourceProvider().get();
        }
        Process process = new ProcessBuilder(List.of(executable.getAbsolutePath(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new TestRedis(process, executable, port);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not start on port " + port);
    }

    int port() {
        return port;
    }

    /** The keys matching a pattern, read with redis-cli's protocol over a plain socket. */
    List<String> keys(String pattern) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String command = "*2\r\n$4\r\nKEYS\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n";
            socket.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String header = in.readLine();
            int count = Integer.parseInt(header.substring(1));
            java.util.ArrayList<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                in.readLine();
                keys.add(in.readLine());
            }
            return keys;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
