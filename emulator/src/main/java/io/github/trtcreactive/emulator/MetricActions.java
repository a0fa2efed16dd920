package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Monitoring and usage data: time series for the requested window at the documented granularity.
 * User and room counts come from the emulated rooms (who had joined by each point); rates, delays
 * and minutes are a deterministic function of the seed and the bucket, so runs repeat. Days and
 * hours are bucketed in UTC+8, as the published examples are.
 */
final class MetricActions {

    static final ZoneOffset BUCKET_ZONE = ZoneOffset.ofHours(8);
    private static final int REAL_TIME_STEP = 10;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME_KEY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final EmulatorState state;
    private final long seed;

    private MetricActions(EmulatorState state, long seed) {
        this.state = state;
        this.seed = seed;
    }

    static void register(EmulatorState state, long seed, Map<String, EmulatorState.Handler> handlers) {
        MetricActions a = new MetricActions(state, seed);
        handlers.put("DescribeTRTCRealTimeScaleData", b -> a.realTime(b, true));
        handlers.put("DescribeTRTCRealTimeQualityData", b -> a.realTime(b, false));
        handlers.put("DescribeTRTCMarketScaleData", b -> a.market(b, true));
        handlers.put("DescribeTRTCMarketQualityData", b -> a.market(b, false));
        handlers.put("DescribeTrtcUsage", b -> a.usage(b, List.of("Audio", "SD", "HD", "FullHD", "2K", "4K")));
        handlers.put("DescribeRecordingUsage", b -> {
            String mix = b.get("MixType").asText();
            if (!mix.equals("single") && !mix.equals("multi")) {
                throw ApiException.invalid("MixType", "it must be single or multi");
            }
            return a.usage(b, List.of("Audio", "SD", "HD", "FullHD", "2K", "4K"));
        });
        handlers.put("DescribeMixTranscodingUsage", b -> a.usage(b, List.of("Audio", "SDH264", "HDH264", "FullHDH264",
                "2KH264", "4KH264", "SDH265", "HDH265", "FullHDH265", "2KH265", "4KH265")));
        handlers.put("DescribeRelayUsage", b -> a.usage(b, List.of("Bandwidth")));
        handlers.put("DescribeTrtcRoomUsage", a::roomUsage);
    }

    /** Real-time data: rows every 10 s; scale looks back 1 hour, quality 12 hours. */
    private ObjectNode realTime(ObjectNode body, boolean scale) {
        state.checkSdkAppId(body, "SdkAppId");
        long start = body.get("StartTime").asLong();
        long end = body.get("EndTime").asLong();
        long now = state.now().getEpochSecond();
        long lookback = scale ? 3600 : 12 * 3600;
        checkWindow(start, end);
        if (start < now - lookback || end > now + 60) {
            throw new ApiException("InvalidParameter.StartTimeOversize", "The query range exceeds what the dashboard "
                    + "edition allows: the last " + lookback / 3600 + " hour(s) up to now.");
        }
        String room = body.path("RoomId").asText("");
        List<String> columns = scale ? List.of("time", "userCount", "roomCount")
                : List.of("time", "videoFreezeRate", "audioFreezeRate");
        ArrayNode rows = state.reply().arrayNode();
        for (long t = ceil(start, REAL_TIME_STEP); t <= end; t += REAL_TIME_STEP) {
            Instant at = Instant.ofEpochSecond(t);
            rows.addObject().putArray("RowValue").add(t)
                    .add(scale ? users(at, room) : noise("video", t, 6))
                    .add(scale ? rooms(at, room) : noise("audio", t, 4));
        }
        return result(columns, rows);
    }

    /** Dashboard data by day ("d") or hour ("h"): scale over the last 60 days, quality over the last 30. */
    private ObjectNode market(ObjectNode body, boolean scale) {
        state.checkSdkAppId(body, "SdkAppId");
        LocalDate from = date(body, "StartTime");
        LocalDate to = date(body, "EndTime");
        String period = body.get("Period").asText();
        if (!period.equals("d") && !period.equals("h")) {
            throw ApiException.invalid("Period", "it must be d (by day) or h (by hour)");
        }
        // Scale data reaches back 60 days (premium edition); quality data 30 (the basic edition, the stricter reading).
        int lookbackDays = scale ? 60 : 30;
        LocalDate today = state.now().atZone(BUCKET_ZONE).toLocalDate();
        if (to.isBefore(from) || from.plusDays(lookbackDays).isBefore(to)) {
            throw new ApiException("InvalidParameter.QueryScaleOversize", "EndTime must not precede StartTime and the "
                    + "range must not exceed " + lookbackDays + " days.");
        }
        if (from.isBefore(today.minusDays(lookbackDays))) {
            throw new ApiException("InvalidParameter.StartTimeOversize", "StartTime is before the last "
                    + lookbackDays + " days that this data can be queried for.");
        }
        long step = period.equals("d") ? 86400 : 3600;
        long first = from.atStartOfDay(BUCKET_ZONE).toEpochSecond();
        long last = to.plusDays(1).atStartOfDay(BUCKET_ZONE).toEpochSecond();
        List<String> columns = scale
                ? List.of("time", "peakCurrentUsers", "peakCurrentChannels", "userCount", "roomCount")
                : List.of("time", "videoFreezeRate", "audioFreezeRate", "networkDelay", "joinSuccessRate",
                        "joinSuccessIn5sRate");
        ArrayNode rows = state.reply().arrayNode();
        for (long t = first; t < last; t += step) {
            Instant bucketEnd = Instant.ofEpochSecond(t + step - 1);
            ArrayNode row = rows.addObject().putArray("RowValue").add(t);
            if (scale) {
                long users = users(bucketEnd, "");
                long rooms = rooms(bucketEnd, "");
                row.add(users + noise("peakUsers", t, 50)).add(rooms + noise("peakRooms", t, 10))
                        .add(users + noise("users", t, 200)).add(rooms + noise("rooms", t, 40));
            } else {
                row.add(noise("video", t, 6)).add(noise("audio", t, 4)).add(40 + noise("delay", t, 80))
                        .add(95 + noise("join", t, 5)).add(90 + noise("join5", t, 10));
            }
        }
        return result(columns, rows);
    }

