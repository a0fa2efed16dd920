package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.callback.CallbackSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Settings of a {@link TrtcCallbacks} receiver. Fails closed: {@link #build()} needs the console's
 * callback key ({@link #key(String)}), or the explicit, logged opt-out {@link #unsigned()}.
 *
 * <p>The limits that protect a receiver hosted with {@link TrtcCallbacks#serve} hold before any
 * request is authenticated, whatever {@code HttpServer} is passed (its own settings can only
 * tighten them): {@link #readTimeout}, {@link #idleTimeout}, {@link #maxConnections},
 * {@link #maxBufferedBytes} and {@link #maxBodySize}. Not thread-safe; each {@link #build()} makes a
 * new receiver.
 */
public final class TrtcCallbacksBuilder {

    private String key;
    private boolean unsigned;
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
    private Duration maxEventAge = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();
    private long sdkAppId;
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxConnections = 1024;
    private long maxBufferedBytes = 16L * 1024 * 1024;

    TrtcCallbacksBuilder() {}

    /**
     * The callback key set in the console: every request must then carry its {@code Sign}.
     *
     * @param key 1 to 32 letters and digits, as the console allows
     * @return this builder
     */
    public TrtcCallbacksBuilder key(String key) {
        this.key = CallbackSignature.checkKey(key);
        return this;
    }

    /**
     * Accepts events without verifying a signature, for an application whose console has no
     * callback key. Anyone who can reach the endpoint can then forge events; {@link TrtcCallbacks#serve}
     * and {@link TrtcCallbacks#bind} say so at WARN. Excludes {@link #key(String)}.
     *
     * @return this builder
     */
    public TrtcCallbacksBuilder unsigned() {
        this.unsigned = true;
        return this;
    }

    /**
     * How old a callback may be, by its {@code CallbackTs} (or {@code CallbackMsTs}), when it
     * arrives: older ones, and ones more than a minute ahead of this receiver's clock, are answered
     * 401, so a captured request cannot be replayed later. Each accepted event's key is remembered
     * at least this long (plus the minute), so a replay inside the tolerance is a duplicate: no
     * replay is emitted twice. An event without a callback timestamp is refused (400). Default
     * 10 minutes (the service retries for one). {@code null} switches the check off.
     *
     * @param age the oldest accepted, at least 1 minute; or null for no check
     * @return this builder
     */
    public TrtcCallbacksBuilder maxEventAge(Duration age) {
        if (age != null && age.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("maxEventAge must be at least 1 minute (the service retries for one), was "
                    + age);
        }
        this.maxEventAge = age;
        return this;
    }

    /**
     * The application whose callbacks this receiver takes: a request whose {@code SdkAppId} header
     * names another (or none) is answered 401. The header is not covered by the signature, so
     * without this setting an event's {@code sdkAppId()} is whatever the request said. Default:
     * any application.
     *
     * @param sdkAppId the application's SdkAppId
     * @return this builder
     */
    public TrtcCallbacksBuilder sdkAppId(long sdkAppId) {
        if (sdkAppId < 1) {
            throw new IllegalArgumentException("sdkAppId must be positive, was " + sdkAppId);
        }
        this.sdkAppId = sdkAppId;
        return this;
    }

    /**
     * The clock that {@link #maxEventAge} compares callbacks' timestamps with: the service stamps
     * them with the real time, so this is the system's clock unless a test fixes it. Default
     * {@code Clock.systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public TrtcCallbacksBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Shares events with the other instances of a fleet through a relay (the Redis module's
     * {@code RedisCallbackRelay}): each verified event is published to the fleet, answered 200
     * once published, and every instance's {@link TrtcCallbacks#events()} emits each published
     * event once. When the relay fails (or does not answer within the relay timeout), an event is
     * handed on by this instance alone. The receiver closes the relay when it closes.
     *
     * @param relay the relay
     * @return this builder
     */
    public TrtcCallbacksBuilder relay(CallbackRelay relay) {
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
    public TrtcCallbacksBuilder relayTimeout(Duration timeout) {
        this.relayTimeout = positive("relayTimeout", timeout);
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
    public TrtcCallbacksBuilder bufferSize(int size) {
        if (size < 8 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("bufferSize must be a power of two, 8 or more, was " + size);
        }
        this.bufferSize = size;
        return this;
    }

    /**
     * The largest request body accepted; larger ones get 413 and the connection is closed without
     * reading further. Default 64 KiB (the largest documented events, moderation results, are a
     * few KiB).
     *
     * @param bytes 1 or more, at most {@link #maxBufferedBytes}
     * @return this builder
     */
    public TrtcCallbacksBuilder maxBodySize(int bytes) {
        this.maxBodySize = positive("maxBodySize", bytes);
        return this;
    }

    /**
     * How long a request's headers and body may take to arrive, from its first byte (or, on a new
     * connection, from the connection), before {@link TrtcCallbacks#serve} closes the connection.
     * Default 10 s.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public TrtcCallbacksBuilder readTimeout(Duration timeout) {
        this.readTimeout = positive("readTimeout", timeout);
        return this;
    }

    /**
     * How long a kept-alive connection may wait for its next request before
     * {@link TrtcCallbacks#serve} closes it. Default 60 s.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public TrtcCallbacksBuilder idleTimeout(Duration timeout) {
        this.idleTimeout = positive("idleTimeout", timeout);
        return this;
    }

    /**
     * How many connections {@link TrtcCallbacks#serve} keeps open at once; beyond it, a new
     * connection is closed as it arrives. Default 1,024.
     *
     * @param connections 1 or more
     * @return this builder
     */
    public TrtcCallbacksBuilder maxConnections(int connections) {
        this.maxConnections = positive("maxConnections", connections);
        return this;
    }

    /**
     * How many bytes the bodies being read by {@link TrtcCallbacks#serve} may hold in all, counted
     * as they arrive: a request is admitted only while its declared length (without one,
     * {@link #maxBodySize}) still fits, else it is answered 503 before its body is read, and a body
     * that would pass the limit as it arrives gets the same. Memory under attack is bounded by this
     * setting, and holding it costs a sender the bytes. Default 16 MiB.
     *
     * @param bytes at least {@link #maxBodySize}
     * @return this builder
     */
    public TrtcCallbacksBuilder maxBufferedBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least 1, was " + bytes);
        }
        this.maxBufferedBytes = bytes;
        return this;
    }

    /**
     * How long a delivered event's key is remembered at least, so that the service's retries of it
     * are not emitted again, and how many keys at most. With the age check on, keys are kept at
     * least {@link #maxEventAge} plus a minute. When the keys still remembered fill the capacity,
     * new events are answered 503 (the service retries) rather than forgetting a key too early.
     * Default 2 minutes, 100,000 keys (about 17 MB; 160 events a second over eleven minutes).
     *
     * @param window how long
     * @param capacity how many keys
     * @return this builder
     */
    public TrtcCallbacksBuilder deduplication(Duration window, int capacity) {
        this.deduplicationWindow = positive("deduplication window", window);
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
    public TrtcCallbacksBuilder scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The path {@link TrtcCallbacks#serve} answers on. Default {@code /}.
     *
     * @param path an absolute path
     * @return this builder
     */
    public TrtcCallbacksBuilder path(String path) {
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
    public TrtcCallbacksBuilder listener(CallbackListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Makes the receiver.
     *
     * @return the receiver
     * @throws IllegalStateException without {@link #key(String)} or {@link #unsigned()}, with both, or
     *     with a body limit over the buffered-bytes limit
     */
    public TrtcCallbacks build() {
        if (key == null && !unsigned) {
            throw new IllegalStateException("a callback receiver needs the console's callback key: call key(...); "
                    + "to accept unsigned events that anyone could forge, call unsigned() explicitly");
        }
        if (key != null && unsigned) {
            throw new IllegalStateException("key(...) and unsigned() exclude each other");
        }
        if (maxBodySize > maxBufferedBytes) {
            throw new IllegalStateException("maxBodySize (" + maxBodySize + ") must not exceed maxBufferedBytes ("
                    + maxBufferedBytes + ")");
        }
        return new TrtcCallbacks(new ReceiverSettings(key, bufferSize, subscriberPrefetch, maxBodySize,
                deduplicationWindow, deduplicationCapacity, scheduler, path, relay, relayTimeout, listener, maxEventAge, clock,
                sdkAppId, new ReceiverSettings.ServerLimits(readTimeout, idleTimeout, maxConnections, maxBufferedBytes)));
    }

    private static int positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }
}
