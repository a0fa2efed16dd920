package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and writes {@code results.md}, {@code results.json} and {@code load.png}
 * into the results folder (default {@code benchmarks/results}):
 * <pre>
 * java -jar benchmarks/target/trtc-benchmarks.jar [--out DIR] [--calls 20000] [--skip-jmh] [--report-only]
 * </pre>
 * Each load run, the limiter run and each poller run is its own JVM, so threads and memory are
 * measured per side; the canned server and the emulator run in JVMs of their own too.
 */
public final class BenchmarkMain {

    private static final List<String> VARIANTS = List.of("raw", "trtc-reactive", "official");
    private static final List<Integer> IN_FLIGHT = List.of(1, 16, 256, 1024);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkMain() {}

    /** A JMH row: our time and the official SDK's for one operation. */
    record CodecRow(String operation, double ours, double oursError, double official, double officialError,
            String unit) {}

    /** Everything one run measured. */
    record Results(Map<String, String> environment, List<CodecRow> codec, List<LoadClient.Result> load,
            List<LimiterAccuracy.Result> limiter, List<PollerScale.Result> pollers,
            List<InteractiveUnderLoad.Result> interactive, List<ObservationCost.Result> observation,
            List<FirstCall.Result> firstCall) {}

    /**
     * Runs everything.
     *
     * @param args {@code --out DIR}, {@code --calls N}, {@code --skip-jmh}
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of("benchmarks", "results");
        int calls = 20_000;
        boolean jmh = true;
        boolean reportOnly = false;
        boolean observationOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--skip-jmh" -> jmh = false;
                case "--report-only" -> reportOnly = true;
                case "--observation-only" -> observationOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --out DIR, --calls N, --skip-jmh, --report-only, --observation-only");
            }
        }
        Files.createDirectories(out);
        if (observationOnly) {
            // Runs the observation cost again and keeps the rest of the earlier run's results.
            Results earlier = JSON.readValue(out.resolve("results.json").toFile(), Results.class);
            Results results = new Results(earlier.environment(), earlier.codec(), earlier.load(), earlier.limiter(),
                    earlier.pollers(), earlier.interactive(), observation(calls), earlier.firstCall());
            Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(results));
            Files.writeString(out.resolve("results.md"), Report.markdown(results, VARIANTS, IN_FLIGHT));
            log("wrote " + out.resolve("results.md") + " with the observation cost of this run");
            return;
        }
        if (reportOnly) {
            // Writes results.md again from the results.json of an earlier run (after a change to the report).
            Results earlier = JSON.readValue(out.resolve("results.json").toFile(), Results.class);
            Files.writeString(out.resolve("results.md"), Report.markdown(earlier, VARIANTS, IN_FLIGHT));
            log("wrote " + out.resolve("results.md") + " from results.json");
            return;
        }
        Map<String, String> environment = environment(calls);
        log("benchmarks: " + environment);
        List<CodecRow> codec = jmh ? codec() : List.of();
        List<LoadClient.Result> load = load(calls);
        List<LimiterAccuracy.Result> limiter = new ArrayList<>();
        limiter.add(child(LimiterAccuracy.Result.class, "LimiterAccuracy", "2000", "10"));
        limiter.add(child(LimiterAccuracy.Result.class, "LimiterAccuracy", "2000", "10", "10"));
        limiter.add(child(LimiterAccuracy.Result.class, "LimiterAccuracy", "2000", "10", "2"));
        List<PollerScale.Result> pollers = pollers();
        List<InteractiveUnderLoad.Result> interactive = new ArrayList<>();
        for (int tasks : List.of(200, 1_000)) {
            log("interactive under background load: " + tasks + " followed tasks");
            interactive.addAll(child(InteractiveUnderLoad.Run.class, "InteractiveUnderLoad", Integer.toString(tasks))
                    .rows());
        }
        Results results = new Results(environment, codec, load, limiter, pollers, interactive, observation(calls),
                firstCall());
        Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(results));
        Files.writeString(out.resolve("results.md"), Report.markdown(results, VARIANTS, IN_FLIGHT));
        Chart.write(load, VARIANTS, IN_FLIGHT, environment.get("summary"), out.resolve("load.png"));
        log("wrote " + out.resolve("results.md") + ", results.json and load.png");
    }

    private static Map<String, String> environment(int calls) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        environment.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        environment.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        environment.put("calls", Integer.toString(calls));
        environment.put("summary", String.format(Locale.ROOT, "%s · JDK %s · %s cores · %,d calls per run",
                environment.get("date"), System.getProperty("java.runtime.version"), environment.get("cores"), calls));
        return environment;
    }

    private static List<CodecRow> codec() throws Exception {
        log("JMH: signing, serialization, parsing (ours and the official SDK's)");
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : new Runner(new OptionsBuilder()
                .include(CodecBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .build()).run()) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), r);
        }
        List<CodecRow> rows = new ArrayList<>();
        for (String operation : List.of("sign", "serialize", "parse")) {
            RunResult ours = byName.get(operation + "TrtcReactive");
            RunResult official = byName.get(operation + "OfficialSdk");
            rows.add(new CodecRow(operation, ours.getPrimaryResult().getScore(), ours.getPrimaryResult().getScoreError(),
                    official.getPrimaryResult().getScore(), official.getPrimaryResult().getScoreError(),
                    ours.getPrimaryResult().getScoreUnit()));
        }
        return rows;
    }

    /** Rounds per level of concurrency: five where the targets are read (256, 1,024: three), one elsewhere. */
    static int roundsAt(int inFlight) {
        return switch (inFlight) {
            case 256 -> 5;
            case 1024 -> 3;
            default -> 1;
        };
    }

