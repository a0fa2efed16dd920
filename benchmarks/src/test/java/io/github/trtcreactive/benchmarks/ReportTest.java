package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report states ratios and targets from the numbers it is given, and the chart is a real PNG. */
class ReportTest {

    private static BenchmarkMain.Results results() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", "2026-11-21T16:00:00Z");
        env.put("jdk", "OpenJDK 17");
        env.put("cores", "2");
        env.put("os", "Linux");
        env.put("calls", "20000");
        env.put("summary", "test run");
        List<LoadClient.Result> load = new ArrayList<>();
        for (int flight : List.of(1, 16, 256, 1024)) {
            load.add(new LoadClient.Result("raw", flight, 20000, 2, 10000, 1, 2, 40, 12, 50, 150, 0, 10_000));
            load.add(new LoadClient.Result("trtc-reactive", flight, 20000, 2, 9500, 1, 2, 45, 13, 50, 160, 0, 14_000));
            load.add(new LoadClient.Result("official", flight, 20000, 2, 3000, 1, 2, 90, flight + 10, 200, 300, 0, 40_000));
        }
        // Two more rounds at 256: medians and the spread of the rounds' own ratios.
        load.add(new LoadClient.Result("raw", 256, 20000, 2, 12000, 1, 2, 38, 12, 50, 150, 0, 10_000));
        load.add(new LoadClient.Result("trtc-reactive", 256, 20000, 2, 10800, 1, 2, 44, 13, 50, 160, 0, 14_000));
        load.add(new LoadClient.Result("official", 256, 20000, 2, 3100, 1, 2, 90, 266, 200, 300, 0, 40_000));
        load.add(new LoadClient.Result("raw", 256, 20000, 2, 8000, 1, 2, 42, 12, 50, 150, 0, 10_000));
        load.add(new LoadClient.Result("trtc-reactive", 256, 20000, 2, 8000, 1, 2, 46, 13, 50, 160, 0, 14_000));
        load.add(new LoadClient.Result("official", 256, 20000, 2, 2900, 1, 2, 90, 266, 200, 300, 0, 40_000));
        return new BenchmarkMain.Results(env,
                List.of(new BenchmarkMain.CodecRow("sign", 5, 0.1, 10, 0.2, "us/op")),
                load,
                List.of(new LimiterAccuracy.Result(2000, 200, 2.4, false, 198.5, 0.9925, 0, 10.07)),
                List.of(new PollerScale.Result(10, "unlimited", 10, 13, 40, 20, 140, 0, 256),
                        new PollerScale.Result(10000, "unlimited", 9000, 13, 200, 90, 700, 0, 256),
                        new PollerScale.Result(10000, "limited", 19.5, 13, 120, 60, 300, 0, 256)),
                List.of(new InteractiveUnderLoad.Result(1000, "interactive first (default)", 30, 55, 1.1, 0),
                        new InteractiveUnderLoad.Result(1000, "one priority (baseline)", 300, 440, 1.1, 0)),
                List.of(new ObservationCost.Result("plain", 1000, 100, 5000, 9000),
                        new ObservationCost.Result("noop", 1000, 102, 5100, 9000),
                        new ObservationCost.Result("meters", 1000, 110, 6000, 8800)),
                List.of(new FirstCall.Result("raw", 500, 520), new FirstCall.Result("trtc-reactive", 700, 720),
                        new FirstCall.Result("raw", 600, 620), new FirstCall.Result("trtc-reactive", 800, 820)));
    }

    @Test
    void markdown_givesRatiosAndTargetVerdicts() {
        String md = Report.markdown(results(), List.of("raw", "trtc-reactive", "official"), List.of(1, 16, 256, 1024));

        assertThat(md).contains("| TC3 signing (CreateCloudRecording body) | 5.00 ± 0.10 us/op | 10.00 ± 0.20 us/op | 2.00 |");
        assertThat(md).contains("| 256 | b: trtc-reactive | 3 | 9,500 (8,000–10,800) | 1.00 | 2.00 | 45.0 (44.0–46.0) | 14.0 (14.0–14.0) | 13 |");
        assertThat(md).contains("| 256 | 0.95 (0.90–1.00) | 1.13 | 1.40 | 3.17 | 20.5 | 1.88 |");
        assertThat(md).contains("| 1024 | 0.95 | 1.13 | 1.40 | 3.17 | 79.5 | 1.88 |");
        assertThat(md).contains("| b/a throughput ≥ 0.90 at 256 in flight (median of 3 rounds) | 0.95 | yes |");
        assertThat(md).contains("| b/a client CPU per call ≤ 1.2 at 256 in flight | 1.13 | yes |");
        assertThat(md).contains("| b/a allocation per call ≤ 1.5 at 256 in flight | 1.40 | yes |");
        assertThat(md).contains("| b/c throughput ≥ 3 at 1,024 in flight | 3.17 | yes |");
        assertThat(md).contains("| b's threads ≤ 1/50 of c's at 1,024 in flight | 13 against 1034 (1/80) | yes |");
        assertThat(md).contains("for 1 round at 1, 1 round at 16, 3 rounds at 256, 1 round at 1,024;");
        assertThat(md).contains("| limiter ≥ 99% of the limit, 0 throttles | 99.25%, 0 throttles | yes |");
        assertThat(md).contains("| poller threads constant from 10 to 10,000 pollers | 13 to 13 threads | yes |");
        assertThat(md).contains("| 10,000 pollers (no limiter) in a 256 MiB heap, none failed | peak 200 MiB in use,"
                + " 90 MiB live, 0 failed | yes |");
        assertThat(md).contains("| 10,000 | 20/s | 19.5 | 13 | 120 | 60 | 300 | 0 |");
        assertThat(md).contains("| 1,000 | interactive first (default) | 30.0 | 55.0 | 1.10 | 0 |");
        assertThat(md).contains("| 1,000 | 10.0 | 8.0 |");
        assertThat(md).contains("| meters | 110.0 | 6,000 | 8,800 | 1.10 | 1.20 |");
        assertThat(md).contains("| b: trtc-reactive | 750 (700–800) |");
        assertThat(md).contains("| time to the first call ≤ 1.5× raw Reactor Netty's | 1.36× | yes |");
    }

    @Test
    void chart_isAPngOfTheExpectedSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("load.png");

        Chart.write(results().load(), List.of("raw", "trtc-reactive", "official"), List.of(1, 16, 256, 1024),
                "test run", file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(520);
        assertThat(Files.size(file)).isGreaterThan(5_000);
    }
}
