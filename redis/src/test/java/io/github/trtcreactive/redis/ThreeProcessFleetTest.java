package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.emulator.TrtcEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs sharing one account through one Redis, at the emulator's documented limits: each fires
 * 300 calls at once. A process that comes to its turn too late to write on time takes a new one, so
 * even on two busy cores no window holds more than the limit.
 */
class ThreeProcessFleetTest {

    /**
     * The fleet's processes run at a lower CPU priority than this JVM, whose emulator stands for the
     * service: a real service counts arrivals on machines of its own, which the clients' load does not
     * slow, while on two shared cores a starved emulator would stamp requests late and see windows
     * the clients never sent. The clients' own lateness is theirs to handle (a late turn is retaken).
     */
    private static final List<String> NICE = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/nice"))
            ? List.of("/usr/bin/nice", "-n", "10") : List.of();

    @Test
    void threeJvms_sharingOneAccountThroughRedis_fire300CallsEachAtOnce_withoutAThrottle() throws Exception {
        try (RedisProcess redis = RedisProcess.start(); TrtcEmulator emulator = TrtcEmulator.builder().start()) {
            runFleet(redis, emulator);
        }
    }

    private static void runFleet(RedisProcess redis, TrtcEmulator emulator) throws Exception {
        long startAt = System.currentTimeMillis() + 8_000;
        List<Process> processes = new ArrayList<>();
        List<java.nio.file.Path> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.nio.file.Path log = java.nio.file.Files.createTempFile("fleet-process-" + i, ".log");
            logs.add(log);
            List<String> command = new ArrayList<>(NICE);
            command.addAll(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-Dorg.slf4j.simpleLogger.log.io.github.trtcreactive=warn", "-cp",
                    System.getProperty("java.class.path"), FleetProcess.class.getName(),
                    redis.uri(), emulator.uri().toString(), emulator.credentials().secretId(),
                    emulator.credentials().secretKey(), "300", Long.toString(startAt)));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            boolean ended = p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            outputs.add(java.nio.file.Files.readString(logs.get(i)));
            java.nio.file.Files.deleteIfExists(logs.get(i));
            assertThat(ended).as("process %d ended: %s", i, outputs.get(i)).isTrue();
        }

        assertThat(outputs).allSatisfy(out -> assertThat(out).contains("DONE failed=0"));
        List<io.github.trtcreactive.emulator.RecordedRequest> all = emulator.requests("DescribeRoomInfo");
        assertThat(all.stream().filter(r -> r.errorCode() != null).map(r -> r.errorCode() + " at " + r.receivedAt())
                .toList()).as("refusals (RequestLimitExceeded); the processes said:%n%s", String.join("\n---\n", outputs))
                .isEmpty();
        List<io.github.trtcreactive.emulator.RecordedRequest> fired = all.stream()
                .filter(r -> r.body().path("EndTime").asLong() - r.body().path("StartTime").asLong() == 3600).toList();
        assertThat(fired.size()).as("fired calls seen by the emulator").isEqualTo(900);
        List<java.time.Instant> arrivals = fired.stream().map(io.github.trtcreactive.emulator.RecordedRequest::receivedAt)
                .sorted().toList();
        double seconds = Duration.between(arrivals.get(0), arrivals.get(arrivals.size() - 1)).toNanos() / 1e9;
        System.out.printf("fleet: 3 processes, 900 calls in %.2f s: %.2f/s against 20/s%n", seconds, 899 / seconds);
        assertThat(899 / seconds).as("the fleet's rate").isGreaterThanOrEqualTo(0.95 * 20);
    }
}
