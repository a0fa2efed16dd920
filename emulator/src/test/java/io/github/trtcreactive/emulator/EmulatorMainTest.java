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
                    "TENCENTCLOUD_SECRET_KEY=(the key you passed with --secret-key)", "TRTC_SDK_APP_ID=2000000001",
                    "TRTC_SDK_APP_KEY=(the key you passed with --app-key)")
                    .as("keys passed in are not echoed").doesNotContain("cli-key", "cli-app-key");
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
        assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--callback-key", "abc"}, quiet))
                .hasMessageContaining("--callback-key needs --callback-url");
        assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--callback-url", "ftp://x/"}, quiet))
                .hasMessageContaining("http or https");
    }

    @Test
    void help_listsEveryOption_andStartsNothing() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        assertThat(EmulatorMain.start(new String[] {"--help"}, new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--port", "--secret-id", "--secret-key",
                "--sdk-app-id", "--app-key", "--rate-limit-scale", "--room", "--admin", "--request-log",
                "--request-log-bytes", "--callback-url", "--callback-key", "--help");
    }

    @Test
    void rooms_canBeFilledWithoutCode_fromTheCommandLineAndTheAdminEndpoint() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (TrtcEmulator emulator = EmulatorMain.start(new String[] {"--room", "1001:alice,bob", "--room",
                "lobby:carol", "--admin"}, quiet)) {
            assertThat(emulator.rooms().users(1001)).containsExactly("alice", "bob");
            assertThat(emulator.rooms().users("lobby")).containsExactly("carol");
            RawClient client = new RawClient(emulator);
            assertThat(client.call("RemoveUser", "{\"SdkAppId\":1400000001,\"RoomId\":1001,\"UserIds\":[\"alice\"]}")
                    .errorCode()).isNull();

            reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create();
            assertThat(http.put().uri(emulator.uri() + "/_emulator/rooms/lobby/users/dave").response()
                    .block(java.time.Duration.ofSeconds(10)).status().code()).isEqualTo(204);
            assertThat(emulator.rooms().users("lobby")).containsExactly("carol", "dave");
            assertThat(http.delete().uri(emulator.uri() + "/_emulator/rooms/1001/users/bob").response()
                    .block(java.time.Duration.ofSeconds(10)).status().code()).isEqualTo(204);
            assertThat(emulator.rooms().users(1001)).isEmpty();
            assertThat(http.get().uri(emulator.uri() + "/_emulator/rooms").responseContent().aggregate().asString()
                    .block(java.time.Duration.ofSeconds(10))).contains("\"lobby\"", "\"dave\"");
        }
        try (TrtcEmulator closed = TrtcEmulator.builder().start()) {
            RawClient.Reply reply = new RawClient(closed).call("RemoveUser", "{}");
            assertThat(reactor.netty.http.client.HttpClient.create().put()
                    .uri(closed.uri() + "/_emulator/rooms/lobby/users/dave").responseContent().aggregate().asString()
                    .block(java.time.Duration.ofSeconds(10))).as("off by default: an API request like any other")
                    .contains("AuthFailure");
            assertThat(reply).isNotNull();
            assertThat(closed.rooms().users("lobby")).isEmpty();
        }
    }
}
