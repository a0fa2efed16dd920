package io.github.trtcreactive.reactor.metric;

import io.github.trtcreactive.core.model.DescribeTRTCMarketQualityDataRequest;
import io.github.trtcreactive.core.model.DescribeTRTCMarketScaleDataRequest;
import io.github.trtcreactive.core.model.DescribeTRTCRealTimeQualityDataRequest;
import io.github.trtcreactive.core.model.DescribeTRTCRealTimeScaleDataRequest;
import io.github.trtcreactive.core.model.RowValues;
import io.github.trtcreactive.core.model.SeriesInfos;
import io.github.trtcreactive.core.model.TRTCDataResult;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcCallOptions;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import io.github.trtcreactive.reactor.internal.TurnSchedules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Monitoring and usage data as live streams of {@link MetricPoint}s: the real-time scale and quality
 * series (10-second rows), the dashboard series (by hour or day) and the usage series (5-minute
 * buckets). A stream polls at the data's
 * granularity, asks each time for what came after the last point seen, and emits each timestamp
 * once, in order, also across resubscriptions of the same Flux (after an error, say). "Now" is the
 * service's present as the client knows it (its clock corrected by any offset it learned); polls are
 * background calls, so they wait for rate-limit permits after interactive calls, and the streams of
 * one action take turns with its budget (a first poll or a catch-up before steady ones, steady
 * polls spread over the step, as {@code TaskPollers} does with tasks); transient failures are retried with backoff
 * inside the loop (10 in a row at most). The turns are kept per action and account (the SecretId of
 * the per-call credentials a subscriber's calls are signed with), and an account's are forgotten once
 * they have been idle for 10 minutes (no stream, no poll waiting or running, none for that long), so
 * rotating credentials leave nothing behind. When the client closes, the streams end with
 * {@code TrtcClientClosedException}. Cancel to stop.
 */
public final class MetricStreams {

    /** The bucket of the dashboard series. */
    public enum Period {
        /** One row per hour. */
        HOUR("h", Duration.ofHours(1)),
        /** One row per day (days start at 00:00 UTC+8, as the service buckets them). */
        DAY("d", Duration.ofDays(1));

        private final String wire;
        private final Duration length;

        Period(String wire, Duration length) {
            this.wire = wire;
            this.length = length;
        }
    }

    private static final ZoneOffset DASHBOARD_ZONE = ZoneOffset.ofHours(8);
    private static final Duration REAL_TIME_STEP = Duration.ofSeconds(10);

    private final TrtcAsyncClient client;
    private final Scheduler scheduler;
    private final Duration realTimeStep;
    private final io.github.trtcreactive.reactor.poll.PollListener listener;
    /** One schedule of turns per action and account: the streams polled with one budget. */
    private final TurnSchedules schedules;

    private MetricStreams(TrtcAsyncClient client, Scheduler scheduler, Duration realTimeStep,
            io.github.trtcreactive.reactor.poll.PollListener listener) {
        // The loop retries transient failures itself; the client must not as well. Nobody waits on a
        // metric call: it is background work, served after interactive calls within its share.
        this.client = Objects.requireNonNull(client, "client")
                .withRetryPolicy(io.github.trtcreactive.reactor.RetryPolicy.none())
                .withPriority(io.github.trtcreactive.reactor.ratelimit.CallPriority.BACKGROUND);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.schedules = new TurnSchedules(scheduler, client.rateLimiter());
        this.realTimeStep = Objects.requireNonNull(realTimeStep, "realTimeStep");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Streams over a client, polling real-time data every 10 s.
     *
     * @param client the client
     * @return the streams
     */
    public static MetricStreams create(TrtcAsyncClient client) {
        return new MetricStreams(client, Schedulers.parallel(), REAL_TIME_STEP,
                io.github.trtcreactive.reactor.poll.PollListener.NONE);
    }

    /**
     * Streams with another scheduler and real-time poll interval (for tests and demos).
     *
     * @param client the client
     * @param scheduler the scheduler of the poll intervals
     * @param realTimeStep how often to poll the real-time series
     * @return the streams
     */
    public static MetricStreams create(TrtcAsyncClient client, Scheduler scheduler, Duration realTimeStep) {
        return new MetricStreams(client, scheduler, realTimeStep, io.github.trtcreactive.reactor.poll.PollListener.NONE);
    }

    /**
     * Streams that report their work to a listener (each stream as a followed series of its action,
     * each poll with its outcome; see {@code TrtcMicrometer.pollMetrics}).
     *
     * @param client the client
     * @param scheduler the scheduler of the poll intervals
     * @param realTimeStep how often to poll the real-time series
     * @param listener the listener (it never changes a stream: one that throws is logged and ignored)
     * @return the streams
     */
    public static MetricStreams create(TrtcAsyncClient client, Scheduler scheduler, Duration realTimeStep,
            io.github.trtcreactive.reactor.poll.PollListener listener) {
        return new MetricStreams(client, scheduler, realTimeStep,
                io.github.trtcreactive.reactor.internal.SafePollListener.of(listener));
    }

    /**
     * The real-time scale series ({@code userCount}, {@code roomCount}) of an application or one room.
     * Starts no earlier than the service allows (the last hour).
     *
     * @param sdkAppId the application
     * @param roomId one room, or null for the whole application
     * @param since the first time wanted
     * @return the points, live; polls every 10 s until cancelled
     */
    public Flux<MetricPoint> realTimeScale(long sdkAppId, String roomId, Instant since) {
        return live("DescribeTRTCRealTimeScaleData", (turns, action) -> MetricLoop.stream((start, end) -> client.describeTRTCRealTimeScaleData(
                                DescribeTRTCRealTimeScaleDataRequest.builder().sdkAppId(Long.toString(sdkAppId))
                                        .roomId(roomId).startTime(start).endTime(end).build())
                        .map(r -> points(r.data())),
                since.getEpochSecond(), realTimeStep, Duration.ofHours(1), Duration.ofHours(1), false, this::now, scheduler, turns, action, listener));
    }

    /**
     * The real-time quality series ({@code videoFreezeRate}, {@code audioFreezeRate}), looking back
     * at most 12 hours, one hour per call.
     *
     * @param sdkAppId the application
     * @param roomId one room, or null for the whole application
     * @param since the first time wanted
     * @return the points, live; polls every 10 s until cancelled
     */
    public Flux<MetricPoint> realTimeQuality(long sdkAppId, String roomId, Instant since) {
        return live("DescribeTRTCRealTimeQualityData", (turns, action) -> MetricLoop.stream((start, end) -> client.describeTRTCRealTimeQualityData(
                                DescribeTRTCRealTimeQualityDataRequest.builder().sdkAppId(Long.toString(sdkAppId))
                                        .roomId(roomId).startTime(start).endTime(end).build())
                        .map(r -> points(r.data())),
                since.getEpochSecond(), realTimeStep, Duration.ofHours(1), Duration.ofHours(12), false, this::now, scheduler, turns, action, listener));
    }

    /**
     * The dashboard scale series, one point per ended hour or day, looking back at most 60 days.
     *
     * @param sdkAppId the application
     * @param period hours or days
     * @param since the first day wanted
     * @return the points, live; polls once per period until cancelled
     */
    public Flux<MetricPoint> marketScale(long sdkAppId, Period period, LocalDate since) {
        return live("DescribeTRTCMarketScaleData", (turns, action) -> MetricLoop.stream((start, end) -> client.describeTRTCMarketScaleData(
                                DescribeTRTCMarketScaleDataRequest.builder().sdkAppId(Long.toString(sdkAppId))
                                        .startTime(day(start)).endTime(day(end)).period(period.wire).build())
                        .map(r -> points(r.data())),
                since.atStartOfDay(DASHBOARD_ZONE).toEpochSecond(), period.length, Duration.ofDays(60),
                Duration.ofDays(60), true, this::now, scheduler, turns, action, listener));
    }

    /**
     * The dashboard quality series, one point per ended hour or day, looking back at most 30 days (the
     * basic dashboard edition's reach; the stricter of the documented ones).
     *
     * @param sdkAppId the application
     * @param period hours or days
     * @param since the first day wanted
     * @return the points, live; polls once per period until cancelled
     */
    public Flux<MetricPoint> marketQuality(long sdkAppId, Period period, LocalDate since) {
        return live("DescribeTRTCMarketQualityData", (turns, action) -> MetricLoop.stream((start, end) -> client.describeTRTCMarketQualityData(
                                DescribeTRTCMarketQualityDataRequest.builder().sdkAppId(Long.toString(sdkAppId))
                                        .startTime(day(start)).endTime(day(end)).period(period.wire).build())
                        .map(r -> points(r.data())),
                since.atStartOfDay(DASHBOARD_ZONE).toEpochSecond(), period.length, Duration.ofDays(30),
                Duration.ofDays(30), true, this::now, scheduler, turns, action, listener));
    }

    /** The usage series: minutes of audio and video, recording, mixing, or relay bandwidth. */
    public enum Usage {
        /** DescribeTrtcUsage: Audio, SD, HD, FullHD, 2K, 4K minutes. */
        TRTC,
        /** DescribeRecordingUsage of single-stream recording. */
        RECORDING_SINGLE,
        /** DescribeRecordingUsage of mixed recording. */
        RECORDING_MIXED,
        /** DescribeMixTranscodingUsage. */
        MIX_TRANSCODING,
        /** DescribeRelayUsage: relay bandwidth. */
        RELAY
    }

    /**
     * A usage series in 5-minute buckets (one value per usage key), each ended bucket once, polled
     * every 5 minutes. Each call asks for one day, the span that gives 5-minute buckets; the stream
     * looks back at most 31 days.
     *
     * @param usage which usage
     * @param sdkAppId the application
     * @param since the first day wanted
     * @return the points, live; until cancelled
     */
    public Flux<MetricPoint> usage(Usage usage, long sdkAppId, LocalDate since) {
        return live(usageAction(usage), (turns, action) -> MetricLoop.stream((start, end) -> Flux.fromIterable(days(start, end))
                        .concatMap(day -> usageOfDay(usage, sdkAppId, day))
                        .flatMapIterable(points -> points)
                        .collectList(),
                since.atStartOfDay(DASHBOARD_ZONE).toEpochSecond(), Duration.ofMinutes(5), Duration.ofDays(31),
                Duration.ofDays(31), true, this::now, scheduler, turns, action, listener));
    }

    private reactor.core.publisher.Mono<List<MetricPoint>> usageOfDay(Usage usage, long sdkAppId, String day) {
        Long app = sdkAppId;
        return switch (usage) {
            case TRTC -> client.describeTrtcUsage(io.github.trtcreactive.core.model.DescribeTrtcUsageRequest.builder()
                    .sdkAppId(app).startTime(day).endTime(day).build()).map(r -> usagePoints(r.usageKey(), r.usageList()));
            case RECORDING_SINGLE, RECORDING_MIXED -> client.describeRecordingUsage(
                    io.github.trtcreactive.core.model.DescribeRecordingUsageRequest.builder().sdkAppId(app)
                            .startTime(day).endTime(day).mixType(usage == Usage.RECORDING_SINGLE ? "single" : "multi")
                            .build()).map(r -> usagePoints(r.usageKey(), r.usageList()));
            case MIX_TRANSCODING -> client.describeMixTranscodingUsage(
                    io.github.trtcreactive.core.model.DescribeMixTranscodingUsageRequest.builder().sdkAppId(app)
                            .startTime(day).endTime(day).build()).map(r -> usagePoints(r.usageKey(), r.usageList()));
            case RELAY -> client.describeRelayUsage(io.github.trtcreactive.core.model.DescribeRelayUsageRequest
                    .builder().sdkAppId(app).startTime(day).endTime(day).build())
                    .map(r -> usagePoints(r.usageKey(), r.usageList()));
        };
    }

    /** The days (UTC+8) a window touches, oldest first. */
    private static List<String> days(long start, long end) {
        List<String> days = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(day(start)); !d.isAfter(LocalDate.parse(day(end))); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        return days;
    }

    static List<MetricPoint> usagePoints(List<String> keys, List<io.github.trtcreactive.core.model.TrtcUsage> list) {
        List<MetricPoint> points = new ArrayList<>();
        if (keys == null || list == null) {
            return points;
        }
        for (io.github.trtcreactive.core.model.TrtcUsage bucket : list) {
            if (bucket.timeStampKey() == null || bucket.usageValue() == null
                    || bucket.usageValue().size() != keys.size()) {
                continue;
            }
            points.add(new MetricPoint(Instant.ofEpochSecond(bucket.timeStampKey()), keys, bucket.usageValue()));
        }
        return points;
    }

    /** The service's present, as the client knows it (its clock, corrected by the offset it learned). */
    private long now() {
        return client.serviceNow().getEpochSecond();
    }

    /**
     * A stream that takes its turns in its action's schedule (for the account its calls are signed
     * for) and ends with TrtcClientClosedException when the client closes.
     */
    private Flux<MetricPoint> live(String action, BiFunction<Function<Duration, TurnSchedule.Ticket>, String,
            Flux<MetricPoint>> stream) {
        return client.endOnClose(Flux.deferContextual(context -> {
            String account = TrtcCallOptions.from(context).credentials().map(Credentials::secretId).orElse("");
            return stream.apply(interval -> schedules.join(action + "\n" + account, interval), action);
        }), "MetricStreams");
    }

    /** {@return how many schedules (action and account pairs) are held now} */
    int scheduleCount() {
        return schedules.size();
    }

    private static String usageAction(Usage usage) {
        return switch (usage) {
            case TRTC -> "DescribeTrtcUsage";
            case RECORDING_SINGLE, RECORDING_MIXED -> "DescribeRecordingUsage";
            case MIX_TRANSCODING -> "DescribeMixTranscodingUsage";
            case RELAY -> "DescribeRelayUsage";
        };
    }

    private static String day(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atOffset(DASHBOARD_ZONE).toLocalDate().toString();
    }

    /** The rows of every series in a result; element 0 of each row is its time. */
    static List<MetricPoint> points(TRTCDataResult data) {
        List<MetricPoint> points = new ArrayList<>();
        if (data == null || data.series() == null) {
            return points;
        }
        for (SeriesInfos series : data.series()) {
            List<String> columns = series.columns() == null ? List.of() : series.columns();
            List<String> valueColumns = columns.isEmpty() ? List.of() : columns.subList(1, columns.size());
            for (RowValues row : series.values() == null ? List.<RowValues>of() : series.values()) {
                List<Long> cells = row.rowValue();
                if (cells == null || cells.isEmpty() || cells.size() != columns.size()) {
                    continue;
                }
                points.add(new MetricPoint(Instant.ofEpochSecond(cells.get(0)), valueColumns,
                        cells.subList(1, cells.size()).stream().map(Long::doubleValue).toList()));
            }
        }
        return points;
    }
}
