package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A fleet sharing one account's budget through Redis:
 * {@code FleetBench [--processes N] [--calls C] [--cold] [--hog N] [--redis URI | --redis-server PATH]}
 * starts N worker JVMs ({@link FleetWorker}, default 3) that each fire C DescribeRoomInfo calls at once
 * (default 300; with {@code --cold} as the JVM's first calls, without warming up; with {@code --hog N}
 * while N busy processes compete for the cores)
 * at an emulator in this JVM, with its limits at the documented 20/s, and prints one row: the rate
 * the emulator saw against the limit, its refusals, the turns taken per call (more than one when a
 * process came to its turn too late to write), and how long a permit took from Redis (p50, p99)
 * beside a plain {@code PING} on the same Redis, timed by the same processes after the run (the
 * baseline). Workers run at a lower CPU priority ({@code nice}) than the emulator, which stands for
 * the service. Without {@code --redis} it starts {@code redis-server} (found on the PATH, or at
 * {@code --redis-server}) on a free loopback port, persistence off.
 */
public final class FleetBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args options
     * @throws Exception when a process fails
     */
    public static void main(String[] args) throws Exception {
        int processes = 3;
        int calls = 300;
        String redisUri = null;
        String redisServer = null;
        boolean cold = false;
        int hogs = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--processes" -> processes = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--cold" -> cold = true;
                case "--hog" -> hogs = Integer.parseInt(args[++i]);
                case "--redis" -> redisUri = args[++i];
                case "--redis-server" -> redisServer = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --processes N, --calls C, --cold, --hog N, --redis URI, --redis-server PATH");
            }
        }
        Process server = null;
        if (redisUri == null) {
            int port = freePort();
            server = startRedis(redisServer != null ? redisServer : onPath("redis-server"), port);
            redisUri = "redis://127.0.0.1:" + port;
        }
        List<Process> busy = new ArrayList<>();
        try (TrtcEmulator emulator = TrtcEmulator.builder().start()) {
            for (int i = 0; i < hogs; i++) {
                busy.add(new ProcessBuilder("/usr/bin/yes").redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            List<JsonNode> outputs = run(emulator, redisUri, processes, calls, cold);
            busy.forEach(Process::destroy);
            System.out.println(report(outputs, emulator, processes, calls, (cold ? "cold" : "warm")
                    + (hogs > 0 ? ", " + hogs + " busy" : ""), (cold ? " --cold" : "") + (hogs > 0 ? " --hog " + hogs : "")));
        } finally {
            busy.forEach(Process::destroyForcibly);
            if (server != null) {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static List<JsonNode> run(TrtcEmulator emulator, String redisUri, int processes, int calls,
            boolean cold) throws Exception {
        long startAt = System.currentTimeMillis() + 10_000;
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
                // Workers below the emulator's priority: it stands for a service on machines of its own.
                command.addAll(List.of("/usr/bin/nice", "-n", "10"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                    System.getProperty("java.class.path"), FleetWorker.class.getName(), redisUri,
                    emulator.uri().toString(), emulator.credentials().secretId(), emulator.credentials().secretKey(),
                    Integer.toString(calls), Long.toString(startAt), cold ? "cold" : "warm"));
            workers.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        List<JsonNode> outputs = new ArrayList<>();
        for (Process worker : workers) {
            String last = null;
            for (String line : new String(worker.getInputStream().readAllBytes()).split("\n")) {
                if (line.startsWith("{")) {
                    last = line;
                }
            }
            if (!worker.waitFor(10, TimeUnit.MINUTES) || worker.exitValue() != 0 || last == null) {
                worker.destroyForcibly();
                throw new IllegalStateException("a fleet worker failed");
            }
            outputs.add(JSON.readTree(last));
        }
        return outputs;
    }

    private static String report(List<JsonNode> outputs, TrtcEmulator emulator, int processes, int calls,
            String mode, String flags) {
        List<RecordedRequest> all = emulator.requests("DescribeRoomInfo");
        long throttles = all.stream().filter(r -> "RequestLimitExceeded".equals(r.errorCode())).count();
        List<Instant> arrivals = all.stream()
                .filter(r -> r.body().path("EndTime").asLong() - r.body().path("StartTime").asLong() == 3600)
                .map(RecordedRequest::receivedAt).sorted().toList();
        double seconds = Duration.between(arrivals.get(0), arrivals.get(arrivals.size() - 1)).toNanos() / 1e9;
        int limit = 20;
        double rate = (arrivals.size() - 1) / seconds;
        List<Long> reserve = new ArrayList<>();
        List<Long> ping = new ArrayList<>();
        int failed = 0;
        int turns = 0;
        for (JsonNode out : outputs) {
            out.path("reserveNanos").forEach(n -> reserve.add(n.asLong()));
            out.path("pingNanos").forEach(n -> ping.add(n.asLong()));
            failed += out.path("failed").asInt();
            turns += out.path("turns").asInt();
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "FleetBench, %s, JDK %s, %d cores%n", LocalDate.now(ZoneOffset.UTC),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors()));
        text.append(String.format(Locale.ROOT, "command: java -cp benchmarks/target/trtc-benchmarks.jar "
                + "io.github.trtcreactive.benchmarks.FleetBench --processes %d --calls %d%s%n%n", processes, calls,
                flags));
        text.append(String.format(Locale.ROOT, "%-14s %9s %7s %8s %10s %7s %8s %9s %6s %10s %11s %11s %9s %9s%n",
                "mode", "processes", "calls", "seconds", "achieved/s", "limit/s", "achieved", "throttles", "failed",
                "turns/call", "permit p50", "permit p99", "PING p50", "PING p99"));
        text.append(String.format(Locale.ROOT, "%-14s %9d %7d %8.2f %10.2f %7d %7.1f%% %9d %6d %10.3f %8.2f ms"
                        + " %8.2f ms %6.2f ms %6.2f ms%n", mode, processes, arrivals.size(), seconds, rate, limit,
                100 * rate / limit,
                throttles, failed, turns / (double) Math.max(1, arrivals.size()), millis(reserve, 0.50),
                millis(reserve, 0.99), millis(ping, 0.50), millis(ping, 0.99)));
        return text.toString();
    }

    private static double millis(List<Long> nanos, double quantile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
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

    private static Process startRedis(String executable, int port) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                return process;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(executable + " did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
