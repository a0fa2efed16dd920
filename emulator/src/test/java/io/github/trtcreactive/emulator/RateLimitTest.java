package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final String BODY = "{\"SdkAppId\":1400000001,\"TaskId\":\"t\"}";
    private TrtcEmulator emulator;

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void twentyPerSecond_overASlidingWindow_withTheServiceMessage() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).start();
        RawClient client = new RawClient(emulator);

        for (int i = 0; i < 20; i++) {
            assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).as("call %d", i + 1).isNull();
        }
        RawClient.Reply refused = client.call("DescribeStreamIngest", BODY);
        assertThat(refused.errorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(refused.response().at("/Error/Message").asText()).isEqualTo("Your current request times equals to "
                + "`21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency "
                + "of calls.");
        assertThat(client.call("StopStreamIngest", BODY).errorCode()).as("another action has its own window")
                .isNotEqualTo("RequestLimitExceeded");

        emulator.clock().advance(Duration.ofMillis(999));
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isEqualTo("RequestLimitExceeded");
        emulator.clock().advance(Duration.ofMillis(1));
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
    }

    @Test
    void usageActions_fivePerSecond_andRoomUsage_onePerFifteenSeconds() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).start();
        RawClient client = new RawClient(emulator);
        String usage = "{\"StartTime\":\"2024-01-01\",\"EndTime\":\"2024-01-02\",\"SdkAppId\":1400000001}";
        for (int i = 0; i < 5; i++) {
            assertThat(client.call("DescribeTrtcUsage", usage).errorCode()).isNull();
        }
        assertThat(client.call("DescribeTrtcUsage", usage).errorCode()).isEqualTo("RequestLimitExceeded");

        String room = "{\"SdkAppid\":1400000001,\"StartTime\":\"2024-01-01 00:00\",\"EndTime\":\"2024-01-01 12:00\"}";
        assertThat(client.call("DescribeTrtcRoomUsage", room).errorCode()).isNull();
        RawClient.Reply refused = client.call("DescribeTrtcRoomUsage", room);
        assertThat(refused.errorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(refused.response().at("/Error/Message").asText()).contains("in 15 seconds", "limit `1`");
        emulator.clock().advance(Duration.ofSeconds(15));
        assertThat(client.call("DescribeTrtcRoomUsage", room).errorCode()).isNull();
    }

    @Test
    void scaleFactor_andSwitchingOff() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimitScale(2.5).start();
        RawClient client = new RawClient(emulator);
        for (int i = 0; i < 50; i++) {
            assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isNull();
        }
        assertThat(client.call("DescribeStreamIngest", BODY).errorCode()).isEqualTo("RequestLimitExceeded");
        emulator.close();

        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false).start();
        RawClient unlimited = new RawClient(emulator);
        for (int i = 0; i < 40; i++) {
            assertThat(unlimited.call("DescribeStreamIngest", BODY).errorCode()).isNull();
        }
    }
}
