package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.usersig.UserSigs;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * A local TRTC endpoint on Reactor Netty, for examples and tests: it authenticates requests exactly
 * as the service does, enforces the rate limits, validates requests against the API spec, keeps
 * rooms and task lifecycles on a controllable clock, injects faults on demand and records every
 * request (secrets redacted).
 *
 * <pre>{@code
 * try (TrtcEmulator emulator = TrtcEmulator.builder().start()) {
 *     TrtcAsyncClient client = TrtcAsyncClient.builder()
 *         .credentials(emulator.credentials()).endpoint(emulator.uri()).build();
 *     ...
 * }
 * }</pre>
 */
public final class TrtcEmulator implements AutoCloseable {

    private final DisposableServer server;
    private final LoopResources loops;
    private final Credentials primary;
    private final String appKey;
    private final EmulatorState state;
    private final EmulatorHandler handler;
    private final Faults faults = new Faults();
    private final Scheduler timer;
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong connectionsClosed = new AtomicLong();
    private final java.util.Set<String> emulatedActions;
    private final CallbackSender callbacks;
    private final CallbackWatcher watcher;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Completed by the shut-down, which the first close starts: every close, even a concurrent one, waits for it. */
    private final Sinks.Empty<Void> released = Sinks.empty();

    TrtcEmulator(TrtcEmulatorBuilder b) {
        List<Credentials> accepted = b.credentials.isEmpty()
                ? List.of(Credentials.of(TrtcEmulatorBuilder.DEFAULT_SECRET_ID, TrtcEmulatorBuilder.DEFAULT_SECRET_KEY))
                : List.copyOf(b.credentials);
        Map<String, Credentials> byId = new HashMap<>();
        accepted.forEach(c -> byId.put(c.secretId(), c));
        this.primary = accepted.get(0);
        this.appKey = b.appKey;
        EmulatorSpec spec = EmulatorSpec.load();
        this.state = new EmulatorState(b.clock, b.sdkAppId, b.appKey, b.seed);
        Map<String, EmulatorState.Handler> handlers = new HashMap<>();
        RoomActions.register(state, handlers);
        RobotTaskActions.register(state, handlers);
        WebRecordActions.register(state, handlers);
        MetricActions.register(state, b.seed, handlers);
        HistoryActions.register(state, b.pagedTotal, handlers);
        IngestActions.register(state, b.streamMediaLength, handlers);
        CdnActions.register(state, handlers);
        AiActions.register(state, handlers);
        java.util.Set<String> withBehaviour = new java.util.HashSet<>(handlers.keySet());
        withBehaviour.add("TextToSpeechSSE"); // streamed by the handler itself
        this.emulatedActions = java.util.Set.copyOf(withBehaviour);
        // Its own timer: delays and event pacing never share threads with a client under test.
        this.timer = Schedulers.newSingle("trtc-emulator-timer", true);
        this.handler = new EmulatorHandler(spec, state,
                new Authenticator(id -> Optional.ofNullable(byId.get(id)), b.clock),
                new SlidingWindowLimiter(b.rateLimitScale), b.rateLimits, faults, handlers,
                new SpeechStream(b.speechChunkInterval, timer), new RequestLog(b.requestLogSize, b.requestLogBytes), timer);
        // Its own event loops: the client under test, on Reactor Netty's shared loops, cannot delay
        // the emulator's arrival times (which its rate windows count).
        this.loops = LoopResources.create("trtc-emulator", 1, 2, true);
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(b.port)
                // Event streams stay uncompressed, so each event leaves as soon as it is written.
                .compress((request, response) -> !String.valueOf(response.responseHeaders().get("Content-Type"))
                        .startsWith("text/event-stream"))
                // Channels, not exchanges: a kept-alive connection carries many requests.
                .doOnChannelInit((observer, channel, remote) -> {
                    connectionsOpened.incrementAndGet();
                    channel.closeFuture().addListener(f -> connectionsClosed.incrementAndGet());
                    // After the HTTP codec, where a complete request head arrives as one message.
                    if (channel.pipeline().get(reactor.netty.NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(reactor.netty.NettyPipeline.HttpCodec, "trtcEmulatorRequestArrival",
                                new RequestArrivalTimeout(b.idleTimeout));
                    } else {
                        throw new IllegalStateException("the HTTP codec is not in the pipeline: " + channel.pipeline().names());
                    }
                })
                .idleTimeout(b.idleTimeout)
                .readTimeout(b.requestTimeout)
                .requestTimeout(b.requestTimeout)
                .handle(b.admin ? adminOr(new AdminEndpoint(state), handler) : handler::handle)
                .bindNow(Duration.ofSeconds(10)); // blocking-ok: start-up facade, documented on start()
        if (b.callbackUrl != null) {
            this.callbacks = new CallbackSender(b.callbackUrl, b.callbackKey, b.sdkAppId, timer, loops);
            this.watcher = new CallbackWatcher(state, callbacks, timer);
        } else {
            this.callbacks = null;
            this.watcher = null;
        }
    }

    private static java.util.function.BiFunction<reactor.netty.http.server.HttpServerRequest,
            reactor.netty.http.server.HttpServerResponse, org.reactivestreams.Publisher<Void>> adminOr(
            AdminEndpoint admin, EmulatorHandler api) {
        return (request, response) -> request.uri().startsWith(AdminEndpoint.PREFIX) ? admin.handle(request, response)
                : api.handle(request, response);
    }

    /** {@return how many tasks the emulator remembers now (running ones, and ended ones until they are gone)} */
    int taskCount() {
        synchronized (state.lock) {
            return state.tasks.size();
        }
    }

    /**
     * Starts configuring an emulator.
     *
     * @return a new builder
     */
    public static TrtcEmulatorBuilder builder() {
        return new TrtcEmulatorBuilder();
    }

    /**
     * Starts an emulator with every default: a free port, the default credentials and application.
     * Blocking; see {@link TrtcEmulatorBuilder#start()}.
     *
     * @return the running emulator
     */
    public static TrtcEmulator start() {
        return builder().start();
    }

    /** {@return {@code http://127.0.0.1:<port>}, to pass to a client's {@code endpoint(...)}} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** {@return the port listened on} */
    public int port() {
        return server.port();
    }

    /** {@return the first credentials the emulator accepts} */
    public Credentials credentials() {
        return primary;
    }

    /** {@return the emulated application's SDKAppID} */
    public long sdkAppId() {
        return state.sdkAppId;
    }

    /** {@return the key the emulated application's UserSigs are signed with (an emulator key, not a secret of yours)} */
    public String appKey() {
        return appKey;
    }

    /** {@return a generator of UserSigs the emulator accepts (for robots' UserSig members)} */
    public UserSigs userSigs() {
        return state.userSigs;
    }

    /** {@return the clock; advance it to move task lifecycles forward} */
    public EmulatorClock clock() {
        return state.clock;
    }

    /** {@return the rooms and users of the emulated application} */
    public EmulatedRooms rooms() {
        return state.rooms;
    }

    /** {@return the fault schedule} */
    public Faults faults() {
        return faults;
    }

    /**
     * The requests received, oldest first, secrets redacted.
     *
     * @return the requests received, oldest first, secrets redacted: the latest
     *     {@link TrtcEmulatorBuilder#requestLogSize(int)} of them (default 10,000) that fit in
     *     {@link TrtcEmulatorBuilder#requestLogBytes(long)} (default 64 MiB); unauthenticated ones,
     *     and one heavier than that whole bound, without their body
     */
    public List<RecordedRequest> requests() {
        return handler.log.all();
    }

    /**
     * The requests received for one action.
     *
     * @param action the action name
     * @return those requests, oldest first
     */
    public List<RecordedRequest> requests(String action) {
        return handler.log.of(action);
    }

    /**
     * How many authentic requests of an action arrived, counted once their signature is checked and
     * before anything else happens to them, so requests whose answer was delayed and abandoned by
     * the client count too. Exact however long the emulator runs; unknown actions are not counted.
     *
     * @param action the action name
     * @return the number of arrivals
     */
    public long arrivals(String action) {
        var count = handler.arrivals.get(action);
        return count == null ? 0 : count.get();
    }

    /** {@return how many recorded requests were dropped because the log was full, by count or by bytes} */
    public long requestsDropped() {
        return handler.log.dropped();
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        handler.log.clear();
    }

    /** {@return how many TextToSpeechSSE events the emulator has sent} */
    public long speechEventsSent() {
        return handler.speech.eventsSent.get();
    }

    /** {@return how many TCP connections clients have opened} */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** {@return how many of those connections have closed} */
    public long connectionsClosed() {
        return connectionsClosed.get();
    }

    /** {@return how many event callbacks were delivered (answered 200); 0 without callbacks} */
    public long callbacksSent() {
        return callbacks == null ? 0 : callbacks.sent();
    }

    /**
     * How many callbacks are not yet delivered or given up.
     *
     * @return how many callbacks are queued, being sent or waiting for a retry: 0 once every event
     *     so far was delivered or given up (a test moving the clock waits for it)
     */
    public long callbacksPending() {
        return callbacks == null ? 0 : callbacks.pending();
    }

    /** {@return how many callback attempts were retries} */
    public long callbacksRetried() {
        return callbacks == null ? 0 : callbacks.retried();
    }

    /** {@return how many callbacks were given up after a minute of failures} */
    public long callbacksGivenUp() {
        return callbacks == null ? 0 : callbacks.givenUp();
    }

    /** The actions with behaviour of their own; the others answer a schema-valid reply. */
    java.util.Set<String> emulatedActions() {
        return emulatedActions;
    }

    /**
     * Stops listening and closes every connection, for good: later client calls fail to connect,
     * and closing again does nothing. Blocking (at most 20 s), like {@link TrtcEmulatorBuilder#start()};
     * on a non-blocking thread (an event loop) it starts the shut-down and returns at once: use
     * {@link #closeLater()} there to know when it is done.
     */
    @Override
    public void close() {
        Mono<Void> closing = closeLater();
        if (Schedulers.isInNonBlockingThread()) {
            closing.subscribe(done -> { }, failed -> { });
            return;
        }
        closing.block(Duration.ofSeconds(20)); // blocking-ok: shut-down facade
    }

    /**
     * Stops listening and closes every connection without blocking, as {@link #close()}: completes
     * when the server, its connections and its threads are released (or after 15 s). The first close
     * starts the one shut-down; every close, a concurrent one included, completes when it is over.
     *
     * @return completes when closed, on subscription
     */
    public Mono<Void> closeLater() {
        return Mono.defer(() -> {
            if (closed.compareAndSet(false, true)) {
                if (watcher != null) {
                    watcher.close();
                }
                Mono<Void> sender = callbacks == null ? Mono.empty() : callbacks.closeLater();
                server.dispose();
                timer.dispose();
                server.onDispose().timeout(Duration.ofSeconds(10), Mono.empty())
                        .then(sender.onErrorResume(e -> Mono.empty()))
                        .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)))
                        .timeout(Duration.ofSeconds(15), Mono.empty())
                        .subscribe(done -> { }, released::tryEmitError, released::tryEmitEmpty);
            }
            return released.asMono();
        });
    }

    /** {@return whether the shut-down is over: the server and its event loops are released} */
    boolean isReleased() {
        return server.isDisposed() && loops.isDisposed();
    }

    @Override
    public String toString() {
        return "TrtcEmulator{uri=" + uri() + ", sdkAppId=" + state.sdkAppId + ", secretId=" + primary.secretId() + "}";
    }
}
