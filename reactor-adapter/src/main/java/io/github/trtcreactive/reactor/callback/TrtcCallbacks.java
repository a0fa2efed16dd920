package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundWork;
import io.github.trtcreactive.reactor.internal.HookGuard;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Receives TRTC's event callbacks and turns them into one hot {@link Flux} of verified events.
 *
 * <pre>{@code
 * TrtcCallbacks callbacks = TrtcCallbacks.builder().key("123654").build();   // the console's callback key
 * callbacks.events().subscribe(e -> log.info("{} {} in {}", e.groupId(), e.type(), e.roomId()));
 * DisposableServer server = callbacks.serve(HttpServer.create().host("0.0.0.0").port(8081));
 * }</pre>
 *
 * <p>{@link #accept} is the whole protocol, so any HTTP server can host it (a WebFlux handler passes
 * the request's headers and body); {@link #serve} hosts it on Reactor Netty, with bounds on
 * connections, time and buffered bytes that hold before anything is authenticated (see
 * {@link TrtcCallbacksBuilder}). For each request: a body over the body limit is refused (413); a
 * missing or wrong {@code Sign} header gets 401 and no event; a body that is not an event gets 400;
 * a callback older than the age limit, or from the future, gets 401. A verified event is handed to
 * every subscriber's buffer (or, before the first subscriber, to the start-up buffer) and only then
 * answered 200 {@code {"code":0}}; when a buffer is full the answer is 503, so the service sends it
 * again (it retries for a minute) and nothing is dropped silently. The service retries after
 * timeouts and errors and gives no delivery id, so an event already delivered within the
 * deduplication window (by {@link CallbackEvent#deduplicationKey()}) is answered 200 and not
 * emitted again; the window outlasts the age limit, so a replayed request is never emitted twice.
 *
 * <p>In a fleet, a {@link CallbackRelay} shares the events between instances (see
 * {@link TrtcCallbacksBuilder#relay(CallbackRelay)}). Subscribers receive events on the builder's
 * scheduler, not on the HTTP server's event loop. No subscriber and no listener runs under the
 * receiver's lock. Reading the relay runs in the background and is started again when it fails
 * (see {@link #backgroundHealth()}). {@link #close()} ends {@link #events()}, answers later requests
 * 503 and is terminal: binding the endpoint afterwards fails with {@link TrtcClientClosedException}.
 * Thread-safe.
 */
public final class TrtcCallbacks implements BackgroundWork, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrtcCallbacks.class);
    /** How long emitters contending for the sink may spin before the request is answered 503. */
    private static final long CONTENTION_NANOS = Duration.ofMillis(100).toNanos();
    /** The longest {@link #closeLater()} waits for the relay to release its connections. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** What became of an event handed to {@link #deliver}. */
    enum Delivery { ACCEPTED, DUPLICATE, IN_PROGRESS, BUFFER_FULL, WINDOW_FULL, CLOSED }

    private final ReceiverSettings settings;
    private final CallbackCheck check;
    private final Sinks.Many<TrtcEvent> sink;
    private final Flux<TrtcEvent> events;
    private final DeduplicationWindow seen;
    /** Keys being emitted now: a retry arriving meanwhile is told to come back, not taken as done. */
    private final Set<String> emitting = new HashSet<>();
    private final Object lock = new Object();
    private volatile boolean closed;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicBoolean warnedWindowFull = new AtomicBoolean();
    private final HookGuard listenerGuard;
    private final RelayBridge relay;
    private final CallbackServer server;

    TrtcCallbacks(ReceiverSettings settings) {
        this.settings = settings;
        this.check = new CallbackCheck(settings);
        this.sink = Sinks.many().multicast().onBackpressureBuffer(settings.bufferSize(), false);
        this.events = sink.asFlux().publishOn(settings.scheduler(), settings.subscriberPrefetch());
        this.seen = new DeduplicationWindow(settings.rememberFor().toNanos(), settings.deduplicationCapacity());
        this.listenerGuard = new HookGuard("CallbackListener", settings.listener());
        this.server = new CallbackServer(this, settings);
        this.relay = settings.relay() == null ? null : new RelayBridge(this, settings);
        if (relay != null) {
            relay.start();
        }
    }

    /**
     * Starts the settings of a receiver.
     *
     * @return a builder
     */
    public static TrtcCallbacksBuilder builder() {
        return new TrtcCallbacksBuilder();
    }

    /**
     * The verified events: hot, every event once per subscriber, in the order accepted. Events
     * accepted before the first subscriber are kept (up to the buffer size) and go to it.
     *
     * @return the events; completes when this receiver is closed
     */
    public Flux<TrtcEvent> events() {
        return events;
    }

    /**
     * Handles one callback request.
     *
     * @param headers the request's headers (names in any case)
     * @param body the raw body, exactly as received
     * @return what to answer, once the event is handed on or refused
     */
    public Mono<CallbackReply> accept(Map<String, String> headers, byte[] body) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.just(refuse(503, "the receiver is closed"));
            }
            CallbackCheck.Outcome outcome = check.check(headers, body);
            if (outcome.event() == null) {
                return Mono.just(refuse(outcome.status(), outcome.reason()));
            }
            if (relay != null) {
                return relay.publish(outcome.event(), body);
            }
            return Mono.just(reply(outcome.event(), deliver(outcome.event())));
        });
    }

    /** The answer to a request whose event was handed to {@link #deliver}, counted and told. */
    CallbackReply reply(CallbackEvent parsed, Delivery delivery) {
        return switch (delivery) {
            case ACCEPTED, DUPLICATE -> CallbackReply.OK;
            case IN_PROGRESS -> refuse(503, "the same event is being handed on now; send again later");
            case BUFFER_FULL -> refuse(503, "the event buffer is full; send again later");
            case WINDOW_FULL -> refuse(503, "the deduplication window is full; send again later");
            case CLOSED -> refuse(503, "the receiver is closed");
        };
    }

    /**
     * Hands a verified event to the subscribers, once within the deduplication window. The window
     * is consulted and marked under the lock; the emission and the listener run outside it.
     */
    Delivery deliver(CallbackEvent parsed) {
        String key = parsed.deduplicationKey();
        Delivery early = null;
        synchronized (lock) {
            long now = nowNanos();
            if (emitting.contains(key)) {
                early = Delivery.IN_PROGRESS;
            } else if (seen.contains(key, now)) {
                early = Delivery.DUPLICATE;
            } else if (seen.full(now)) {
                early = Delivery.WINDOW_FULL;
            } else {
                emitting.add(key);
            }
        }
        if (early == Delivery.DUPLICATE) {
            LOG.debug("duplicate callback {} answered without a second event", parsed);
            countDuplicate(parsed);
            return early;
        }
        if (early == Delivery.WINDOW_FULL && warnedWindowFull.compareAndSet(false, true)) {
            LOG.warn("the callback deduplication window holds its capacity of {} keys; new events are answered 503 "
                    + "until keys expire: raise TrtcCallbacksBuilder.deduplication(window, capacity)",
                    settings.deduplicationCapacity());
        }
        if (early != null) {
            return early;
        }
        TrtcEvent event = new TrtcEvent(parsed);
        Sinks.EmitResult result = Sinks.EmitResult.FAIL_CANCELLED;
        try {
            result = whileContended(() -> sink.tryEmitNext(event));
        } finally {
            synchronized (lock) {
                emitting.remove(key);
                if (result.isSuccess()) {
                    seen.remember(key, nowNanos());
                }
            }
        }
        if (result.isSuccess()) {
            accepted.incrementAndGet();
            tell("onAccepted", () -> settings.listener().onAccepted(event));
            return Delivery.ACCEPTED;
        }
        // With no subscriber yet, a full start-up buffer reports FAIL_ZERO_SUBSCRIBER.
        return result == Sinks.EmitResult.FAIL_TERMINATED || result == Sinks.EmitResult.FAIL_CANCELLED
                ? Delivery.CLOSED : Delivery.BUFFER_FULL;
    }

    /**
     * Tries a sink operation again while another request emits at the same moment (the sink is
     * serialized: a concurrent emission fails at once rather than waits), for at most
     * {@link #CONTENTION_NANOS}. A plain retry loop, as Reactor's own busy-looping failure handler
     * does: the other emission is a queue offer, over in well under a microsecond.
     */
    private static Sinks.EmitResult whileContended(Supplier<Sinks.EmitResult> attempt) {
        long deadline = System.nanoTime() + CONTENTION_NANOS;
        Sinks.EmitResult result = attempt.get();
        while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED && System.nanoTime() < deadline) {
            result = attempt.get();
        }
        return result;
    }

    boolean seenLately(String key) {
        synchronized (lock) {
            return seen.contains(key, nowNanos());
        }
    }

    void countAccepted(CallbackEvent parsed) {
        accepted.incrementAndGet();
        TrtcEvent event = new TrtcEvent(parsed);
        tell("onAccepted", () -> settings.listener().onAccepted(event));
    }

    void countDuplicate(CallbackEvent parsed) {
        duplicates.incrementAndGet();
        TrtcEvent event = new TrtcEvent(parsed);
        tell("onDuplicate", () -> settings.listener().onDuplicate(event));
    }

    void countRelayedDrop() {
        rejected.incrementAndGet();
    }

    /** {@return whether {@link #close()} or {@link #closeLater()} was called} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * How the receiver's background loop does: reading the relay ({@code callbacks.relay}), when
     * there is one.
     *
     * @return the loop's status, or an empty list without a relay
     */
    @Override
    public List<BackgroundStatus> backgroundHealth() {
        return relay == null ? List.of() : List.of(relay.status());
    }

    /** A background loop is being restarted: told to the listener (outside any lock). */
    void backgroundRestarted(BackgroundStatus status) {
        tell("onBackgroundRestart", () -> settings.listener().onBackgroundRestart(status));
    }

    /**
     * Records a refusal, for the receiver itself and for a host that refuses a request before
     * handing it over (a body over the limit, say): counted in {@link #rejectedCount()} and told to
     * the listener like the receiver's own.
     *
     * @param status the HTTP status to answer (4xx or 5xx)
     * @param message why, in a few words (never the request's content)
     * @return the answer to send
     */
    public CallbackReply refuse(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal's status is 4xx or 5xx, was " + status);
        }
        rejected.incrementAndGet();
        LOG.debug("callback refused with {}: {}", status, message);
        tell("onRefused", () -> settings.listener().onRefused(status, message));
        return CallbackReply.error(status, message);
    }

    private void tell(String method, Runnable call) {
        if (settings.listener() != CallbackListener.NONE) {
            listenerGuard.run(method, "callback", call);
        }
    }

    private long nowNanos() {
        return settings.scheduler().now(TimeUnit.NANOSECONDS);
    }

    /**
     * Serves the callback endpoint (POST on the builder's path) on a Reactor Netty server, binding it
     * now: a blocking call for start-up code (the thread waits until the port is bound, at most
     * 30 s); from reactive code use {@link #bind(HttpServer)}. The receiver's connection, time and
     * memory bounds apply whatever the server's own settings.
     *
     * @param server the server to bind (HTTP/1.1, with or without TLS), with its host and port
     * @return the bound server; dispose it to stop
     * @throws IllegalArgumentException when the server speaks another protocol, or accepts headers over 64 KiB
     * @throws TrtcClientClosedException when this receiver is closed
     */
    public DisposableServer serve(HttpServer server) {
        if (closed) {
            throw new TrtcClientClosedException("TrtcCallbacks.serve");
        }
        return this.server.configure(server).bindNow(Duration.ofSeconds(30));
    }

    /**
     * Binds the callback endpoint on a Reactor Netty server, without blocking.
     *
     * @param server the server to bind (HTTP/1.1, with or without TLS), with its host and port
     * @return the bound server, on subscription; an {@link IllegalArgumentException} when the server
     *     speaks another protocol, or accepts headers over 64 KiB; a {@link TrtcClientClosedException}
     *     when this receiver is closed
     */
    public Mono<DisposableServer> bind(HttpServer server) {
        return Mono.defer(() -> closed ? Mono.error(new TrtcClientClosedException("TrtcCallbacks.bind"))
                : this.server.configure(server).bind()).map(bound -> (DisposableServer) bound);
    }

    /** {@return events accepted and emitted so far} */
    public long acceptedCount() {
        return accepted.get();
    }

    /** {@return retried events answered without a second emission} */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** {@return requests refused (bad signature, stale, malformed, too large, buffer full, closed)} */
    public long rejectedCount() {
        return rejected.get();
    }

    /** {@return connections open now on the servers this receiver serves} */
    public int openConnectionCount() {
        return server.guard().openConnections();
    }

    /**
     * {@return connections the served endpoint closed before a request was answered: too many
     * open, a request that did not arrive whole in time, or an idle one}
     */
    public long closedConnectionCount() {
        return server.guard().refusedConnections() + server.guard().timedOutConnections();
    }

    /** {@return bytes held now by request bodies being read by the served endpoint} */
    public long bufferedBodyBytes() {
        return server.bufferedBytes();
    }

    /**
     * Ends {@link #events()} (subscribers complete after what they were handed) and refuses later
     * requests, for good. Never blocks, so it may be called on an event loop: the relay's connections
     * are released in the background (use {@link #closeLater()} to know when). Closing again does
     * nothing. Servers bound with {@link #serve} or {@link #bind} stay bound: dispose them.
     */
    @Override
    public void close() {
        closed = true;
        if (relay != null) {
            relay.close();
        }
        complete();
    }

    /**
     * Closes the receiver as {@link #close()}, without blocking, and completes when the relay (if
     * any) has released its connections, or after 10 s.
     *
     * @return completes when closed, on subscription
     */
    public Mono<Void> closeLater() {
        return Mono.defer(() -> {
            closed = true;
            Mono<Void> released = relay == null ? Mono.empty() : relay.closeLater();
            complete();
            return released.timeout(CLOSE_TIMEOUT, Mono.empty(), settings.scheduler()).onErrorResume(e -> Mono.empty());
        });
    }

    /** Completes the events, trying again later (never giving up) while an emission holds the sink. */
    private void complete() {
        if (whileContended(sink::tryEmitComplete) == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
            settings.scheduler().schedule(this::complete, 1, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String toString() {
        // Never the key: only whether one is set.
        return "TrtcCallbacks{key=" + (settings.signed() ? "set" : "none (unsigned)") + ", path=" + settings.path()
                + ", maxBodySize=" + settings.maxBodySize() + "}";
    }
}
