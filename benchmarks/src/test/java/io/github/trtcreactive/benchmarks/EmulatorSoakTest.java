package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The soak runs as documented and reports every call answered (a short run). */
class EmulatorSoakTest {

    @Test
    void aShortSoak_answersEveryCall_andReportsTheHeapAtEachTenth() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmulatorSoak.main(new String[] {"--calls", "2000", "--in-flight", "8"});
        } finally {
            System.setOut(original);
        }
        String report = captured.toString(StandardCharsets.UTF_8);

        assertThat(report).contains("arrivals counted: 2000 of 2000; error replies: 0");
        assertThat(report.lines().filter(l -> l.contains(" MB "))).hasSize(11);
    }
}
