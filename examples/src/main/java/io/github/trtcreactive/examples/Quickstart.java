package io.github.trtcreactive.examples;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.poll.TaskStatus;
import io.github.trtcreactive.reactor.poll.TaskUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The SDK's main job in one program: start an on-cloud recording, follow its status live, stop it,
 * and print a timeline of what happened with each request id.
 *
 * <pre>
 * java -jar examples/target/trtc-examples.jar quickstart [--record-for SECONDS]
 * </pre>
 *
 * <p>On the embedded emulator a simulated user joins the room so the recording has someone to
 * record, and the program ends by itself in about 15 s. Against the service, join the room printed
 * with any TRTC app to see it record; with nobody there it exits after its 20 s idle limit.
 */
public final class Quickstart {

    /** How long an idle recording robot waits for someone before it exits. */
    static final long MAX_IDLE_SECONDS = 20;

    private Quickstart() {}

    /** One line of the timeline. */
    record Event(Duration at, String action, String what, String requestId) {}

    /** What the run saw, in order. */
    record Timeline(String taskId, List<Event> events) {}

    /**
     * Runs the quickstart from the command line.
     *
     * @param args {@code --record-for SECONDS} (default 8)
     */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), Console.system(), args));
    }

    /**
     * Runs the quickstart and waits for it: the program's one blocking edge, on the main thread.
     *
     * @return the exit status
     */
    static int run(Map<String, String> env, Console console, String[] args) {
        try {
            Duration recordFor = Duration.ofSeconds(Args.parse(args, Map.of("--record-for", "8")).positiveLong(
                    "--record-for"));
            try (ExampleEnvironment environment = ExampleEnvironment.resolve(env, console, "the quickstart", true,
                    b -> b, b -> b)) {
                // The program's only wait, on the main thread; bounded so that it can never hang.
                follow(environment, console, recordFor, Duration.ofSeconds(1)).block(Duration.ofMinutes(3));
                return 0;
            }
        } catch (ExampleConfigException e) {
            console.line("quickstart: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            console.line("quickstart failed: " + e);
            return 1;
        } finally {
            console.close();
        }
    }

    /**
     * The quickstart itself, non-blocking: creates the recording, follows it, stops it after it has
     * recorded for {@code recordFor}, and completes with the timeline once the task has ended.
     */
    static Mono<Timeline> follow(ExampleEnvironment environment, Console console, Duration recordFor,
            Duration pollInterval) {
        TrtcAsyncClient client = environment.client();
        long app = environment.sdkAppId();
        String room = Long.toString(ThreadLocalRandom.current().nextLong(100_000, 1_000_000));
        String robot = "quickstart-recorder";
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();

        environment.emulator().ifPresent(emulator -> {
            emulator.rooms().join(Long.parseLong(room), "anchor-1");
            console.line("[emulator] user anchor-1 joined room %s, standing in for a real app", room);
        });
        if (environment.emulator().isEmpty()) {
            console.line("Join room %s (numeric room id) with a TRTC app to give the recorder something to record.",
                    room);
        }

        Mono<String> create = client.createCloudRecording(CreateCloudRecordingRequest.builder()
                        .sdkAppId(app)
                        .roomId(room)
                        .roomIdType(1L) // for recording, 1 means a numeric room id
                        .userId(robot)
                        .userSig(environment.userSigs().generate(robot, Duration.ofHours(1)))
                        .recordParams(RecordParams.builder().recordMode(2L).maxIdleTime(MAX_IDLE_SECONDS).build())
                        .storageParams(StorageParams.builder()
                                .cloudVod(CloudVod.builder().tencentVod(TencentVod.builder().build()).build())
                                .build())
                        .build())
                .doOnNext(r -> record(console, events, started, "CreateCloudRecording", "task created",
                        r.requestId()))
                .map(r -> r.taskId());

        PollOptions options = PollOptions.DEFAULTS.withInterval(pollInterval).withTimeout(Duration.ofMinutes(2));
        Flux<TaskUpdate<DescribeCloudRecordingResponse>> updates = TaskPollers.create(client)
                .startAndFollow(TaskKind.CLOUD_RECORDING, app, create, options);

        return updates
                .publish(shared -> Flux.merge(
                        shared.doOnNext(u -> record(console, events, started, "DescribeCloudRecording",
                                describe(u), u.response().map(DescribeCloudRecordingResponse::requestId).orElse("-"))),
                        shared.filter(u -> u.status().phase() == TaskStatus.Phase.RUNNING)
                                .next()
                                .delayElement(recordFor)
                                .flatMap(u -> stop(client, app, u.taskId(), console, events, started))
                                .then(Mono.<TaskUpdate<DescribeCloudRecordingResponse>>empty())))
                .last()
                .map(last -> new Timeline(last.taskId(), List.copyOf(events)))
                .doOnNext(timeline -> print(console, timeline, room));
    }

    private static Mono<Void> stop(TrtcAsyncClient client, long app, String taskId, Console console,
            List<Event> events, long started) {
        return client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app).taskId(taskId).build())
                .doOnNext(r -> record(console, events, started, "DeleteCloudRecording", "stop requested",
                        r.requestId()))
                .onErrorResume(TrtcServiceException.class, e -> {
                    // The task ended on its own (idle limit) while we were about to stop it.
                    record(console, events, started, "DeleteCloudRecording", "already ended: " + e.errorCode(),
                            e.requestId());
                    return Mono.empty();
                })
                .then();
    }

    private static String describe(TaskUpdate<DescribeCloudRecordingResponse> update) {
        if (update.status().phase() == TaskStatus.Phase.GONE) {
            return "gone";
        }
        int files = update.response().map(r -> r.storageFileList() == null ? 0 : r.storageFileList().size()).orElse(0);
        return files == 0 ? update.status().value() : update.status().value() + " (" + files + " file"
                + (files == 1 ? "" : "s") + ")";
    }

    private static void record(Console console, List<Event> events, long started, String action, String what,
            String requestId) {
        Event event = new Event(Duration.ofNanos(System.nanoTime() - started), action, what,
                requestId == null ? "-" : requestId);
        events.add(event);
        console.line("  %s", format(event));
    }

    private static String format(Event e) {
        return String.format(java.util.Locale.ROOT, "%+7.2f s  %-22s %-26s request %s", e.at().toNanos() / 1e9,
                e.action(), e.what(), e.requestId());
    }

    private static void print(Console console, Timeline timeline, String room) {
        console.line("");
        console.line("Timeline of recording task %s in room %s:", timeline.taskId(), room);
        timeline.events().forEach(e -> console.line("  %s", format(e)));
        List<Event> events = timeline.events();
        console.line("The task ended %.1f s after it was created; every status came from a live poll.",
                events.get(events.size() - 1).at().toNanos() / 1e9);
    }
}
