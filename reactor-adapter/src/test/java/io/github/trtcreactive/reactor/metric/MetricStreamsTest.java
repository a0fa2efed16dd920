package io.github.trtcreactive.reactor.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcCallOptions;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import io.github.trtcreactive.reactor.internal.TurnSchedules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class MetricStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** In-memory data: a row every 10 s up to the virtual now; records the windows asked for. */
    private static final class FakeSeries {
        final VirtualTimeScheduler time;
        final List<long[]> windows = new CopyOnWriteArrayList<>();
        final long delay; // how long a row takes to become visible

        FakeSeries(VirtualTimeScheduler time, long delay) {
            this.time = time;
            this.delay = delay;
        }

        Mono<List<MetricPoint>> fetch(long start, long end) {
            windows.add(new long[] {start, end});
            long visible = Math.min(end, time.now(TimeUnit.SECONDS) - delay);
            List<MetricPoint> rows = new ArrayList<>();
            for (long t = (start + 9) / 10 * 10; t <= visible; t += 10) {
                rows.add(new MetricPoint(Instant.ofEpochSecond(t), List.of("userCount"), List.of((double) (t / 10))));
            }
            return Mono.just(rows);
        }
    }

    @Test
    void eachTimestampOnce_inOrder_withoutGaps_evenForLateData() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeTo(Instant.ofEpochSecond(1_000_000));
        FakeSeries series = new FakeSeries(time, 15); // rows show up 15 s late
        long since = 1_000_000 - 60;

        StepVerifier.withVirtualTime(() -> MetricLoop.stream(series::fetch, since, Duration.ofSeconds(10),
                                Duration.ofHours(1), Duration.ofHours(1), false, () -> time.now(TimeUnit.SECONDS), time,
                                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW))
                        .map(p -> p.time().getEpochSecond()).take(12), () -> time, Long.MAX_VALUE)
                .expectNext(since, since + 10, since + 20, since + 30, since + 40)
                .thenAwait(Duration.ofSeconds(70))
                .expectNext(since + 50, since + 60, since + 70, since + 80, since + 90, since + 100, since + 110)
                .expectComplete()
                .verify(WAIT);

        for (int i = 1; i < series.windows.size(); i++) {
            long start = series.windows.get(i)[0];
            assertThat((start - 1) % 10).as("each window starts just after the last point seen").isZero();
        }
    }

    @Test
    void pollingFasterThanTheData_neverAsksForAnEmptyWindow() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeTo(Instant.ofEpochSecond(3_000_000));
        FakeSeries series = new FakeSeries(time, 0);
        long since = 3_000_000 - 20;

        StepVerifier.withVirtualTime(() -> MetricLoop.stream(series::fetch, since, Duration.ofSeconds(1),
                                Duration.ofHours(1), Duration.ofHours(1), false, () -> time.now(TimeUnit.SECONDS), time,
                                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW))
                        .map(p -> p.time().getEpochSecond()).take(5), () -> time, Long.MAX_VALUE)
                .expectNext(since, since + 10, since + 20)
                .thenAwait(Duration.ofSeconds(20))
                .expectNext(since + 30, since + 40)
                .expectComplete()
                .verify(WAIT);

        assertThat(series.windows).isNotEmpty().allSatisfy(w -> assertThat(w[1]).as("window end").isGreaterThan(w[0]));
    }

    @Test
    void longWindows_areSplitAndClampedToTheLookback() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeTo(Instant.ofEpochSecond(2_000_000));
        FakeSeries series = new FakeSeries(time, 0);
        long now = 2_000_000;

        StepVerifier.withVirtualTime(() -> MetricLoop.stream(series::fetch, now - 24 * 3600, Duration.ofSeconds(10),
                                Duration.ofHours(1), Duration.ofHours(12), false, () -> time.now(TimeUnit.SECONDS), time,
                                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW))
                        .take(12 * 360), () -> time, Long.MAX_VALUE)
                .expectNextCount(12 * 360)
                .expectComplete()
                .verify(WAIT);

        assertThat(series.windows).hasSize(12).first()
                .satisfies(w -> assertThat(w[0]).as("clamped to 12 hours back").isEqualTo(now - 12 * 3600));
        assertThat(series.windows).allSatisfy(w -> assertThat(w[1] - w[0]).isLessThan(3600));
    }

    @Test
    void transientFailures_areWaitedOutInsideTheLoop_andOthersEndIt() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeTo(Instant.ofEpochSecond(4_000_000));
        FakeSeries series = new FakeSeries(time, 0);
        long since = 4_000_000 - 20;
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.BiFunction<Long, Long, Mono<List<MetricPoint>>> flaky = (start, end) -> {
            int n = calls.incrementAndGet();
            if (n == 2 || n == 3) {
                return Mono.error(new io.github.trtcreactive.core.error.TrtcServiceException("X", "InternalError",
                        "busy", "r", 200));
            }
            if (n == 5) {
                return Mono.error(new io.github.trtcreactive.core.error.TrtcServiceException("X",
                        "InvalidParameter", "no", "r", 200));
            }
            return series.fetch(start, end);
        };

        StepVerifier.withVirtualTime(() -> MetricLoop.stream(flaky, since, Duration.ofSeconds(10),
                                Duration.ofHours(1), Duration.ofHours(1), false, () -> time.now(TimeUnit.SECONDS), time,
                                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW))
                        .map(p -> p.time().getEpochSecond()), () -> time, Long.MAX_VALUE)
                .expectNext(since, since + 10, since + 20)
                .thenAwait(Duration.ofSeconds(10))
                .expectNoEvent(Duration.ofMillis(500))
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(since + 30)
                .thenAwait(Duration.ofSeconds(10))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("InvalidParameter"))
                .verify(WAIT);
        assertThat(calls).as("two failures retried, the third kind ended it").hasValue(5);
    }

    @Test
    void resubscribing_goesOnAfterTheLastPointEmitted() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeTo(Instant.ofEpochSecond(5_000_000));
        FakeSeries series = new FakeSeries(time, 0);
        long since = 5_000_000 - 20;
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.BiFunction<Long, Long, Mono<List<MetricPoint>>> failsOnce = (start, end) ->
                calls.incrementAndGet() == 2 ? Mono.error(new IllegalStateException("boom")) : series.fetch(start, end);

        StepVerifier.withVirtualTime(() -> MetricLoop.stream(failsOnce, since, Duration.ofSeconds(10),
                                Duration.ofHours(1), Duration.ofHours(1), false, () -> time.now(TimeUnit.SECONDS), time,
                                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW))
                        .retry(1)
                        .map(p -> p.time().getEpochSecond()).take(5), () -> time, Long.MAX_VALUE)
                .expectNext(since, since + 10, since + 20)
                .thenAwait(Duration.ofSeconds(20))
                .expectNext(since + 30, since + 40)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void realTimeScale_fromTheEmulator_followsItsRooms() {
        // Mid-bucket, so the 30 s before it hold exactly three rows, all before anyone joined.
        Instant t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 10 * 10 + 5);
        try (TrtcEmulator emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(t0)).rateLimits(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                        .endpoint(emulator.uri()).clock(emulator.clock()).rateLimiter(TrtcRateLimiter.disabled())
                        .build()) {
            emulator.rooms().join("r1", "a", "b");
            MetricStreams streams = MetricStreams.create(client, reactor.core.scheduler.Schedulers.parallel(),
                    Duration.ofMillis(50));

            StepVerifier.create(streams.realTimeScale(emulator.sdkAppId(), null, t0.minusSeconds(30)))
                    .expectNextCount(2)
                    .assertNext(p -> {
                        assertThat(p.time().getEpochSecond() % 10).isZero();
                        assertThat(p.value("userCount")).isZero();
                    })
                    .then(() -> emulator.clock().advance(Duration.ofSeconds(10)))
                    .assertNext(p -> {
                        assertThat(p.value("userCount")).isEqualTo(2.0);
                        assertThat(p.value("roomCount")).isEqualTo(1.0);
                    })
                    .thenCancel()
                    .verify(WAIT);
            StepVerifier.create(streams.marketScale(emulator.sdkAppId(), MetricStreams.Period.DAY,
                            LocalDate.now().minusDays(3)).take(3))
                    .expectNextCount(3)
                    .expectComplete()
                    .verify(WAIT);
            LocalDate today = emulator.clock().instant().atOffset(java.time.ZoneOffset.ofHours(8)).toLocalDate();
            StepVerifier.create(streams.usage(MetricStreams.Usage.TRTC, emulator.sdkAppId(), today.minusDays(2))
                            .take(300).collectList())
                    .assertNext(points -> {
                        assertThat(points).extracting(p -> p.time().getEpochSecond())
                                .isSorted().doesNotHaveDuplicates();
                        assertThat(points.get(1).time().getEpochSecond() - points.get(0).time().getEpochSecond())
                                .as("5-minute buckets").isEqualTo(300);
                        assertThat(points.get(0).columns()).containsExactly("Audio", "SD", "HD", "FullHD", "2K", "4K");
                        assertThat(points.get(288).time()).as("a whole day's 288 buckets, then the next day's")
                                .isEqualTo(today.minusDays(1).atStartOfDay(java.time.ZoneOffset.ofHours(8)).toInstant());
                    })
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void now_isTheServicesPresent_withTheOffsetTheClientLearned() {
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start();
                TrtcAsyncClient behind = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                        .endpoint(emulator.uri()).rateLimiter(TrtcRateLimiter.disabled())
                        .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-10))).build()) {
            emulator.rooms().join("r1", "a");
            // The first call is refused as signed 10 minutes ago, and teaches the client the offset.
            behind.call("DescribeStreamIngest", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("SdkAppId", emulator.sdkAppId()).put("TaskId", "t")).block(WAIT);
            MetricStreams streams = MetricStreams.create(behind, reactor.core.scheduler.Schedulers.parallel(),
                    Duration.ofMillis(50));

            StepVerifier.create(streams.realTimeScale(emulator.sdkAppId(), null, Instant.now().minusSeconds(60)))
                    .as("by the local clock the window would still lie ten minutes in the future")
                    .expectNextCount(3)
                    .thenCancel()
                    .verify(WAIT);
        }
    }

    @Test
    void rotatingSecretIds_leaveNoScheduleBehind_onceIdleForTheIdleTime() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try (TrtcEmulator emulator = TrtcEmulator.builder().rateLimits(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                        .endpoint(emulator.uri()).rateLimiter(TrtcRateLimiter.disabled()).build()) {
            MetricStreams streams = MetricStreams.create(client, time, Duration.ofSeconds(10));
            for (int i = 0; i < 1000; i++) {
                // Each stream takes its first turn at once and is cancelled: only the schedule stays.
                streams.realTimeScale(emulator.sdkAppId(), null, Instant.now().minusSeconds(60))
                        .contextWrite(TrtcCallOptions.none()
                                .withCredentials(Credentials.of("AKIDrotated" + i, "secret")).asContext())
                        .subscribe(p -> { }, e -> { }).dispose();
            }
            assertThat(streams.scheduleCount()).as("one schedule per SecretId").isEqualTo(1000);

            time.advanceTimeBy(TurnSchedules.IDLE_TIME.minusSeconds(1));
            assertThat(streams.scheduleCount()).as("not idle for the idle time yet").isEqualTo(1000);

            time.advanceTimeBy(TurnSchedules.IDLE_TIME.dividedBy(4).plusSeconds(1)); // and one sweep period
            assertThat(streams.scheduleCount()).isZero();
        } finally {
            time.dispose();
        }
    }
}
