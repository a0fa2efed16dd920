package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.auth.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {

    @Test
    void start_withOptions_printsWhatItAccepts_andServesWithThem() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (TrtcEmulator emulator = EmulatorMain.start(new String[] {"--port", "0", "--secret-id", "AKIDcli",
                "--secret-key", "cli-key", "--sdk-app-id", "2000000001", "--app-key", "cli-app-key"},
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);

            assertThat(banner).contains("listening on " + emulator.uri(), "TENCENTCLOUD_SECRET_ID=AKIDcli",
                    "TENCENTCLOUD_SECRET_KEY=cli-key", "TRTC_SDK_APP_ID=2000000001", "TRTC_SDK_APP_KEY=cli-app-key");
            assertThat(emulator.sdkAppId()).isEqualTo(2000000001L);
            RawClient client = new RawClient(emulator).with(Credentials.of("AKIDcli", "cli-key"));
            assertThat(client.call("DescribeStreamIngest", "{\"SdkAppId\":2000000001,\"TaskId\":\"t\"}").errorCode())
                    .isNull();
        }
    }

    @Test
    void start_badOptions_sayWhatIsWrong() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--port"}, quiet)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--colour", "x"}, quiet))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--port", "x"}, quiet))
                .hasMessageContaining("whole number");
    }
}
