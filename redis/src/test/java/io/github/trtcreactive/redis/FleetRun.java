package io.github.trtcreactive.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One run of the multi-process fleet tests: a Redis, the emulator in a process of its own (the
 * service, counting a sliding window at the documented limit), optional busy processes competing
 * for the cores, and N {@link FleetProcess}es sharing one account through the Redis, each firing
 * its calls at one common moment. The fleet's processes run at a lower CPU priority than the
 * emulator: a real service counts arrivals on machines of its own, which the clients' load does not
 * slow; the clients' own lateness is theirs to handle (a late turn is taken again).
 */
final class FleetRun {

    /** The seconds between StartTime and EndTime that mark a fired call (a warm-up asks for one more). */
    static final long MARK = 3600;
    private static final List<String> NICE = Files.isExecutable(Path.of("/usr/bin/nice"))
            ? List.of("/usr/bin/nice", "-n", "10") : List.of();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /**
     * What the emulator saw and the processes said.
     *
     * @param refused when each refused request arrived, epoch nanoseconds
     * @param fired when each fired call arrived (answered or refused), epoch nanoseconds, in order
     * @param outputs each process's output
     */
    record Result(List<Long> refused, List<Long> fired, List<String> outputs) {

        /** {@return calls per second from the first fired arrival to the last} */
        double rate() {
            return (fired.size() - 1) / ((fired.get(fired.size() - 1) - fired.get(0)) / 1e9);
        }

        /** {@return the refusals, each with how many arrivals its second held, and the processes' output} */
        String describe() {
            StringBuilder text = new StringBuilder();
            for (long at : refused) {
                long inWindow = fired.stream().filter(t -> t > at - 1_000_000_000L && t <= at).count();
                text.append(String.format(Locale.ROOT, "refused at +%.3f s, %d arrivals in the second before it%n",
                        (at - fired.get(0)) / 1e9, inWindow));
            }
            outputs.forEach(out -> text.append("--- a process said:\n").append(out));
            return text.toString();
        }
    }

    private FleetRun() {}

    /**
     * Runs a fleet.
     *
     * @param processes how many processes share the account
     * @param calls how many calls each fires at the common moment
     * @param cold whether the processes fire with no call made before (else one warm-up call each)
     * @param hogs how many busy processes compete for the cores meanwhile
     * @return what the emulator saw
     * @throws Exception when a process cannot be started
     */
    static Result run(int processes, int calls, boolean cold, int hogs) throws Exception {
        List<Process> started = new ArrayList<>();
        Path emulatorLog = Files.createTempFile("fleet-emulator", ".log");
        try (RedisProcess redis = RedisProcess.start()) {
            Process emulator = start(started, new ProcessBuilder(JAVA, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), FleetEmulator.class.getName(), "DescribeRoomInfo",
                    Long.toString(MARK)).redirectError(emulatorLog.toFile()));
            BufferedReader report = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = report.readLine(); // the emulator's first line, once it listens (it exits if we die)
            if (first == null || !first.startsWith("ready ")) {
                throw new IllegalStateException("the emulator did not start: " + Files.readString(emulatorLog));
            }
            String[] ready = first.split(" ");
            for (int i = 0; i < hogs; i++) {
                start(started, hog());
            }
            List<Process> fleet = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                Path log = Files.createTempFile("fleet-process-" + i, ".log");
                logs.add(log);
                List<String> command = new ArrayList<>(NICE);
                command.addAll(List.of(JAVA, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.io.github.trtcreactive=warn", "-cp",
                        System.getProperty("java.class.path"), FleetProcess.class.getName(), redis.uri(), ready[1],
                        ready[2], ready[3], Integer.toString(calls), "stdin", cold ? "cold" : "warm"));
                fleet.add(start(started, new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile())));
            }
            // One common start once every process is ready, however long a loaded machine took to start them.
            long readyBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!allSay(logs, "READY") && System.nanoTime() < readyBy) {
                Thread.sleep(100); // the test's own thread, between looks at the processes' output
            }
            String startAt = (System.currentTimeMillis() + 500) + "\n";
            for (Process process : fleet) {
                process.getOutputStream().write(startAt.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
            }
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < fleet.size(); i++) {
                boolean ended = fleet.get(i).waitFor(3, TimeUnit.MINUTES);
                outputs.add((ended ? "" : "(still running after 3 minutes)\n") + Files.readString(logs.get(i)));
                Files.deleteIfExists(logs.get(i));
            }
            emulator.getOutputStream().close(); // the emulator reports, then exits
            List<Long> refused = new ArrayList<>();
            List<Long> fired = new ArrayList<>();
            for (String line = report.readLine(); line != null && !line.equals("end"); line = report.readLine()) {
                String[] parts = line.split(" ");
                long at = Long.parseLong(parts[1]);
                if (parts[0].equals("REFUSED")) {
                    refused.add(at);
                }
                if (Boolean.parseBoolean(parts[2])) {
                    fired.add(at);
                }
            }
            fired.sort(null);
            return new Result(refused, fired, outputs);
        } finally {
            // Children first: a busy process is a shell whose `yes` would outlive it.
            started.forEach(process -> {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            });
            Files.deleteIfExists(emulatorLog);
        }
    }

    private static boolean allSay(List<Path> logs, String word) throws IOException {
        for (Path log : logs) {
            if (!Files.readString(log).contains(word)) {
                return false;
            }
        }
        return true;
    }

    private static Process start(List<Process> started, ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /**
     * A process that keeps a core busy at the fleet's priority, until its standard input ends (so it
     * ends with this JVM, however this JVM ends): {@code yes > /dev/null}, or a Java loop where
     * there is no {@code yes}.
     */
    private static ProcessBuilder hog() {
        List<String> command = new ArrayList<>(NICE);
        if (Files.isExecutable(Path.of("/bin/sh")) && Files.isExecutable(Path.of("/usr/bin/yes"))) {
            command.addAll(List.of("/bin/sh", "-c", "/usr/bin/yes > /dev/null & cat > /dev/null; kill $!"));
        } else {
            command.addAll(List.of(JAVA, "-cp", System.getProperty("java.class.path"), BusyLoop.class.getName()));
        }
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }

    /** Keeps one core busy until its standard input ends. */
    public static final class BusyLoop {

        private BusyLoop() {}

        /**
         * Spins.
         *
         * @param args none
         * @throws IOException never: the end of the input ends the process
         */
        public static void main(String[] args) throws IOException {
            Thread spin = new Thread(() -> {
                long x = 0;
                while (x >= 0) {
                    x = x * 31 + 1 & Long.MAX_VALUE;
                }
            });
            spin.setDaemon(true);
            spin.start();
            while (System.in.read() >= 0) { // this process's main thread, until the test's JVM is gone
                continue;
            }
        }
    }
}
