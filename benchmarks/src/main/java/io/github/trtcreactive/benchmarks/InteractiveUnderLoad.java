package io.github.trtcreactive.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.CreateCloudRecordingResponse;
import io.github.trtcreactive.core.model.DescribeCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * A request handler's call while pollers spend the budget: {@code InteractiveUnderLoad TASKS}
 * starts an emulator in this JVM at the documented limits (DescribeCloudRecording: 20 calls a
 * second), starts TASKS cloud recordings (an anchor in each room) and follows them all with
 * {@code TaskPollers} (default 5 s interval). Once every task has been polled, it alternates six
 * 30-second phases: in "interactive first" phases a handler's {@code describeCloudRecording} (of a
 * task nobody follows) is made once a second as the client's default, interactive call; in the
 * baseline phases the same call is made as background work, first come first served with the
 * polls. Prints one JSON line: per side, the call's p50 and p99 time to answer (permit wait plus the
 * round trip), the polls each followed task got per minute, and the calls the emulator refused.
 */
public final class InteractiveUnderLoad {

    /** What the report says about this table. */
    static final String DESCRIPTION = "A request handler's `describeCloudRecording` once a second while"
            + " `TaskPollers` follow many cloud recordings, on the emulator at the documented 20 calls a second"
            + " (one JVM; `InteractiveUnderLoad TASKS`). Six alternating 30-second phases per row: the handler's"
            + " call as an interactive call (the default), or as background work (the baseline: first come,"
            + " first served with the polls). Times are from the call to its answer: the permit wait plus the"
            + " round trip. Polls per task per minute: the budget each followed task got.";

    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final int PHASES = 6;

    private InteractiveUnderLoad() {}

    /** One side of one row. */
    record Result(int tasks, String side, double p50Ms, double p99Ms, double pollsPerTaskPerMinute, long refused) {}

    /** Both sides of one row. */
    record Run(List<Result> rows) {}

    /**
     * Runs the measurement.
     *
     * @param args the number of followed tasks
     * @throws Exception when it cannot run
     */
    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[0]);
        LongAdder polls = new LongAdder();
        LongAdder refused = new LongAdder();
        try (TrtcEmulator emulator = TrtcEmulator.builder().recordRequests(false).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(emulator.credentials())
                        .endpoint(emulator.uri()).region("ap-singapore")
                        .callListener((action, latency, error) -> {
                            if (error instanceof TrtcServiceException s && s.isCode("RequestLimitExceeded")) {
                                refused.increment();
                            }
                        })
                        .build()) {
            long app = emulator.sdkAppId();
            String sig = emulator.userSigs().generate("robot", Duration.ofHours(2));
            System.out.println("starting " + (tasks + 1) + " recordings at 20 a second");
            List<String> ids = Flux.range(0, tasks + 1)
                    .doOnNext(i -> emulator.rooms().join("room-" + i, "anchor"))
                    .concatMap(i -> client.withPriority(CallPriority.BACKGROUND).createCloudRecording(
                            CreateCloudRecordingRequest.builder().sdkAppId(app).roomId("room-" + i).roomIdType(0L)
                                    .userId("robot").userSig(sig)
                                    .recordParams(RecordParams.builder().recordMode(1L).maxIdleTime(86_400L).build())
                                    .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                            .tencentVod(TencentVod.builder().build()).build()).build())
                                    .build()).map(CreateCloudRecordingResponse::taskId), 32)
                    .collectList()
                    .block(Duration.ofMinutes(10)); // the program's main thread waits for the set-up
            String handlers = ids.get(tasks);
            List<String> followed = ids.subList(0, tasks);

            TaskPollers pollers = TaskPollers.create(client);
            Disposable.Composite running = Disposables.composite();
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (String id : followed) {
                running.add(pollers.poll(TaskKind.CLOUD_RECORDING, app, id).subscribe(u -> seen.add(u.taskId())));
            }
            while (seen.size() < tasks) {
                Thread.sleep(100); // the main thread waits for the first round of polls
            }
            System.out.println("every task polled once; measuring");

            List<Double> interactiveFirst = new ArrayList<>();
            List<Double> onePriority = new ArrayList<>();
            List<Double> pollRateFirst = new ArrayList<>();
            List<Double> pollRateOne = new ArrayList<>();
            long refusedBefore = refused.sum();
            for (int phase = 0; phase < PHASES; phase++) {
                boolean first = phase % 2 == 0;
                TrtcAsyncClient handler = first ? client : client.withPriority(CallPriority.BACKGROUND);
                List<Double> times = new CopyOnWriteArrayList<>();
                long describesBefore = emulator.arrivals("DescribeCloudRecording");
                long started = System.nanoTime();
                for (int second = 0; second < PHASE.toSeconds(); second++) {
                    long asked = System.nanoTime();
                    running.add(handler.describeCloudRecording(DescribeCloudRecordingRequest.builder().sdkAppId(app)
                            .taskId(handlers).build()).subscribe(r -> times.add((System.nanoTime() - asked) / 1e6),
                            e -> { }));
                    Thread.sleep(1000); // the main thread paces the handler's calls
                }
                Thread.sleep(2000); // the last call's answer
                double minutes = (System.nanoTime() - started) / 60e9;
                double pollsPerTask = (emulator.arrivals("DescribeCloudRecording") - describesBefore - times.size())
                        / (double) tasks / minutes;
                (first ? interactiveFirst : onePriority).addAll(times);
                (first ? pollRateFirst : pollRateOne).add(pollsPerTask);
                System.out.printf("phase %d (%s): median %.1f ms, polls per task per minute %.2f%n", phase,
                        first ? "interactive first" : "one priority", percentile(times, 0.5), pollsPerTask);
            }
            running.dispose();
            long refusedDuring = refused.sum() - refusedBefore;
            Run run = new Run(List.of(
                    new Result(tasks, "interactive first (default)", percentile(interactiveFirst, 0.5),
                            percentile(interactiveFirst, 0.99), percentile(pollRateFirst, 0.5), refusedDuring),
                    new Result(tasks, "one priority (baseline)", percentile(onePriority, 0.5),
                            percentile(onePriority, 0.99), percentile(pollRateOne, 0.5), refusedDuring)));
            System.out.println(new ObjectMapper().writeValueAsString(run));
        }
        System.exit(0);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN
                : sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1)));
    }
}
