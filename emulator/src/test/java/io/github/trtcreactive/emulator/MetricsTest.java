package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-20T04:00:05Z"); // 12:00:05 in UTC+8
    private TrtcEmulator emulator;
    private RawClient client;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(T0)).rateLimits(false).seed(7).start();
        client = new RawClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode realTime(String action, long start, long end, String room) {
        return client.ok(action, "{\"SdkAppId\":\"1400000001\",\"StartTime\":" + start + ",\"EndTime\":" + end
                + (room == null ? "" : ",\"RoomId\":\"" + room + "\"") + "}").get("Data");
    }

    @Test
    void realTimeScale_rowsEveryTenSeconds_countingWhoHadJoined() {
        emulator.rooms().join("r1", "a", "b");
        emulator.clock().advance(Duration.ofSeconds(30));
        emulator.rooms().join("r2", "c");
        emulator.clock().advance(Duration.ofSeconds(30));
        long now = emulator.clock().instant().getEpochSecond();

        JsonNode data = realTime("DescribeTRTCRealTimeScaleData", now - 60, now, null);

        assertThat(data.get("StatementID").asLong()).isZero();
        JsonNode series = data.get("Series").get(0);
        assertThat(series.get("Columns")).extracting(JsonNode::asText).containsExactly("time", "userCount", "roomCount");
        JsonNode rows = series.get("Values");
        assertThat(rows).hasSize(6);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("RowValue").get(0).asLong() % 10).isZero());
        assertThat(rows.get(0).get("RowValue").get(1).asLong()).isEqualTo(2);
        assertThat(rows.get(5).get("RowValue").get(1).asLong()).isEqualTo(3);
        assertThat(rows.get(5).get("RowValue").get(2).asLong()).isEqualTo(2);
        assertThat(realTime("DescribeTRTCRealTimeScaleData", now - 60, now, "r2").get("Series").get(0).get("Values")
                .get(5).get("RowValue").get(1).asLong()).isEqualTo(1);
    }

    @Test
    void realTime_windowsOutsideTheLookback_areRejected() {
        long now = T0.getEpochSecond();
        assertThat(client.call("DescribeTRTCRealTimeScaleData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + (now - 3601) + ",\"EndTime\":" + now + "}").errorCode()).isEqualTo("InvalidParameter.StartTimeOversize");
        assertThat(client.call("DescribeTRTCRealTimeQualityData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + (now - 3601) + ",\"EndTime\":" + now + "}").errorCode()).isNull();
        assertThat(client.call("DescribeTRTCRealTimeQualityData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + now + ",\"EndTime\":" + now + "}").errorCode()).isEqualTo("InvalidParameter.EndTs");
    }

    @Test
    void quality_isDeterministicForASeed() {
        long now = T0.getEpochSecond();
        JsonNode first = realTime("DescribeTRTCRealTimeQualityData", now - 600, now, null);
        JsonNode second = realTime("DescribeTRTCRealTimeQualityData", now - 600, now, null);

        assertThat(first).isEqualTo(second);
        try (TrtcEmulator other = TrtcEmulator.builder().clock(EmulatorClock.fixed(T0)).seed(8).start()) {
            JsonNode elsewhere = new RawClient(other).ok("DescribeTRTCRealTimeQualityData", "{\"SdkAppId\":"
                    + "\"1400000001\",\"StartTime\":" + (now - 600) + ",\"EndTime\":" + now + "}").get("Data");
            assertThat(elsewhere).isNotEqualTo(first);
        }
    }

    @Test
    void market_bucketsByDayOrHourInUtcPlus8_withinSixtyDays() {
        JsonNode daily = client.ok("DescribeTRTCMarketScaleData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + "\"2026-11-01\",\"EndTime\":\"2026-11-03\",\"Period\":\"d\"}").get("Data").get("Series").get(0);
        assertThat(daily.get("Columns")).hasSize(5);
        assertThat(daily.get("Values")).extracting(r -> r.get("RowValue").get(0).asLong()).containsExactly(
                LocalDate.of(2026, 11, 1).atStartOfDay(MetricActions.BUCKET_ZONE).toEpochSecond(),
                LocalDate.of(2026, 11, 2).atStartOfDay(MetricActions.BUCKET_ZONE).toEpochSecond(),
                LocalDate.of(2026, 11, 3).atStartOfDay(MetricActions.BUCKET_ZONE).toEpochSecond());
        JsonNode hourly = client.ok("DescribeTRTCMarketQualityData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + "\"2026-11-01\",\"EndTime\":\"2026-11-01\",\"Period\":\"h\"}").get("Data").get("Series").get(0);
        assertThat(hourly.get("Values")).hasSize(24);
        assertThat(hourly.get("Columns").get(5).asText()).isEqualTo("joinSuccessIn5sRate");

        assertThat(client.call("DescribeTRTCMarketScaleData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + "\"2026-01-01\",\"EndTime\":\"2026-03-15\",\"Period\":\"d\"}").errorCode())
                .isEqualTo("InvalidParameter.QueryScaleOversize");
        assertThat(client.call("DescribeTRTCMarketScaleData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + "\"2026-11-01\",\"EndTime\":\"2026-11-02\",\"Period\":\"w\"}").errorCode())
                .as("a value outside the documented set").isEqualTo("InvalidParameterValue");
        assertThat(client.call("DescribeTRTCMarketScaleData", "{\"SdkAppId\":\"1400000001\",\"StartTime\":"
                + "\"1 Nov\",\"EndTime\":\"2026-11-02\",\"Period\":\"d\"}").errorCode()).isEqualTo("InvalidParameter");
    }

    @Test
    void usage_fiveMinuteBucketsForOneDay_dailyUpToThirtyOneDays() {
        JsonNode oneDay = client.ok("DescribeTrtcUsage", "{\"StartTime\":\"2026-11-01\",\"EndTime\":\"2026-11-01\"}");
        assertThat(oneDay.get("UsageKey")).hasSize(6);
        assertThat(oneDay.get("UsageList")).hasSize(288);
        assertThat(oneDay.get("UsageList").get(1).get("TimeKey").asText()).isEqualTo("2026-11-01 00:05:00");
        assertThat(oneDay.get("UsageList").get(0).get("UsageValue")).hasSize(6);

        JsonNode month = client.ok("DescribeMixTranscodingUsage", "{\"StartTime\":\"2026-10-01\",\"EndTime\":\"2026-10-31\"}");
        assertThat(month.get("UsageList")).hasSize(31);
        assertThat(month.get("UsageKey")).hasSize(11);
        assertThat(client.call("DescribeRelayUsage", "{\"StartTime\":\"2026-10-01\",\"EndTime\":\"2026-11-01\"}")
                .errorCode()).isEqualTo("InvalidParameter.QueryScaleOversize");
        assertThat(client.call("DescribeRecordingUsage", "{\"StartTime\":\"2026-10-01\",\"EndTime\":\"2026-10-02\","
                + "\"MixType\":\"both\"}").errorCode()).as("a value outside the documented set")
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void roomUsage_isCsvOfMinutesPerRoom() {
        emulator.rooms().join("room-a", "u1", "u2");
        emulator.clock().advance(Duration.ofMinutes(10));

        String csv = client.ok("DescribeTrtcRoomUsage", "{\"SdkAppid\":1400000001,\"StartTime\":\"2026-11-20 00:00\","
                + "\"EndTime\":\"2026-11-20 23:00\"}").get("Data").asText();

        assertThat(csv).isEqualTo("RoomId,Audio,SD,hd,FullHD,2K,4K\nroom-a,20,0,0,0,0,0\n");
        assertThat(client.call("DescribeTrtcRoomUsage", "{\"SdkAppid\":1400000001,\"StartTime\":\"2026-11-20 00:00\","
                + "\"EndTime\":\"2026-11-21 01:00\"}").errorCode()).isEqualTo("InvalidParameter.QueryScaleOversize");
    }
}
