package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import redis.embedded.core.ExecutableProvider;

/** The fleet benchmark runs as documented (a short run: two processes, a few calls each). */
class FleetBenchTest {

    @Test
    void aShortFleetRun_reportsItsRow_withoutAThrottle() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FleetBench.main(new String[] {"--processes", "2", "--calls", "30", "--redis-server", redisServer()});
        } finally {
            System.setOut(original);
        }
        String report = captured.toString(StandardCharsets.UTF_8);

        String row = report.lines().filter(l -> l.startsWith("warm ")).findFirst().orElseThrow();
        String[] cells = row.trim().split("\\s+");
        assertThat(cells[1]).as("processes").isEqualTo("2");
        assertThat(cells[2]).as("calls the emulator saw").isEqualTo("60");
        assertThat(cells[7]).as("throttles").isEqualTo("0");
        assertThat(cells[8]).as("failed").isEqualTo("0");
        assertThat(report).contains("FleetBench --processes 2 --calls 30\n");
        assertThat(report).contains("permit p50", "PING p50");
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
