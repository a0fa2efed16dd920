package io.github.trtcreactive.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.model.AgentConfig;
import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StartAIConversationRequest;
import io.github.trtcreactive.core.model.StartAITranscriptionRequest;
import io.github.trtcreactive.core.model.StartStreamIngestRequest;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.core.model.TranscriptionParams;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.callback.RoomView;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcCallbacksBuilder;
import io.github.trtcreactive.reactor.metric.MetricPoint;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.poll.TaskUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The streaming user: a small web app on Reactor Netty's {@code HttpServer} whose page draws live
 * charts of the real-time scale and quality metrics and a table of running tasks, all fed by
 * Server-Sent Events straight from the SDK's Fluxes ({@link MetricStreams}, {@link TaskPollers}).
 * The page is plain HTML and JavaScript served from the jar; it loads nothing from the internet.
 *
 * <pre>
 * java -jar examples/target/trtc-examples.jar dashboard [--port 8080] [--task KIND:TASKID]...
 *     [--callback-port N --callback-key KEY]
 * </pre>
 *
 * <p>On the embedded emulator a scenario keeps things moving: users join and leave three rooms,
 * and a recording, a stream ingest, an AI conversation and an AI transcription are started and
 * stopped in rounds. Against the service, pass the tasks to follow with {@code --task}, for example
 * {@code --task cloud-recording:abc123}; the kinds are those of {@link #KINDS}.
 *
 * <p>The tasks are followed through {@link TaskPollers}: their polls are background calls that take
 * turns with the Describe action's budget (a starting or just-changed task first), so the
 * scenario's own starts and stops, interactive calls, are never held up behind them, and following
 * many tasks stretches each one's poll interval instead of queueing. The table shows when each
 * status was observed, and whether it came from a poll or a callback.
 *
 * <p>Callbacks: on the embedded emulator the dashboard receives the emulator's event callbacks, so
 * tasks change status the moment their events arrive and a table shows who is in each room and
 * who sends audio and video ({@link RoomView}); against the service, pass {@code --callback-port}
 * (and the console's {@code --callback-key}) and point the console's callback URL at that port.
 *
 * <p>Every browser shares one feed: the metric streams and task pollers run while at least one page
 * is open (and 30 s after the last one closes), and a page opened later first receives what came
 * before.
 */
public final class LiveDashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDashboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HISTORY = Duration.ofMinutes(3);

    /** The task kinds {@code --task} accepts, by name. */
    static final Map<String, TaskKind<?>> KINDS = Map.of(
            "cloud-recording", TaskKind.CLOUD_RECORDING,
            "stream-ingest", TaskKind.STREAM_INGEST,
            "ai-conversation", TaskKind.AI_CONVERSATION,
            "ai-transcription", TaskKind.AI_TRANSCRIPTION,
            "cloud-moderation", TaskKind.CLOUD_MODERATION,
            "cloud-transcription", TaskKind.CLOUD_TRANSCRIPTION,
            "cloud-slice", TaskKind.CLOUD_SLICE,
            "web-record", TaskKind.WEB_RECORD);

    /** A task the page shows. */
    record Tracked(String kind, String taskId) {}

    /** One Server-Sent Event. */
    record Event(String name, String json) {
        String frame() {
            return "event: " + name + "\ndata: " + json + "\n\n";
        }
    }

    private final ExampleEnvironment environment;
    private final Console console;
    private final Sinks.Many<Tracked> tasks = Sinks.many().replay().all();
    private final Flux<Event> feed;
    private final Disposable.Composite running = Disposables.composite();
    private final DisposableServer server;
    private final RoomView roomView;

    private LiveDashboard(ExampleEnvironment environment, Console console, int port, Duration metricStep,
            TrtcCallbacks callbacks, io.micrometer.core.instrument.MeterRegistry meters) {
        this.environment = environment;
        this.console = console;
        TrtcAsyncClient client = environment.client();
        long app = environment.sdkAppId();
        MetricStreams metrics = MetricStreams.create(client, reactor.core.scheduler.Schedulers.parallel(), metricStep);
        // The room view subscribes first, so it also gets the events the receiver kept before any subscriber.
        this.roomView = callbacks == null ? null : RoomView.of(callbacks);
        // With callbacks, a task's status changes the moment its event arrives and polls become a safety net.
        TaskPollers.Builder polling = TaskPollers.builder(client)
                .listener(io.github.trtcreactive.micrometer.TrtcMicrometer.pollMetrics(meters));
        TaskPollers pollers = (callbacks == null ? polling : polling.callbacks(callbacks)).build();
        PollOptions taskPolls = PollOptions.DEFAULTS.withInterval(Duration.ofSeconds(1)).withTimeout(Duration.ofHours(12));
        Flux<Event> scale = Flux.defer(() -> metrics.realTimeScale(app, null, Instant.now(client.clock()).minus(HISTORY)))
                .map(p -> new Event("scale", point(p)));
        Flux<Event> quality = Flux.defer(() -> metrics.realTimeQuality(app, null,
                        Instant.now(client.clock()).minus(HISTORY)))
                .map(p -> new Event("quality", point(p)));
        Flux<Event> statuses = tasks.asFlux()
                .flatMap(t -> pollers.poll(KINDS.get(t.kind()), app, t.taskId(), taskPolls)
                        .map(u -> new Event("task", task(t, u)))
                        .onErrorResume(e -> Mono.just(new Event("task", failed(t, e)))), Integer.MAX_VALUE);
        Flux<Event> rooms = roomView == null ? Flux.empty() : roomView.snapshots().map(r -> new Event("room", room(r)));
        this.feed = Flux.merge(resilient("scale", scale), resilient("quality", quality), statuses, rooms)
                .replay(2_000)
                .refCount(1, Duration.ofSeconds(30));
        byte[] page = resource("dashboard/index.html");
        byte[] script = resource("dashboard/dashboard.js");
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes
                        .get("/", (req, res) -> serve(res, "text/html; charset=utf-8", page))
                        .get("/dashboard.js", (req, res) -> serve(res, "text/javascript; charset=utf-8", script))
                        .get("/metrics", (req, res) -> serve(res, "text/plain; version=0.0.4; charset=utf-8",
                                PrometheusText.of(meters).getBytes(StandardCharsets.UTF_8)))
                        .get("/events", this::events))
                .bindNow(Duration.ofSeconds(10)); // startup, on the caller's thread
    }

    /**
     * Starts the dashboard and, on the emulator, its scenario.
     *
     * @param environment the client and application (and the emulator, if embedded)
     * @param console where to report
     * @param port the port to listen on, on 127.0.0.1 (0 for any free one)
     * @param metricStep how often the metric streams poll
     * @param follow tasks to follow from the start
     * @return the running dashboard; close it to stop
     */
    static LiveDashboard start(ExampleEnvironment environment, Console console, int port, Duration metricStep,
            List<Tracked> follow) {
        return start(environment, console, port, metricStep, follow, null, new SimpleMeterRegistry());
    }

    /**
     * Starts the dashboard with an event-callback receiver: the page then also shows who is in each
     * room, from room and media events, and tasks change status the moment their events arrive.
     *
     * @param environment the client and application (and the emulator, if embedded)
     * @param console where to report
     * @param port the port to listen on, on 127.0.0.1 (0 for any free one)
     * @param metricStep how often the metric streams poll
     * @param follow tasks to follow from the start
     * @param callbacks the receiver of the application's callbacks, or null
     * @param meters where the client's, the pollers' and the receiver's meters are (served at {@code /metrics})
     * @return the running dashboard; close it to stop
     */
    static LiveDashboard start(ExampleEnvironment environment, Console console, int port, Duration metricStep,
            List<Tracked> follow, TrtcCallbacks callbacks, io.micrometer.core.instrument.MeterRegistry meters) {
        LiveDashboard dashboard = new LiveDashboard(environment, console, port, metricStep, callbacks, meters);
        follow.forEach(dashboard::track);
        environment.emulator().ifPresent(dashboard::runScenario);
        console.line("Dashboard at %s (Ctrl-C to stop)", dashboard.uri());
        return dashboard;
    }

    /**
     * Runs the dashboard from the command line until the process is stopped.
     *
     * @param args {@code --port} (default 8080) and any number of {@code --task KIND:TASKID}
     */
    public static void main(String[] args) {
        Console console = Console.system();
        int port = 8080;
        Integer callbackPort = null;
        String callbackKey = null;
        List<Tracked> follow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new ExampleConfigException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--port" -> port = parsePort(args[++i]);
                    case "--task" -> follow.add(parseTask(args[++i]));
                    case "--callback-port" -> callbackPort = parsePort(args[++i]);
                    case "--callback-key" -> callbackKey = args[++i];
                    default -> throw new ExampleConfigException("unknown option " + args[i]
                            + "; known: --port, --task, --callback-port, --callback-key");
                }
            }
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            CallbackEndpoint endpoint = CallbackEndpoint.start(callbackPort, callbackKey, meters);
            ExampleEnvironment environment = ExampleEnvironment.resolve(System.getenv(), console, "the dashboard", true,
                    emulator -> endpoint.sendFrom(emulator.streamMediaLength(Duration.ofSeconds(20))),
                    client -> observed(client, meters));
            TrtcCallbacks callbacks = environment.emulator().isPresent() || callbackPort != null ? endpoint.callbacks()
                    : null;
            if (callbacks == null) {
                endpoint.close();
            } else if (callbackPort != null) {
                console.line("Callbacks received on port %d (set the console's callback URL to reach it)",
                        endpoint.port());
            }
            LiveDashboard dashboard = start(environment, console, port, Duration.ofSeconds(10), follow, callbacks, meters);
            console.line("Metrics at %smetrics (Prometheus' text format)", dashboard.uri());
            if (follow.isEmpty() && environment.emulator().isEmpty()) {
                console.line("No tasks to follow: pass --task KIND:TASKID, KIND one of %s", KINDS.keySet());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                dashboard.close();
                endpoint.close();
                environment.close();
                console.close();
            }));
            dashboard.server.onDispose().block(); // the program's blocking edge: serve until stopped
        } catch (ExampleConfigException e) {
            console.line("dashboard: " + e.getMessage());
            console.close();
            System.exit(2);
        }
    }

    /**
     * The client as a service would wire its metrics: an observation per call (timed by the meter
     * registry) and the limiter's meters.
     *
     * @param client the client's builder
     * @param meters the registry
     * @return the builder
     */
    static io.github.trtcreactive.reactor.TrtcAsyncClientBuilder observed(
            io.github.trtcreactive.reactor.TrtcAsyncClientBuilder client, io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.create();
        observations.observationConfig().observationHandler(
                new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
        return client.observer(io.github.trtcreactive.micrometer.TrtcMicrometer.observer(observations))
                .rateLimiter(io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter.builder()
                        .listener(io.github.trtcreactive.micrometer.TrtcMicrometer.rateLimitMetrics(meters)).build());
    }

    /**
     * The dashboard's callback receiver: on the embedded emulator, a loopback endpoint with a key of
     * its own that the emulator posts to; against the service, the port given with
     * {@code --callback-port} on every interface, verified with {@code --callback-key}.
     */
    static final class CallbackEndpoint implements AutoCloseable {
        private final TrtcCallbacks callbacks;
        private final reactor.netty.DisposableServer server;
        private final String key;

        private CallbackEndpoint(TrtcCallbacks callbacks, reactor.netty.DisposableServer server, String key) {
            this.callbacks = callbacks;
            this.server = server;
            this.key = key;
        }

        /**
         * Binds a receiver.
         *
         * @param port the port for the service's callbacks, or null for a loopback one for the emulator
         * @param key the console's callback key, or null (for the emulator, a key is made up)
         * @return the endpoint
         */
        static CallbackEndpoint start(Integer port, String key, io.micrometer.core.instrument.MeterRegistry meters) {
            if (port != null && key == null) {
                throw new ExampleConfigException("--callback-port needs --callback-key: the console's callback key, "
                        + "without which anyone could send the dashboard forged events");
            }
            String used = key != null ? key : "dashboard" + ThreadLocalRandom.current().nextInt(1_000_000);
            TrtcCallbacksBuilder builder = TrtcCallbacks.builder()
                    .listener(io.github.trtcreactive.micrometer.TrtcMicrometer.callbackMetrics(meters));
            try {
                builder.key(used);
            } catch (IllegalArgumentException e) {
                throw new ExampleConfigException("--callback-key: " + e.getMessage());
            }
            TrtcCallbacks callbacks = builder.build();
            reactor.netty.DisposableServer server = callbacks.serve(reactor.netty.http.server.HttpServer.create()
                    .host(port == null ? "127.0.0.1" : "0.0.0.0").port(port == null ? 0 : port));
            return new CallbackEndpoint(callbacks, server, used);
        }

        /** Makes an embedded emulator post its callbacks here. */
        io.github.trtcreactive.emulator.TrtcEmulatorBuilder sendFrom(io.github.trtcreactive.emulator.TrtcEmulatorBuilder emulator) {
            return emulator.callbacks(URI.create("http://127.0.0.1:" + server.port() + "/"), key);
        }

        TrtcCallbacks callbacks() {
            return callbacks;
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.disposeNow(Duration.ofSeconds(5));
            callbacks.close();
        }
    }

    private static int parsePort(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ExampleConfigException("--port must be 0 to 65535, was '" + raw + "'");
    }

    static Tracked parseTask(String raw) {
        int colon = raw.indexOf(':');
        if (colon < 1 || colon == raw.length() - 1 || !KINDS.containsKey(raw.substring(0, colon))) {
            throw new ExampleConfigException("--task must be KIND:TASKID with KIND one of "
                    + new java.util.TreeSet<>(KINDS.keySet()) + ", was '" + raw + "'");
        }
        return new Tracked(raw.substring(0, colon), raw.substring(colon + 1));
    }

    /** @return the page's address */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port() + "/");
    }

    /**
     * Adds a task to the table.
     *
     * @param task the task
     */
    void track(Tracked task) {
        // Tasks start on several threads at once; the sink takes one emission at a time, so a
        // concurrent one tries again (briefly) rather than being dropped.
        try {
            tasks.emitNext(task, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        } catch (Sinks.EmissionException e) {
            LOG.warn("task {} not tracked: {}", task, e.getReason());
        }
    }

    /** {@return every task tracked so far, then each new one} */
    Flux<Tracked> trackedTasks() {
        return tasks.asFlux();
    }

    private Mono<Void> events(HttpServerRequest request, HttpServerResponse response) {
        Flux<String> frames = feed.map(Event::frame)
                .mergeWith(Flux.interval(Duration.ofSeconds(15)).map(tick -> ": keep-alive\n\n"));
        return response.header("Content-Type", "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-store")
                .sendString(frames, StandardCharsets.UTF_8)
                .then();
    }

    private static Mono<Void> serve(HttpServerResponse response, String type, byte[] body) {
        return response.header("Content-Type", type)
                .header("Cache-Control", "no-store")
                .sendByteArray(Mono.just(body))
                .then();
    }

    private static byte[] resource(String path) {
        try (InputStream in = Objects.requireNonNull(LiveDashboard.class.getClassLoader().getResourceAsStream(path),
                path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String point(MetricPoint point) {
        ObjectNode node = JSON.createObjectNode().put("t", point.time().toEpochMilli());
        ObjectNode values = node.putObject("values");
        for (int i = 0; i < point.columns().size(); i++) {
            values.put(point.columns().get(i), point.values().get(i));
        }
        return node.toString();
    }

    private static String task(Tracked tracked, TaskUpdate<?> update) {
        return JSON.createObjectNode()
                .put("id", tracked.taskId())
                .put("kind", tracked.kind())
                .put("status", update.status().value())
                .put("phase", update.status().phase().name())
                .put("t", update.observedAt().toEpochMilli())
                .put("source", update.event().isPresent() ? "callback" : "poll")
                .toString();
    }

    private static String room(RoomView.Room room) {
        ObjectNode node = JSON.createObjectNode().put("id", room.roomId()).put("t", room.updatedAt().toEpochMilli());
        room.users().forEach(node.putArray("users")::add);
        room.sendingAudio().forEach(node.putArray("audio")::add);
        room.sendingVideo().forEach(node.putArray("video")::add);
        return node.toString();
    }

    private static String failed(Tracked tracked, Throwable error) {
        return JSON.createObjectNode()
                .put("id", tracked.taskId())
                .put("kind", tracked.kind())
                .put("status", "poll failed: " + error.getMessage())
                .put("phase", "FAILED")
                .put("t", System.currentTimeMillis())
                .toString();
    }

    /**
     * A metric stream that survives failures: it starts again after a backoff (at most ten times
     * in a row), and the page is told when it gives up.
     */
    private static Flux<Event> resilient(String name, Flux<Event> source) {
        return source
                .retryWhen(reactor.util.retry.Retry.backoff(10, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .transientErrors(true)
                        .doBeforeRetry(signal -> LOG.warn("{} stream failed, starting again: {}", name,
                                signal.failure().toString())))
                .onErrorResume(e -> Mono.just(new Event("failure", "{\"message\":" + quote(name + " stream stopped: "
                        + e.getCause()) + "}")));
    }

    private static String quote(String text) {
        return JSON.getNodeFactory().textNode(text).toString();
    }

    /** The emulator's world: users coming and going, and rounds of tasks started and stopped. */
    private void runScenario(TrtcEmulator emulator) {
        long[] rooms = {801, 802, 803};
        for (long room : rooms) {
            emulator.rooms().join(room, "anchor-" + room, "viewer-" + room + "-0");
        }
        running.add(Flux.interval(Duration.ofSeconds(2)).subscribe(tick -> {
            long room = rooms[(int) (tick % rooms.length)];
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String viewer = "viewer-" + room + "-" + random.nextInt(1, 8);
            if (emulator.rooms().users(room).contains(viewer)) {
                emulator.rooms().leave(room, viewer);
            } else {
                emulator.rooms().join(room, viewer);
            }
        }));
        running.add(Flux.interval(Duration.ZERO, Duration.ofSeconds(60))
                .concatMap(round -> startRound(round, rooms))
                .subscribe(null, e -> console.line("[emulator] scenario stopped: %s", e)));
        console.line("[emulator] scenario: viewers join and leave rooms %d, %d and %d; four tasks start every minute",
                rooms[0], rooms[1], rooms[2]);
    }

    private Mono<Void> startRound(long round, long[] rooms) {
        TrtcAsyncClient client = environment.client();
        long app = environment.sdkAppId();
        String recorder = "recorder-" + round;
        String ingest = "ingest-" + round;
        String agent = "agent-" + round;
        String scribe = "scribe-" + round;
        Mono<Void> recording = client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(app)
                        .roomId(Long.toString(rooms[0])).roomIdType(1L).userId(recorder).userSig(sig(recorder))
                        .recordParams(RecordParams.builder().recordMode(2L).build())
                        .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                .tencentVod(TencentVod.builder().build()).build()).build())
                        .build())
                .flatMap(r -> startedThenStopped("cloud-recording", r.taskId(), Duration.ofSeconds(20)));
        Mono<Void> streamIngest = client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(app)
                        .roomId(Long.toString(rooms[1])).roomIdType(1L).userId(ingest).userSig(sig(ingest))
                        .streamUrl("https://media.example/lobby-loop.mp4").repeatNum(1L).build())
                .doOnNext(r -> track(new Tracked("stream-ingest", r.taskId()))) // ends when its media has played
                .then();
        Mono<Void> conversation = client.startAIConversation(StartAIConversationRequest.builder().sdkAppId(app)
                        .roomId(Long.toString(rooms[1])).roomIdType(0L)
                        .agentConfig(AgentConfig.builder().userId(agent).userSig(sig(agent))
                                .targetUserId("anchor-" + rooms[1]).build())
                        .build())
                .flatMap(r -> startedThenStopped("ai-conversation", r.taskId(), Duration.ofSeconds(30)));
        Mono<Void> transcription = client.startAITranscription(StartAITranscriptionRequest.builder().sdkAppId(app)
                        .roomId(Long.toString(rooms[2])).roomIdType(0L)
                        .transcriptionParams(TranscriptionParams.builder().userId(scribe).userSig(sig(scribe)).build())
                        .build())
                .flatMap(r -> startedThenStopped("ai-transcription", r.taskId(), Duration.ofSeconds(40)));
        return Mono.when(recording, streamIngest, conversation, transcription)
                .doOnSuccess(v -> console.line("[emulator] round %d: four tasks started", round + 1))
                .onErrorResume(e -> {
                    console.line("[emulator] round %d failed to start: %s", round + 1, e.getMessage());
                    return Mono.empty();
                });
    }

    /** Tracks a started task and stops it later in the background; completes once it is tracked. */
    private Mono<Void> startedThenStopped(String kind, String taskId, Duration runFor) {
        track(new Tracked(kind, taskId));
        TaskKind<?> taskKind = KINDS.get(kind);
        running.add(Mono.delay(runFor)
                .then(Mono.defer(() -> taskKind.stop(environment.client(), environment.sdkAppId(), taskId)))
                .subscribe(null, e -> LOG.debug("stopping {} {}: {}", kind, taskId, e.toString())));
        return Mono.empty();
    }

    private String sig(String userId) {
        return environment.userSigs().generate(userId, Duration.ofHours(2));
    }

    /** Stops the server, the scenario and the streams. */
    @Override
    public void close() {
        if (roomView != null) {
            roomView.close();
        }
        running.dispose();
        tasks.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        server.disposeNow(Duration.ofSeconds(5));
    }
}
