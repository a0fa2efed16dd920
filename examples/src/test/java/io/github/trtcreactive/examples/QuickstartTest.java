package io.github.trtcreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quickstart, run as a user runs it, against the embedded emulator. */
class QuickstartTest {

    @Test
    void withoutCredentials_itRunsOnTheEmulator_andPrintsTheTimelineOfTheRecording() {
        Output output = new Output();

        int status = Quickstart.run(Map.of(), output.console, new String[] {"--record-for", "2"});

        String text = output.text();
        assertThat(status).as(text).isZero();
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: using the"
                + " embedded TRTC emulator at http://127.0.0.1:");
        int timeline = lines.indexOf(lines.stream().filter(l -> l.startsWith("Timeline of recording task")).findFirst()
                .orElseThrow());
        List<String> rows = lines.subList(timeline + 1, lines.size() - 1);
        assertThat(rows).extracting(Row::action).containsExactly("CreateCloudRecording",
                "DescribeCloudRecording", "DescribeCloudRecording", "DeleteCloudRecording", "DescribeCloudRecording");
        assertThat(rows).extracting(Row::what).containsExactly("task created", "Idle",
                "InProgress (1 file)", "stop requested", "Exited (1 file)");
        assertThat(rows).allSatisfy(row -> assertThat(row).containsPattern(
                "request [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
        assertThat(lines.get(lines.size() - 1)).startsWith("The task ended");
    }

    @Test
    void withHalfTheCredentials_itNamesTheMissingVariable_andSendsNothing() {
        Output output = new Output();

        int status = Quickstart.run(Map.of("TENCENTCLOUD_SECRET_ID", "AKIDexample"), output.console, new String[0]);

        assertThat(status).isEqualTo(2);
        assertThat(output.text()).startsWith("quickstart: TENCENTCLOUD_SECRET_KEY is not set but TENCENTCLOUD_SECRET_ID"
                + " is: set both to call the TRTC service, or neither");
    }

    @Test
    void againstTheService_missingApplicationSettings_areNamed() {
        Output noApp = new Output();
        assertThat(Quickstart.run(Map.of("TENCENTCLOUD_SECRET_ID", "AKIDexample", "TENCENTCLOUD_SECRET_KEY", "key"),
                noApp.console, new String[0])).isEqualTo(2);
        assertThat(noApp.text()).startsWith("quickstart: TRTC_SDK_APP_ID is not set: the quickstart needs your"
                + " application's SDKAppID");

        Output noKey = new Output();
        assertThat(Quickstart.run(Map.of("TENCENTCLOUD_SECRET_ID", "AKIDexample", "TENCENTCLOUD_SECRET_KEY", "key",
                "TRTC_SDK_APP_ID", "1400188366"), noKey.console, new String[0])).isEqualTo(2);
        assertThat(noKey.text()).startsWith("quickstart: TRTC_SDK_APP_KEY is not set");

        Output badApp = new Output();
        assertThat(Quickstart.run(Map.of("TENCENTCLOUD_SECRET_ID", "AKIDexample", "TENCENTCLOUD_SECRET_KEY", "key",
                "TRTC_SDK_APP_ID", "my-app"), badApp.console, new String[0])).isEqualTo(2);
        assertThat(badApp.text()).contains("TRTC_SDK_APP_ID must be a positive number");
    }

    @Test
    void aBadOption_isNamed() {
        Output output = new Output();

        assertThat(Quickstart.run(Map.of(), output.console, new String[] {"--record-for", "soon"})).isEqualTo(2);
        assertThat(output.text()).contains("--record-for must be a positive whole number, was 'soon'");
    }

    /** The columns of a timeline row: time, action, what, request id. */
    private static final class Row {
        static String action(String row) {
            return row.strip().split("\\s+")[2];
        }

        static String what(String row) {
            String rest = row.substring(row.indexOf(action(row)) + action(row).length());
            return rest.substring(0, rest.lastIndexOf(" request ")).strip();
        }
    }
}
