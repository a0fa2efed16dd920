package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.core.ExecutableProvider;

/**
 * The client soak for 60 s, in a JVM of its own (its threads, timers and heap are then the soak's
 * alone): it completes, no poller stalls, every failed call is put down to a fault it injected,
 * and the limiter writes to Redis again after the restart. The flatness targets need three minutes
 * and are n/a here; the verdicts are read from the report, with the margins of the soak itself
 * (a poller is stuck only after 45 s without a poll), not from timings of this test.
 */
class ClientSoakTest {

    @Test
    void aMinuteOfSoak_completes_withoutStuckPollers_orFailuresOutsideTheFaults_andRedisRecovers(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("client-soak.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClientSoak.class.getName(),
                "--seconds", "60", "--row-seconds", "20", "--redis-server", redisServer(), "--out", out.toString()));
        Process soak = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.txt").toFile()).start();
        boolean ended = soak.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            soak.destroyForcibly();
        }
        String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
        assertThat(ended).as("the soak ended within 5 minutes:\n%s", console).isTrue();
        assertThat(out).exists();
        String report = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(verdict(report, "the run completed")).as(report).isEqualTo("PASS");
        assertThat(verdict(report, "0 stuck pollers")).as(report).isEqualTo("PASS");
        assertThat(verdict(report, "0 failures outside injected faults")).as(report).isEqualTo("PASS");
        assertThat(verdict(report, "Redis restart recovered")).as(report).isEqualTo("PASS");
        assertThat(report.lines().filter(l -> l.matches("\\s+\\d+\\.\\d\\s+\\d+\\.\\d.*"))).as(report).hasSize(3);
        assertThat(verdict(report, "live heap does not grow")).as("flatness needs 3 minutes").isEqualTo("n/a");
        assertThat(report).contains("RESULT: PASS");
        assertThat(soak.exitValue()).as(console).isZero();
    }

    private static String verdict(String report, String target) {
        return report.lines().filter(l -> l.contains(target)).findFirst().map(l -> l.substring(0, 4).trim())
                .orElse("missing");
    }

    private static String redisServer() throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
    }
}
