package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.callback.CallbackFormatException;
import io.github.trtcreactive.core.callback.CallbackSignature;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

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
 * the request's headers and body); {@link #serve} hosts it on Reactor Netty. For each request:
 * a body over {@link Builder#maxBodySize(int)} is refused (413); with a key set, a missing or wrong
 * {@code Sign} header gets 401 and no event; a body that is not an event gets 400. A verified event
 * is handed to every subscriber's buffer (or, before the first subscriber, to the start-up buffer)
 * and only then answered 200 {@code {"code":0}}; when a buffer is full the answer is 503, so the
 * service sends it again (it retries for a minute) and nothing is dropped silently. The service
 * retries after timeouts and errors and gives no delivery id, so an event already delivered within
 * the deduplication window (by {@link CallbackEvent#deduplicationKey()}) is answered 200 and not
 * emitted again.
 *
 * <p>In a fleet, a {@link CallbackRelay} shares the events between instances (see
 * {@link Builder#relay(CallbackRelay)}). Subscribers receive events on the builder's scheduler, not
 * on the HTTP server's event loop.
 * {@link #close()} ends {@link #events()} and answers later requests 503. Thread-safe.
 */
public final class TrtcCallbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrtcCallbacks.class);

    private final String key;
    private final int maxBodySize;
    private final Scheduler scheduler;
    private final String path;
    private final Sinks.Many<TrtcEvent> sink;
    private final Flux<TrtcEvent> events;
    private final DeduplicationWindow seen;
    private final Object lock = new Object();
    private volatile boolean closed;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final CallbackRelay relay;
    private final Duration relayTimeout;
    private final CallbackListener listener;
    private final io.github.trtcreactive.reactor.internal.HookGuard listenerGuard;
    private final reactor.core.Disposable relayReading;

    private TrtcCallbacks(Builder b) {
        this.key = b.key;
        this.maxBodySize = b.maxBodySize;
        this.scheduler = b.scheduler;
        this.path = b.path;
        this.sink = Sinks.many().multicast().onBackpressureBuffer(b.bufferSize, false);
        this.events = sink.asFlux().publishOn(scheduler, b.subscriberPrefetch);
        this.seen = new DeduplicationWindow(b.deduplicationWindow.toNanos(), b.deduplicationCapacity);
        this.relay = b.relay;
        this.relayTimeout = b.relayTimeout;
        this.listener = b.listener;
        this.listenerGuard = new io.github.trtcreactive.reactor.internal.HookGuard("CallbackListener", b.listener);
        this.relayReading = relay == null ? null : relay.events()
                .concatMap(this::emitRelayed, 1)
                .subscribe(v -> { }, e -> LOG.warn("the callback relay's stream ended: {}", e.toString()));
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
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
            Object checked = check(headers, body);
            if (checked instanceof CallbackReply refusal) {
                return Mono.just(refusal);
            }
            CallbackEvent parsed = (CallbackEvent) checked;
            if (relay == null) {
                return Mono.just(deliver(parsed));
            }
            String key = parsed.deduplicationKey();
            synchronized (lock) {
                if (seen.contains(key, scheduler.now(TimeUnit.NANOSECONDS))) {
                    duplicates.incrementAndGet();
                    return Mono.just(CallbackReply.OK);
                }
            }
            // With a relay the event reaches events() through the fleet's stream; if the relay fails,
            // this instance still hands it on itself.
            return relay.publish(key, parsed.sdkAppId(), body)
                    .timeout(relayTimeout, scheduler)
                    .map(published -> {
                        (published ? accepted : duplicates).incrementAndGet();
                        TrtcEvent event = new TrtcEvent(parsed);
                        if (published) {
                            tell("onAccepted", () -> listener.onAccepted(event));
                        } else {
                            tell("onDuplicate", () -> listener.onDuplicate(event));
                        }
                        return CallbackReply.OK;
                    })
                    .switchIfEmpty(Mono.fromCallable(() -> deliver(parsed)))
                    .onErrorResume(e -> {
                        LOG.debug("the callback relay failed ({}); handing the event on locally", e.toString());
                        return Mono.fromCallable(() -> deliver(parsed));
                    });
        });
    }

    /** Checks a request: the refusal to answer, or the parsed event. */
    private Object check(Map<String, String> rawHeaders, byte[] body) {
        if (closed) {
            return refuse(503, "the receiver is closed");
        }
        if (body == null || body.length == 0) {
            return refuse(400, "empty body");
        }
        if (body.length > maxBodySize) {
            return refuse(413, "body over " + maxBodySize + " bytes");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (rawHeaders != null) {
            rawHeaders.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k, v);
                }
            });
        }
        if (key != null && !CallbackSignature.verify(key, body, headers.get("Sign"))) {
            return refuse(401, headers.containsKey("Sign") ? "bad signature" : "missing Sign header");
        }
        try {
            return CallbackEvent.parse(body, sdkAppId(headers.get("SdkAppId")),
                    Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)));
        } catch (CallbackFormatException e) {
            return refuse(400, e.getMessage());
        }
    }

    /** Hands a verified event to the subscribers, once within the deduplication window. */
    private CallbackReply deliver(CallbackEvent parsed) {
        String dedup = parsed.deduplicationKey();
        synchronized (lock) {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            if (seen.contains(dedup, now)) {
                duplicates.incrementAndGet();
                LOG.debug("duplicate callback {} answered without a second event", parsed);
                TrtcEvent event = new TrtcEvent(parsed);
                tell("onDuplicate", () -> listener.onDuplicate(event));
                return CallbackReply.OK;
            }
            TrtcEvent event = new TrtcEvent(parsed);
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result.isSuccess()) {
                seen.remember(dedup, now);
                accepted.incrementAndGet();
                tell("onAccepted", () -> listener.onAccepted(event));
                return CallbackReply.OK;
            }
            // With no subscriber yet, a full start-up buffer reports FAIL_ZERO_SUBSCRIBER.
            if (result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
                return refuse(503, "the event buffer is full; send again later");
            }
            return refuse(503, "the receiver is closed");
        }
    }

    /**
     * Emits an event the fleet published; when the subscribers' buffer is full it waits for room
     * (the relay holds the events not yet read), at most ten minutes, then drops the event with a
     * warning.
     */
    private Mono<Void> emitRelayed(CallbackRelay.Relayed relayed) {
        CallbackEvent parsed;
        try {
            parsed = CallbackEvent.parse(relayed.body(), relayed.sdkAppId(),
                    Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)));
        } catch (CallbackFormatException e) {
            LOG.warn("a relayed callback is not an event; skipped");
            return Mono.empty();
        }
        return Mono.defer(() -> {
                    if (closed) {
                        return Mono.<Void>empty();
                    }
                    CallbackReply reply = deliver(parsed);
                    if (reply.status() == 503 && !closed) {
                        return Mono.<Void>error(new BufferFull());
                    }
                    return Mono.<Void>empty();
                })
                .retryWhen(reactor.util.retry.Retry.fixedDelay(12_000, Duration.ofMillis(50)).scheduler(scheduler)
                        .filter(BufferFull.class::isInstance))
                .onErrorResume(e -> {
                    rejected.incrementAndGet();
                    LOG.warn("a relayed callback was dropped: the subscribers' buffer stayed full for ten minutes");
                    return Mono.empty();
                });
    }

    /** The subscribers' buffer is full. */
    private static final class BufferFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFull() {
            super("buffer full", null, false, false);
        }
    }

    private CallbackReply refuse(int status, String message) {
        rejected.incrementAndGet();
        LOG.debug("callback refused with {}: {}", status, message);
        tell("onRefused", () -> listener.onRefused(status, message));
        return CallbackReply.error(status, message);
    }

    private void tell(String method, Runnable call) {
        if (listener != CallbackListener.NONE) {
            listenerGuard.run(method, "callback", call);
        }
    }

    private static long sdkAppId(String header) {
        if (header == null || !header.trim().matches("\\d{1,18}")) {
            return 0;
        }
        return Long.parseLong(header.trim());
    }

    /**
     * Serves the callback endpoint (POST on the builder's path) on a Reactor Netty server, binding it
     * now: a blocking call for start-up code (the thread waits until the port is bound, at most
     * 30 s); from reactive code use {@link #bind(HttpServer)}.
     *
     * @param server the server to bind, with its host and port
     * @return the bound server; dispose it to stop
     */
    public DisposableServer serve(HttpServer server) {
        return withHandler(server).bindNow(Duration.ofSeconds(30));
    }

    /**
     * Binds the callback endpoint on a Reactor Netty server, without blocking.
     *
     * @param server the server to bind, with its host and port
     * @return the bound server, on subscription
     */
    public Mono<DisposableServer> bind(HttpServer server) {
        return withHandler(server).bind().map(bound -> (DisposableServer) bound);
    }

    private HttpServer withHandler(HttpServer server) {
        return Objects.requireNonNull(server, "server").handle(this::exchange);
    }

    private Publisher<Void> exchange(HttpServerRequest request, HttpServerResponse response) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        String requestPath = query < 0 ? uri : uri.substring(0, query);
        if (!requestPath.equals(path)) {
            return send(response, CallbackReply.error(404, "no callback endpoint here"));
        }
        if (!request.method().equals(HttpMethod.POST)) {
            response.header("Allow", "POST");
            return send(response, CallbackReply.error(405, "callbacks are POSTed"));
        }
        String length = request.requestHeaders().get("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > maxBodySize)) {
            return send(response, refuse(413, "body over " + maxBodySize + " bytes"));
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
        return request.receive().asByteArray()
                .reduce(new ByteArrayOutputStream(), (out, chunk) -> {
                    if (out.size() + (long) chunk.length > maxBodySize) {
                        throw new BodyTooLarge();
                    }
                    out.write(chunk, 0, chunk.length);
                    return out;
                })
                .flatMap(out -> accept(headers, out.toByteArray()))
                .onErrorResume(BodyTooLarge.class, e -> Mono.just(refuse(413, "body over " + maxBodySize + " bytes")))
                .flatMap(reply -> Mono.from(send(response, reply)));
    }

    private static Publisher<Void> send(HttpServerResponse response, CallbackReply reply) {
        return response.status(reply.status()).header("Content-Type", "application/json")
                .sendString(Mono.just(reply.body())).then();
    }

    /** A body that went over the cap while it was read. */
    private static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super("callback body too large", null, false, false);
        }
    }

    /** {@return events accepted and emitted so far} */
    public long acceptedCount() {
        return accepted.get();
    }

    /** {@return retried events answered without a second emission} */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** {@return requests refused (bad signature, malformed, too large, buffer full, closed)} */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Ends {@link #events()} (subscribers complete after what they were handed) and refuses later requests. */
    @Override
    public void close() {
        closed = true;
        if (relayReading != null) {
            relayReading.dispose();
            relay.close();
        }
        synchronized (lock) {
            sink.tryEmitComplete();
        }
    }

    @Override
    public String toString() {
        // Never the key: only whether one is set.
        return "TrtcCallbacks{key=" + (key == null ? "none" : "set") + ", path=" + path + ", maxBodySize=" + maxBodySize
                + "}";
    }

    /** Settings of a {@link TrtcCallbacks}. */
    public static final class Builder {
        private String key;
        private int bufferSize = 8192;
        private int subscriberPrefetch = 256;
        private int maxBodySize = 64 * 1024;
        private Duration deduplicationWindow = Duration.ofMinutes(2);
        private int deduplicationCapacity = 100_000;
        private Scheduler scheduler = Schedulers.parallel();
        private String path = "/";
        private CallbackRelay relay;
        private Duration relayTimeout = Duration.ofSeconds(1);
        private CallbackListener listener = CallbackListener.NONE;

        private Builder() {}

        /**
         * Shares events with the other instances of a fleet through a relay (the Redis module's
         * {@code RedisCallbackRelay}): each verified event is published to the fleet, answered 200
         * once published, and every instance's {@link #events()} emits each published event once.
         * When the relay fails (or does not answer within the timeout, default 1 s), an event is
         * handed on by this instance alone. The receiver closes the relay when it closes.
         *
         * @param relay the relay
         * @return this builder
         */
        public Builder relay(CallbackRelay relay) {
            this.relay = Objects.requireNonNull(relay, "relay");
            return this;
        }

        /**
         * How long a publication to the relay may take before the event is handed on locally.
         * Default 1 s.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder relayTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("relayTimeout must be positive, was " + timeout);
            }
            this.relayTimeout = timeout;
            return this;
        }

        /**
         * The callback key set in the console: requests must then carry its {@code Sign}. Without a
         * key (the console's key is optional) requests are not verified.
         *
         * @param key 1 to 32 letters and digits, as the console allows
         * @return this builder
         */
        public Builder key(String key) {
            this.key = CallbackSignature.checkKey(key);
            return this;
        }

        /**
         * How many events may wait for the slowest subscriber (or, before the first, for one); past
         * it requests are answered 503 and the service retries. Each subscriber also takes up to
         * 256 events ahead onto its scheduler. Default 8,192.
         *
         * @param size a power of two, 8 or more (the buffer's exact capacity)
         * @return this builder
         */
        public Builder bufferSize(int size) {
            if (size < 8 || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("bufferSize must be a power of two, 8 or more, was " + size);
            }
            this.bufferSize = size;
            return this;
        }

        /**
         * The largest request body accepted; larger ones get 413. Default 64 KiB (the largest
         * documented events, moderation results, are a few KiB).
         *
         * @param bytes 1 or more
         * @return this builder
         */
        public Builder maxBodySize(int bytes) {
            this.maxBodySize = positive("maxBodySize", bytes);
            return this;
        }

        /**
         * How long a delivered event's key is remembered, so that the service's retries of it are
         * not emitted again, and how many keys at most. Default 2 minutes (the service retries for
         * one), 100,000 keys.
         *
         * @param window how long
         * @param capacity how many keys
         * @return this builder
         */
        public Builder deduplication(Duration window, int capacity) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("deduplication window must be positive, was " + window);
            }
            this.deduplicationWindow = window;
            this.deduplicationCapacity = positive("deduplication capacity", capacity);
            return this;
        }

        /**
         * Where subscribers receive events, and the clock of the deduplication window. Default
         * {@code Schedulers.parallel()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The path {@link #serve} answers on. Default {@code /}.
         *
         * @param path an absolute path
         * @return this builder
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
            }
            this.path = path;
            return this;
        }

        /**
         * Hears what the receiver does with each request, for metrics (see
         * {@code TrtcMicrometer.callbackMetrics}). Default: none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(CallbackListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@return the receiver} */
        public TrtcCallbacks build() {
            return new TrtcCallbacks(this);
        }

        private static int positive(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
