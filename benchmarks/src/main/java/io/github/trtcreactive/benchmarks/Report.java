package io.github.trtcreactive.benchmarks;

import java.util.List;
import java.util.Locale;

/** Writes one run's results as Markdown, ratios against the baselines measured in the same run. */
final class Report {

    private Report() {}

    static String markdown(BenchmarkMain.Results results, List<String> variants, List<Integer> inFlight) {
        StringBuilder md = new StringBuilder();
        var env = results.environment();
        md.append("# Benchmark results\n\n");
        md.append("Run ").append(env.get("date")).append(" on ").append(env.get("jdk")).append(", ")
                .append(env.get("cores")).append(" cores, ").append(env.get("os")).append(".\n");
        md.append("Written by `java -jar benchmarks/target/trtc-benchmarks.jar` (see the README); `load.png` charts"
                + " the load runs, `results.json` holds every number.\n\n");

        if (!results.codec().isEmpty()) {
            md.append("## Per-call CPU work (JMH, average time per operation, lower is better)\n\n");
            md.append("| operation | trtc-reactive | official SDK | official / trtc-reactive |\n| --- | ---: | ---: | ---: |\n");
            for (BenchmarkMain.CodecRow row : results.codec()) {
                md.append(f("| %s | %.2f ± %.2f %s | %.2f ± %.2f %s | %.2f |\n", describe(row.operation()), row.ours(),
                        row.oursError(), row.unit(), row.official(), row.officialError(), row.unit(),
                        row.official() / row.ours()));
            }
            md.append("\nThe official SDK's side repeats its client's own steps with its public pieces:"
                    + " `Sign.sha256Hex`/`Sign.hmac256` for TC3 signing, `AbstractModel.toJsonString` (Gson) for"
                    + " serialization, Gson into `JsonResponseModel` (error model, then typed response) for parsing.\n\n");
        }

        md.append("## Load: ").append(env.get("calls")).append(" DescribeCloudRecording calls against one canned"
                + " Reactor Netty server\n\n");
        md.append("a = raw Reactor Netty posting identical pre-signed bytes; b = trtc-reactive (signs, serializes,"
                + " sends, parses every call); c = the official SDK on a thread pool sized to the calls in flight."
                + " Each side runs alone in its own JVM (`-Xmx1g`) and warms up (at least 10 s, then until its JIT compiler is idle) before it is measured; the"
                + " server is warmed up first by a run that is not reported. Threads, heap and RSS are the measured"
                + " JVM's peaks during the measured calls.\n\n");
        md.append("Sides alternate (a, b, c, a, b, c, …) for " + roundsText(results.load(), inFlight) + "; each"
                + " cell is the median of the rounds, with the lowest and highest in brackets where there are"
                + " several. CPU is the whole client JVM's (its event loops, JIT and GC included) per call;"
                + " allocation is the heap its threads allocated per call.\n\n");
        md.append("| in flight | client | rounds | calls/s | p50 ms | p99 ms | client CPU µs/call | allocated KB/call"
                + " | peak threads | peak heap MiB | peak RSS MiB | errors |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int flight : inFlight) {
            for (String variant : variants) {
                List<LoadClient.Result> runs = runs(results.load(), variant, flight);
                if (runs.isEmpty()) {
                    continue;
                }
                md.append(f("| %d | %s | %d | %s | %.2f | %.2f | %s | %s | %d | %.0f | %.0f | %d |\n", flight,
                        label(variant), runs.size(),
                        spread(runs, LoadClient.Result::throughput, "%,.0f"),
                        med(runs, LoadClient.Result::p50Ms), med(runs, LoadClient.Result::p99Ms),
                        spread(runs, LoadClient.Result::cpuUsPerCall, "%.1f"),
                        spread(runs, r -> r.allocatedBytesPerCall() / 1000, "%.1f"),
                        runs.stream().mapToLong(LoadClient.Result::peakThreads).max().orElse(0),
                        med(runs, LoadClient.Result::peakHeapMib), med(runs, LoadClient.Result::peakRssMib),
                        runs.stream().mapToLong(LoadClient.Result::errors).sum()));
            }
        }
        md.append("\nRatios of the medians; for b/a also the lowest and highest of the rounds' own ratios (each"
                + " round's sides ran back to back), which shows how noisy one run is.\n\n");
        md.append("| in flight | b/a throughput | b/a client CPU | b/a allocation | b/c throughput | c/b peak threads"
                + " | c/b peak RSS |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int flight : inFlight) {
            List<LoadClient.Result> a = runs(results.load(), "raw", flight);
            List<LoadClient.Result> b = runs(results.load(), "trtc-reactive", flight);
            List<LoadClient.Result> c = runs(results.load(), "official", flight);
            if (a.isEmpty() || b.isEmpty() || c.isEmpty()) {
                continue;
            }
            md.append(f("| %d | %s | %.2f | %.2f | %.2f | %.1f | %.2f |\n", flight, roundRatios(a, b),
                    med(b, LoadClient.Result::cpuUsPerCall) / med(a, LoadClient.Result::cpuUsPerCall),
                    med(b, LoadClient.Result::allocatedBytesPerCall) / med(a, LoadClient.Result::allocatedBytesPerCall),
                    med(b, LoadClient.Result::throughput) / med(c, LoadClient.Result::throughput),
                    (double) c.stream().mapToLong(LoadClient.Result::peakThreads).max().orElse(0)
                            / b.stream().mapToLong(LoadClient.Result::peakThreads).max().orElse(1),
                    med(c, LoadClient.Result::peakRssMib) / med(b, LoadClient.Result::peakRssMib)));
        }

        md.append("\n## Rate limiter accuracy\n\n");
        md.append("2,000 calls fired at once at the emulator with its limits scaled ×10 (200 calls/s), the client's"
                + " limiter set to the same limit, after one period of warm-up calls. Achieved rate from the emulator's"
                + " arrival times. \"default\": the margin follows the measured jitter of the round trips; \"fixed\":"
                + " set with safetyMargin.\n\n");
        md.append("| safety margin (at the end) | limit /s | achieved /s | achieved / limit | server throttles | seconds |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (LimiterAccuracy.Result r : results.limiter()) {
            md.append(f("| %s %.1f ms | %d | %.1f | %.2f%% | %d | %.2f |\n", r.fixed() ? "fixed" : "default, following the jitter:", r.marginMs(),
                    r.limitPerSecond(), r.achievedPerSecond(), 100 * r.ratio(), r.throttles(), r.seconds()));
        }

        md.append("\n## Task pollers\n\n");
        md.append("Cloud-recording pollers, at most one Describe call per task per second, against the emulator in"
                + " another JVM; this JVM (a 256 MiB heap) sampled for 15 s while they run. \"no limiter\": the"
                + " emulator's limits scaled out of the way and the client's limiter off; \"20/s\": through the"
                + " default limiter at the documented limit, the tasks taking turns. Live heap: the heap after"
                + " each collection, the memory the pollers keep.\n\n");
        md.append("| pollers | limit | polls/s | peak threads | peak heap MiB | peak live heap MiB | peak RSS MiB | failed polls |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (PollerScale.Result r : results.pollers()) {
            md.append(f("| %,d | %s | %,.1f | %d | %.0f | %.0f | %.0f | %d |\n", r.pollers(),
                    "limited".equals(r.mode()) ? "20/s" : "no limiter", r.pollsPerSecond(), r.peakThreads(),
                    r.peakHeapMib(), r.peakLiveHeapMib(), r.peakRssMib(), r.failedPolls()));
        }
        if (!results.interactive().isEmpty()) {
            md.append("\n## Interactive calls under background load\n\n");
            md.append(InteractiveUnderLoad.DESCRIPTION + "\n\n");
            md.append("| followed tasks | priority of the handler's call | interactive p50 ms | interactive p99 ms"
                    + " | polls per task per minute | refused |\n");
            md.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
            for (InteractiveUnderLoad.Result r : results.interactive()) {
                md.append(f("| %,d | %s | %.1f | %.1f | %.2f | %d |\n", r.tasks(), r.side(), r.p50Ms(), r.p99Ms(),
                        r.pollsPerTaskPerMinute(), r.refused()));
            }
            md.append("\n| followed tasks | one priority / interactive first, p50 wait | same, p99 wait |\n");
            md.append("| ---: | ---: | ---: |\n");
            for (int tasks : results.interactive().stream().map(InteractiveUnderLoad.Result::tasks).distinct().toList()) {
                var first = results.interactive().stream().filter(r -> r.tasks() == tasks && r.side().startsWith("interactive")).findFirst();
                var one = results.interactive().stream().filter(r -> r.tasks() == tasks && r.side().startsWith("one")).findFirst();
                if (first.isPresent() && one.isPresent()) {
                    md.append(f("| %,d | %.1f | %.1f |\n", tasks, one.get().p50Ms() / first.get().p50Ms(),
                            one.get().p99Ms() / first.get().p99Ms()));
                }
            }
        }

        if (results.observation() != null && !results.observation().isEmpty()) {
            md.append("\n## Observation and limiter cost\n\n");
            md.append("DescribeCloudRecording calls, 16 in flight, against the canned server, each variant alone in its"
                    + " JVM after the load runs' warm-up (`ObservationCost`); three rounds, alternating, medians."
                    + " plain: no observer; noop: `TrtcMicrometer.observer` on a registry without handlers; meters: with"
                    + " `DefaultMeterObservationHandler` on a `SimpleMeterRegistry` (a timer per call and per attempt);"
                    + " limiter: no observer, the default rate limiter with a limit no run reaches (a permit per call,"
                    + " never a wait; the other variants run without a limiter)."
                    + " CPU is the whole client JVM's; allocation is the heap its threads allocated.\n\n");
            md.append("| variant | client CPU µs/call | allocated bytes/call | calls/s | CPU / plain | allocation / plain |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
            double plainCpu = median(results.observation(), "plain", ObservationCost.Result::cpuUsPerCall);
            double plainAlloc = median(results.observation(), "plain", ObservationCost.Result::allocatedBytesPerCall);
            for (String variant : List.of("plain", "noop", "meters", "limiter")) {
                if (results.observation().stream().noneMatch(r -> r.variant().equals(variant))) {
                    continue;
                }
                double cpu = median(results.observation(), variant, ObservationCost.Result::cpuUsPerCall);
                double alloc = median(results.observation(), variant, ObservationCost.Result::allocatedBytesPerCall);
                double rate = median(results.observation(), variant, ObservationCost.Result::callsPerSecond);
                md.append(f("| %s | %.1f | %,.0f | %,.0f | %.2f | %.2f |\n", variant, cpu, alloc, rate, cpu / plainCpu,
                        alloc / plainAlloc));
            }
        }

        if (results.firstCall() != null && !results.firstCall().isEmpty()) {
            md.append("\n## Time to the first call\n\n");
            md.append("A fresh JVM builds its client and makes one DescribeCloudRecording call to the canned server"
                    + " (`FirstCall`): the time from the start of `main` to the answer, class loading and every"
                    + " first-time preparation included. a = raw Reactor Netty posting bytes it signs itself (no JSON"
                    + " library); b = trtc-reactive with its defaults (limiter and retries on). Five rounds,"
                    + " alternating, medians (lowest–highest).\n\n");
            md.append("| side | first call ms |\n| --- | ---: |\n");
            for (String variant : List.of("raw", "trtc-reactive")) {
                double[] ms = firstCallMs(results, variant);
                md.append(f("| %s | %.0f (%.0f–%.0f) |\n", label(variant), medianOf(ms), ms[0], ms[ms.length - 1]));
            }
        }

        md.append("\n## Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
        List<LoadClient.Result> a256 = runs(results.load(), "raw", 256);
        List<LoadClient.Result> b256 = runs(results.load(), "trtc-reactive", 256);
        List<LoadClient.Result> a1024 = runs(results.load(), "raw", 1024);
        List<LoadClient.Result> b1024 = runs(results.load(), "trtc-reactive", 1024);
        List<LoadClient.Result> c1024 = runs(results.load(), "official", 1024);
        if (!a256.isEmpty() && !b256.isEmpty()) {
            double ba = med(b256, LoadClient.Result::throughput) / med(a256, LoadClient.Result::throughput);
            double cpu = med(b256, LoadClient.Result::cpuUsPerCall) / med(a256, LoadClient.Result::cpuUsPerCall);
            double alloc = med(b256, LoadClient.Result::allocatedBytesPerCall)
                    / med(a256, LoadClient.Result::allocatedBytesPerCall);
            md.append(f("| b/a throughput ≥ 0.90 at 256 in flight (median of %d rounds) | %.2f | %s |\n",
                    b256.size(), ba, ba >= 0.90 ? "yes" : "no"));
            md.append(f("| b/a client CPU per call ≤ 1.2 at 256 in flight | %.2f | %s |\n", cpu, cpu <= 1.2 ? "yes" : "no"));
            md.append(f("| b/a allocation per call ≤ 1.5 at 256 in flight | %.2f | %s |\n", alloc,
                    alloc <= 1.5 ? "yes" : "no"));
        }
        if (!b1024.isEmpty() && !c1024.isEmpty()) {
            double bc = med(b1024, LoadClient.Result::throughput) / med(c1024, LoadClient.Result::throughput);
            long bThreads = b1024.stream().mapToLong(LoadClient.Result::peakThreads).max().orElse(1);
            long cThreads = c1024.stream().mapToLong(LoadClient.Result::peakThreads).max().orElse(0);
            md.append(f("| b/c throughput ≥ 3 at 1,024 in flight | %.2f | %s |\n", bc, bc >= 3 ? "yes" : "no"));
            md.append(f("| b's threads ≤ 1/50 of c's at 1,024 in flight | %d against %d (1/%.0f) | %s |\n", bThreads,
                    cThreads, (double) cThreads / bThreads, bThreads * 50 <= cThreads ? "yes" : "no"));
        }
        if (results.firstCall() != null && !results.firstCall().isEmpty()) {
            double ratio = medianOf(firstCallMs(results, "trtc-reactive")) / medianOf(firstCallMs(results, "raw"));
            md.append(f("| time to the first call ≤ 1.5× raw Reactor Netty's | %.2f× | %s |\n", ratio,
                    ratio <= 1.5 ? "yes" : "no"));
        }
        results.limiter().stream().filter(r -> !r.fixed()).findFirst().ifPresent(r -> md.append(f(
                "| limiter ≥ 99%% of the limit, 0 throttles | %.2f%%, %d throttles | %s |\n", 100 * r.ratio(),
                r.throttles(), r.ratio() >= 0.99 && r.throttles() == 0 ? "yes" : "no")));
        if (!results.pollers().isEmpty()) {
            // The same configuration at every size: the runs without a limiter.
            List<PollerScale.Result> unlimited = results.pollers().stream()
                    .filter(r -> !"limited".equals(r.mode())).toList();
            long min = unlimited.stream().mapToLong(PollerScale.Result::peakThreads).min().orElse(0);
            long max = unlimited.stream().mapToLong(PollerScale.Result::peakThreads).max().orElse(0);
            md.append(f("| poller threads constant from 10 to 10,000 pollers | %d to %d threads | %s |\n", min, max,
                    min == max ? "yes" : "no"));
            results.pollers().stream().filter(r -> r.pollers() == 10_000).forEach(r -> md.append(f(
                    "| 10,000 pollers (%s) in a 256 MiB heap, none failed | peak %.0f MiB in use, %.0f MiB live, %d failed | %s |\n",
                    "limited".equals(r.mode()) ? "20/s" : "no limiter", r.peakHeapMib(), r.peakLiveHeapMib(),
                    r.failedPolls(), r.peakHeapMib() <= 256 && r.failedPolls() == 0 ? "yes" : "no")));
        }
        return md.toString();
    }

    private static double[] firstCallMs(BenchmarkMain.Results results, String variant) {
        return results.firstCall().stream().filter(r -> r.variant().equals(variant))
                .mapToDouble(FirstCall.Result::firstCallMs).sorted().toArray();
    }

    private static double medianOf(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static List<LoadClient.Result> runs(List<LoadClient.Result> runs, String variant, int flight) {
        return runs.stream().filter(r -> r.variant().equals(variant) && r.inFlight() == flight).toList();
    }

    private static double med(List<LoadClient.Result> runs, java.util.function.ToDoubleFunction<LoadClient.Result> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** The median, with the lowest and highest in brackets when there are several rounds. */
    private static String spread(List<LoadClient.Result> runs,
            java.util.function.ToDoubleFunction<LoadClient.Result> value, String format) {
        String median = f(format, med(runs, value));
        if (runs.size() < 2) {
            return median;
        }
        double min = runs.stream().mapToDouble(value).min().orElse(Double.NaN);
        double max = runs.stream().mapToDouble(value).max().orElse(Double.NaN);
        return median + " (" + f(format, min) + "–" + f(format, max) + ")";
    }

    /** b/a of the medians, and of each round's own pair (the i-th run of each side) as a range. */
    private static String roundRatios(List<LoadClient.Result> a, List<LoadClient.Result> b) {
        double ratio = med(b, LoadClient.Result::throughput) / med(a, LoadClient.Result::throughput);
        int n = Math.min(a.size(), b.size());
        if (n < 2) {
            return f("%.2f", ratio);
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double r = b.get(i).throughput() / a.get(i).throughput();
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return f("%.2f (%.2f–%.2f)", ratio, min, max);
    }

    private static String roundsText(List<LoadClient.Result> load, List<Integer> inFlight) {
        List<String> parts = new java.util.ArrayList<>();
        for (int flight : inFlight) {
            long rounds = load.stream().filter(r -> r.inFlight() == flight && r.variant().equals("raw")).count();
            if (rounds > 0) {
                parts.add(rounds + (rounds == 1 ? " round" : " rounds") + " at " + f("%,d", flight));
            }
        }
        return String.join(", ", parts);
    }

    private static String label(String variant) {
        return switch (variant) {
            case "raw" -> "a: raw Reactor Netty";
            case "trtc-reactive" -> "b: trtc-reactive";
            default -> "c: official SDK";
        };
    }

    private static String describe(String operation) {
        return switch (operation) {
            case "sign" -> "TC3 signing (CreateCloudRecording body)";
            case "serialize" -> "serialize CreateCloudRecordingRequest";
            default -> "parse DescribeCloudRecording reply (3 files)";
        };
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static double median(List<ObservationCost.Result> runs, String variant,
            java.util.function.ToDoubleFunction<ObservationCost.Result> value) {
        double[] values = runs.stream().filter(r -> r.variant().equals(variant)).mapToDouble(value).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
}
