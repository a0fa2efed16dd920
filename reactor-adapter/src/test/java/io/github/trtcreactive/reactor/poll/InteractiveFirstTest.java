package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.RetryPolicy;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Interactive calls and background polling sharing DescribeCloudRecording's documented 20 calls a
 * second, on the emulator with its rate limits on, over real sockets, in virtual time (see
 * {@link Lockstep}).
 */
class InteractiveFirstTest {

    private static final Duration STEP = Duration.ofMillis(5);
    /** The limiter's spacing of DescribeCloudRecording permits: (1 s + 10 ms margin) / 20. */
    private static final double SPACING = 1.010 / 20;

    private TrtcEmulator emulator;
    private Lockstep lockstep;
    private TrtcAsyncClient client;
    private TaskPollers pollers;
    private long app;
    private final List<Disposable> running = new ArrayList<>();
    private final List<Throwable> refusals = new CopyOnWriteArrayList<>();
    private Instant start;

    @BeforeEach
    void start() {
        start = Instant.parse("2026-06-01T00:00:00Z");
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(start)).requestLogSize(100_000).start();
        lockstep = new Lockstep(emulator);
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(lockstep.time).listener(lockstep).build();
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).clock(emulator.clock()).rateLimiter(limiter).retryPolicy(RetryPolicy.none())
                .callListener((action, latency, error) -> {
                    lockstep.onAttempt(action, latency, error);
                    if (error instanceof TrtcServiceException s && s.isCode("RequestLimitExceeded")) {
                        refusals.add(error);
                    }
                })
                .build();
        pollers = TaskPollers.create(client, lockstep.time);
        app = emulator.sdkAppId();
    }

    @AfterEach
    void stop() {
        running.forEach(Disposable::dispose);
        client.close();
        emulator.close();
        lockstep.time.dispose();
    }

    private List<String> record(int rooms) {
        return lockstep.record(client, rooms);
    }

    /** Follows tasks; returns each one's updates as they come. */
    private Map<String, List<TaskUpdate<DescribeCloudRecordingResponse>>> follow(List<String> ids) {
        Map<String, List<TaskUpdate<DescribeCloudRecordingResponse>>> updates = new ConcurrentHashMap<>();
        for (String id : ids) {
            List<TaskUpdate<DescribeCloudRecordingResponse>> mine = new CopyOnWriteArrayList<>();
            updates.put(id, mine);
            running.add(pollers.poll(TaskKind.CLOUD_RECORDING, app, id).subscribe(mine::add));
        }
        return updates;
    }

    /** One interactive Describe; adds its wait (virtual seconds, subscription to answer) when answered. */
    private void interactive(String taskId, List<Double> waits) {
        double asked = lockstep.seconds();
        running.add(client.describeCloudRecording(DescribeCloudRecordingRequest.builder().sdkAppId(app).taskId(taskId)
                .build()).subscribe(r -> waits.add(lockstep.seconds() - asked), e -> { }));
    }

    /** The emulated seconds (since the start) at which each followed task was described, from the emulator's log. */
    private Map<String, List<Double>> pollTimes(List<String> followed, double from, double to) {
        java.util.Set<String> wanted = new java.util.HashSet<>(followed);
        return emulator.requests("DescribeCloudRecording").stream()
                .filter(r -> wanted.contains(r.body().path("TaskId").asText()))
                .filter(r -> within(r, from, to))
                .collect(Collectors.groupingBy(r -> r.body().path("TaskId").asText(),
                        Collectors.mapping(this::at, Collectors.toList())));
    }

    private boolean within(RecordedRequest r, double from, double to) {
        double at = at(r);
        return at >= from && at < to;
    }

    private double at(RecordedRequest r) {
        return Duration.between(start, r.receivedAt()).toNanos() / 1e9;
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static List<Double> gaps(List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            gaps.add(sorted.get(i) - sorted.get(i - 1));
        }
        return gaps;
    }

    @Test
    void aThousandFollowedRecordings_andOneInteractiveDescribeASecond() {
        List<String> ids = record(1001);
        String asked = ids.get(1000); // the handler's task: described interactively, not followed
        List<String> followed = ids.subList(0, 1000);
        List<String> leaving = followed.subList(0, 20); // their anchors leave for a while: Idle, then back
        List<String> stopped = followed.subList(20, 30); // stopped by the user: they end
        List<String> steady = followed.subList(30, 1000);
        var updates = follow(followed);
        List<Double> waits = new CopyOnWriteArrayList<>();

        double followedAt = lockstep.seconds();
        double leftAt = 0;
        double stoppedAt = 0;
        double backAt = 0;
        for (int second = 0; second < 230; second++) {
            if (second == 60) {
                leftAt = lockstep.seconds();
                for (int i = 0; i < 20; i++) {
                    emulator.rooms().leave("room-" + i, "anchor");
                }
            }
            if (second == 100) {
                stoppedAt = lockstep.seconds();
                for (String id : stopped) {
                    running.add(client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app)
                            .taskId(id).build()).subscribe());
                }
            }
            if (second == 200) {
                backAt = lockstep.seconds();
                for (int i = 0; i < 20; i++) {
                    emulator.rooms().join("room-" + i, "anchor");
                }
            }
            interactive(asked, waits);
            lockstep.run(Duration.ofSeconds(1), STEP);
        }

        // Interactive calls wait at most about one permit spacing, however many polls are due.
        assertThat(waits).hasSizeGreaterThanOrEqualTo(229);
        assertThat(percentile(waits, 0.99)).as("interactive wait p99, s").isLessThanOrEqualTo(SPACING + 0.100);
        assertThat(refusals).as("calls the emulator refused as over its limit").isEmpty();
        assertThat(emulator.requests().stream().filter(r -> "RequestLimitExceeded".equals(r.errorCode())))
                .isEmpty();

        // Round robin: in the window where the Idle ones are polled often, the steady tasks share what
        // is left, each once per N / B seconds (+-20%).
        double from = followedAt + 70;
        double to = followedAt + 200;
        Map<String, List<Double>> polls = pollTimes(steady, from, to);
        long steadyPolls = polls.values().stream().mapToLong(List::size).sum();
        double budget = steadyPolls / (to - from);
        double every = steady.size() / budget;
        assertThat(budget).as("steady polls a second (20 less the interactive one and the Idle tasks' polls)")
                .isBetween(13.0, 17.0);
        assertThat(polls).hasSize(steady.size());
        for (var e : polls.entrySet()) {
            assertThat(gaps(e.getValue())).as("gaps between polls of %s, s (N/B = %.1f)", e.getKey(), every)
                    .isNotEmpty()
                    .allSatisfy(g -> assertThat(g).isBetween(0.8 * every, 1.2 * every));
        }
        double allEvery = followed.size() / ((double) pollTimes(followed, from, to).values().stream()
                .mapToLong(List::size).sum() / (to - from));

        // Every status change is seen: the Idle spell (found within N / B, then polled as transitional
        // every 5 s, so the return is seen within an interval), and every stop.
        for (String id : leaving) {
            List<TaskUpdate<DescribeCloudRecordingResponse>> u = updates.get(id);
            assertThat(u).extracting(x -> x.status().value()).as(id).containsExactly("InProgress", "Idle", "InProgress");
            double idleSeen = seconds(u.get(1).observedAt());
            double backSeen = seconds(u.get(2).observedAt());
            assertThat(idleSeen - leftAt).as("Idle seen after the anchor left, s").isLessThanOrEqualTo(1.2 * allEvery);
            assertThat(backSeen - backAt).as("InProgress seen after the anchor came back, s").isLessThanOrEqualTo(6.0);
        }
        for (String id : stopped) {
            List<TaskUpdate<DescribeCloudRecordingResponse>> u = updates.get(id);
            assertThat(u.get(0).status().value()).isEqualTo("InProgress");
            TaskUpdate<DescribeCloudRecordingResponse> end = u.get(u.size() - 1);
            assertThat(end.status().isTerminal()).as(id + " ended").isTrue();
            assertThat(seconds(end.observedAt()) - stoppedAt).as("end seen after the stop, s")
                    .isLessThanOrEqualTo(1.2 * every);
        }
        for (String id : steady) {
            assertThat(updates.get(id)).extracting(x -> x.status().value()).containsExactly("InProgress");
        }
    }

    @Test
    void underSustainedInteractiveLoadAtTheFullLimit_backgroundPollingKeepsItsShare() {
        List<String> ids = record(101);
        String asked = ids.get(100);
        List<String> followed = ids.subList(0, 100);
        follow(followed);
        List<Double> waits = new CopyOnWriteArrayList<>();

        double followedAt = lockstep.seconds();
        for (int tick = 0; tick < 75 * 20; tick++) { // 20 interactive calls a second for 75 s
            interactive(asked, waits);
            lockstep.run(Duration.ofMillis(50), STEP);
        }

        // The limiter serves three interactive calls for each background one while both wait: the
        // background share is a quarter, 5 polls a second, so each of 100 tasks every 20 s.
        double from = followedAt + 10;
        double to = followedAt + 75;
        Map<String, List<Double>> polls = pollTimes(followed, from, to);
        double budget = polls.values().stream().mapToLong(List::size).sum() / (to - from);
        assertThat(budget).as("background polls a second").isBetween(4.5, 5.5);
        double every = followed.size() / budget;
        assertThat(polls).hasSize(followed.size());
        for (var e : polls.entrySet()) {
            assertThat(gaps(e.getValue())).as("gaps between polls of %s, s", e.getKey()).isNotEmpty()
                    .allSatisfy(g -> assertThat(g).isBetween(0.8 * every, 1.2 * every));
        }
        long interactiveAnswers = emulator.requests("DescribeCloudRecording").stream()
                .filter(r -> r.body().path("TaskId").asText().equals(asked)).filter(r -> within(r, from, to)).count();
        assertThat(interactiveAnswers / (to - from)).as("interactive calls a second").isBetween(14.0, 15.8);
        assertThat(refusals).isEmpty();
    }

    private double seconds(Instant observedAt) {
        // TaskUpdate.observedAt is on the pollers' (virtual) clock, which started at 0 with the emulator's.
        return observedAt.toEpochMilli() / 1000.0;
    }
}
