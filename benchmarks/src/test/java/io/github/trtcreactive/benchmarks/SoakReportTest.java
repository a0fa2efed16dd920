package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The client soak's flatness rule: medians, the last row against the second, growth only. */
class SoakReportTest {

    @Test
    void median_isTheMiddleValue_orTheMeanOfTheTwoMiddleOnes() {
        assertThat(SoakSampler.median(new double[] {9, 1, 5})).isEqualTo(5);
        assertThat(SoakSampler.median(new double[] {13, 9, 10, 40})).isEqualTo(11.5);
    }

    @Test
    void shrinkingIsNoLeak() {
        List<SoakReport.Target> targets = targets(row(60, 40, 30, 70, 13), row(120, 40, 30, 69, 13),
                row(180, 30, 28, 62, 9));
        assertThat(verdict(targets, "live heap")).isEqualTo("PASS");
        assertThat(verdict(targets, "threads")).isEqualTo("PASS");
        assertThat(verdict(targets, "pending timers")).isEqualTo("PASS");
        assertThat(verdict(targets, "open connections")).isEqualTo("PASS");
    }

    @Test
    void growthBeyondTenPercent_fails_andSmallCountsHaveASlackOfTwo() {
        List<SoakReport.Target> grown = targets(row(60, 40, 30, 70, 5), row(120, 40, 30, 70, 5),
                row(180, 44.5, 33.5, 77.5, 8));
        assertThat(verdict(grown, "live heap")).isEqualTo("FAIL"); // 40 -> 44.5: above 44
        assertThat(verdict(grown, "threads")).isEqualTo("FAIL"); // 30 -> 33.5: above 33
        assertThat(verdict(grown, "pending timers")).isEqualTo("FAIL"); // 70 -> 77.5: above 77
        assertThat(verdict(grown, "open connections")).isEqualTo("FAIL"); // 5 -> 8: above 5 + 2

        List<SoakReport.Target> within = targets(row(60, 40, 30, 70, 5), row(120, 40, 30, 70, 5),
                row(180, 44, 33, 77, 7));
        assertThat(within).filteredOn(t -> t.name().contains("grow")).extracting(SoakReport.Target::verdict)
                .containsOnly("PASS");
    }

    @Test
    void flatnessNeedsThreeRowsAndThreeMinutes() {
        List<SoakReport.Target> targets = SoakReport.targets(List.of(row(20, 40, 30, 70, 5), row(40, 40, 30, 70, 5),
                row(60, 90, 90, 200, 50)), 60, true, 1.0);
        assertThat(verdict(targets, "live heap")).isEqualTo("n/a");
        assertThat(verdict(targets, "threads")).isEqualTo("n/a");
    }

    private static List<SoakReport.Target> targets(SoakReport.Row... rows) {
        return SoakReport.targets(List.of(rows), 180, true, 1.0);
    }

    private static SoakReport.Row row(long seconds, double heap, double threads, double timers, double connections) {
        return new SoakReport.Row(seconds, heap, 1.0, new SoakSampler.Medians(12, threads, timers, 0, connections, 1),
                seconds / 10, 11, 5, 1000, 0, 0, 0, 0);
    }

    private static String verdict(List<SoakReport.Target> targets, String name) {
        return targets.stream().filter(t -> t.name().contains(name)).findFirst().orElseThrow().verdict();
    }
}