    /** Usage in minutes (bandwidth for relay): 5-minute buckets for one day, daily buckets up to 31 days. */
    private ObjectNode usage(ObjectNode body, List<String> keys) {
        state.checkSdkAppId(body, "SdkAppId");
        LocalDate from = date(body, "StartTime");
        LocalDate to = date(body, "EndTime");
        if (to.isBefore(from) || from.plusDays(30).isBefore(to)) {
            throw new ApiException("InvalidParameter.QueryScaleOversize", "EndTime must not precede StartTime and the "
                    + "range must not exceed 31 days.");
        }
        long step = from.equals(to) ? 300 : 86400;
        long first = from.atStartOfDay(BUCKET_ZONE).toEpochSecond();
        long last = to.plusDays(1).atStartOfDay(BUCKET_ZONE).toEpochSecond();
        ObjectNode reply = state.reply();
        ArrayNode usageKey = reply.putArray("UsageKey");
        keys.forEach(usageKey::add);
        ArrayNode list = reply.putArray("UsageList");
        for (long t = first; t < last; t += step) {
            ObjectNode bucket = list.addObject()
                    .put("TimeKey", TIME_KEY.format(LocalDateTime.ofEpochSecond(t, 0, BUCKET_ZONE)))
                    .put("TimeStampKey", t);
            ArrayNode values = bucket.putArray("UsageValue");
            for (String key : keys) {
                values.add(noise(key, t, step == 300 ? 300 : 30000) / 10.0);
            }
        }
        return reply;
    }

    /** Usage per room for at most 24 hours, as CSV, from who was in which room during the window. */
    private ObjectNode roomUsage(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppid");
        LocalDateTime from = minute(body, "StartTime");
        LocalDateTime to = minute(body, "EndTime");
        if (!to.isAfter(from) || from.plusHours(24).isBefore(to)) {
            throw new ApiException("InvalidParameter.QueryScaleOversize", "EndTime must follow StartTime within 24 hours.");
        }
        Instant windowStart = from.toInstant(BUCKET_ZONE);
        Instant windowEnd = to.toInstant(BUCKET_ZONE);
        Instant now = state.now();
        StringBuilder csv = new StringBuilder("RoomId,Audio,SD,hd,FullHD,2K,4K\n");
        for (EmulatedRooms.Ref ref : state.rooms.all()) {
            long minutes = 0;
            for (Instant joined : state.rooms.joinTimes(ref).values()) {
                Instant a = joined.isAfter(windowStart) ? joined : windowStart;
                Instant b = now.isBefore(windowEnd) ? now : windowEnd;
                minutes += Math.max(0, Duration.between(a, b).toMinutes());
            }
            if (minutes > 0) {
                csv.append(ref.id()).append(',').append(minutes).append(",0,0,0,0,0\n");
            }
        }
        return state.reply().put("Data", csv.toString());
    }

    private ObjectNode result(List<String> columns, ArrayNode rows) {
        ObjectNode reply = state.reply();
        ObjectNode data = reply.putObject("Data").put("StatementID", 0).put("Total", 1);
        ObjectNode series = data.putArray("Series").addObject();
        ArrayNode names = series.putArray("Columns");
        columns.forEach(names::add);
        series.set("Values", rows);
        return reply;
    }

    private long users(Instant at, String room) {
        long count = 0;
        for (EmulatedRooms.Ref ref : state.rooms.all()) {
            if (room.isEmpty() || ref.id().equals(room)) {
                count += state.rooms.joinTimes(ref).values().stream().filter(j -> !j.isAfter(at)).count();
            }
        }
        return count;
    }

    private long rooms(Instant at, String room) {
        return state.rooms.all().stream()
                .filter(ref -> room.isEmpty() || ref.id().equals(room))
                .filter(ref -> state.rooms.joinTimes(ref).values().stream().anyMatch(j -> !j.isAfter(at)))
                .count();
    }

    private long noise(String key, long t, int bound) {
        return new SplittableRandom(seed * 31 + key.hashCode() * 1_000_003L + t).nextInt(bound);
    }

    private static void checkWindow(long start, long end) {
        if (end <= start) {
            throw new ApiException("InvalidParameter.EndTs", "EndTime must be later than StartTime.");
        }
    }

    private static long ceil(long value, long step) {
        return (value + step - 1) / step * step;
    }

    private static LocalDate date(ObjectNode body, String member) {
        try {
            return LocalDate.parse(body.get(member).asText(), DAY);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(member, "it must be a date written YYYY-MM-DD");
        }
    }

    private static LocalDateTime minute(ObjectNode body, String member) {
        try {
            return LocalDateTime.parse(body.get(member).asText(), MINUTE);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(member, "it must be a time written YYYY-MM-DD HH:MM");
        }
    }
}