    private static List<LoadClient.Result> load(int calls) throws Exception {
        List<LoadClient.Result> results = new ArrayList<>();
        int port = freePort();
        Process server = start(List.of("CannedServer", Integer.toString(port)), "-Xmx512m");
        try {
            awaitLine(server, "listening");
            log("load: warming the server up (its JIT) before any side is measured");
            child(LoadClient.Result.class, "LoadClient", "raw", "256", "100000", Integer.toString(port));
            for (int inFlight : IN_FLIGHT) {
                int rounds = roundsAt(inFlight);
                // Alternating sides (a, b, c, a, b, c, ...): a slow spell of the machine hits every side alike.
                for (int round = 1; round <= rounds; round++) {
                    for (String variant : VARIANTS) {
                        log("load: " + variant + " at " + inFlight + " in flight, round " + round + " of " + rounds);
                        results.add(child(LoadClient.Result.class, "LoadClient", variant, Integer.toString(inFlight),
                                Integer.toString(calls), Integer.toString(port)));
                    }
                }
            }
        } finally {
            server.getOutputStream().close();
            server.destroy();
        }
        return results;
    }

    /** Time to the first answer in a fresh JVM, raw and ours alternating, five rounds each. */
    private static List<FirstCall.Result> firstCall() throws Exception {
        List<FirstCall.Result> results = new ArrayList<>();
        int port = freePort();
        Process server = start(List.of("CannedServer", Integer.toString(port)), "-Xmx512m");
        try {
            awaitLine(server, "listening");
            for (int round = 0; round < 5; round++) {
                for (String variant : List.of("raw", "trtc-reactive")) {
                    log("first call: " + variant + ", round " + (round + 1));
                    results.add(child(FirstCall.Result.class, "FirstCall", variant, Integer.toString(port)));
                }
            }
        } finally {
            server.getOutputStream().close();
            server.destroy();
        }
        return results;
    }

    /** Observation cost: plain, no-op registry and meter registry, alternating, three rounds each. */
    private static List<ObservationCost.Result> observation(int calls) throws Exception {
        List<ObservationCost.Result> results = new ArrayList<>();
        int port = freePort();
        Process server = start(List.of("CannedServer", Integer.toString(port)), "-Xmx512m");
        try {
            awaitLine(server, "listening");
            for (int round = 0; round < 3; round++) {
                for (String variant : List.of("plain", "noop", "meters", "limiter")) {
                    log("observation cost: " + variant + ", round " + (round + 1));
                    results.add(child(ObservationCost.Result.class, "ObservationCost", variant, Integer.toString(calls),
                            Integer.toString(port)));
                }
            }
        } finally {
            server.getOutputStream().close();
            server.destroy();
        }
        return results;
    }

    private static List<PollerScale.Result> pollers() throws Exception {
        List<PollerScale.Result> results = new ArrayList<>();
        for (int pollers : List.of(10, 1_000, 10_000)) {
            log("pollers: " + pollers + ", no limiter");
            results.add(pollerRun(pollers, "unlimited"));
        }
        log("pollers: 10000 at the documented 20 calls a second");
        results.add(pollerRun(10_000, "limited"));
        return results;
    }

    /** One poller run against an emulator of its own (tens of thousands of tasks would slow a shared one). */
    private static PollerScale.Result pollerRun(int pollers, String mode) throws Exception {
        int port = freePort();
        Process emulator = start(List.of("io.github.trtcreactive.emulator.EmulatorMain", "--port",
                Integer.toString(port), "--rate-limit-scale", "10000"), "-Xmx2g");
        try {
            awaitLine(emulator, "trtc-emulator listening");
            return childWithHeap(PollerScale.Result.class, "-Xmx256m", "PollerScale", Integer.toString(pollers),
                    Integer.toString(port), mode);
        } finally {
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs a measuring program in its own JVM (a 1 GiB heap) and reads the JSON line it prints last. */
    private static <T> T child(Class<T> type, String program, String... args) throws Exception {
        return childWithHeap(type, "-Xmx1g", program, args);
    }

    /** Runs a measuring program in its own JVM with a heap limit and reads the JSON line it prints last. */
    private static <T> T childWithHeap(Class<T> type, String heap, String program, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(Arrays.asList(args));
        Process process = start(command, heap);
        String last = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    last = line;
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
            throw new IllegalStateException(program + " " + String.join(" ", args) + " failed (exit "
                    + (process.isAlive() ? "none" : process.exitValue()) + ")");
        }
        return JSON.readValue(last, type);
    }

    private static Process start(List<String> program, String heap) throws IOException {
        String main = program.get(0).contains(".") ? program.get(0)
                : BenchmarkMain.class.getPackageName() + "." + program.get(0);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-cp", System.getProperty("java.class.path"), main));
        command.addAll(program.subList(1, program.size()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void awaitLine(Process process, String prefix) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new IllegalStateException("a helper process ended before printing '" + prefix + "'");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void log(String message) {
        System.out.println("[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }
}
