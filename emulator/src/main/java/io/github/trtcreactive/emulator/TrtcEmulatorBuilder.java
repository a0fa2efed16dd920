package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Configures a {@link TrtcEmulator}; mutable and not thread-safe. Every option has a working default. */
public final class TrtcEmulatorBuilder {

    /** The SecretId the emulator accepts unless told otherwise. */
    public static final String DEFAULT_SECRET_ID = "AKIDtrtcEmulatorDefaultSecretId0000";
    /** The SecretKey the emulator accepts unless told otherwise; not a real key. */
    public static final String DEFAULT_SECRET_KEY = "trtcEmulatorDefaultSecretKey000000";
    /** The SDKAppID of the emulated application unless told otherwise. */
    public static final long DEFAULT_SDK_APP_ID = 1400000001L;
    /** The key the emulated application's UserSigs are signed with unless told otherwise. */
    public static final String DEFAULT_APP_KEY = "trtcEmulatorDefaultAppKey";
    /** The most heap the request log holds unless told otherwise: 64 MiB. */
    public static final long DEFAULT_REQUEST_LOG_BYTES = 64L * 1024 * 1024;

    int port;
    final List<Credentials> credentials = new ArrayList<>();
    long sdkAppId = DEFAULT_SDK_APP_ID;
    String appKey = DEFAULT_APP_KEY;
    EmulatorClock clock = EmulatorClock.system();
    double rateLimitScale = 1.0;
    boolean rateLimits = true;
    long seed = 1;
    PagedTotal pagedTotal = PagedTotal.RECORDS_RETURNED;
    Duration streamMediaLength = Duration.ofSeconds(60);
    Duration speechChunkInterval = Duration.ofMillis(20);
    int requestLogSize = 10_000;
    long requestLogBytes = DEFAULT_REQUEST_LOG_BYTES;
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration requestTimeout = Duration.ofSeconds(30);
    boolean admin;
    java.net.URI callbackUrl;
    String callbackKey;

    TrtcEmulatorBuilder() {}

    /**
     * Listens on a port of 127.0.0.1. Default 0: a free port chosen at start.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public TrtcEmulatorBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * Accepts these credentials (call again to accept more; an account has up to two key pairs).
     * Default: {@link #DEFAULT_SECRET_ID} and {@link #DEFAULT_SECRET_KEY}. With a session token the
     * requests must carry it as {@code X-TC-Token}.
     *
     * @param credentials a key pair
     * @return this builder
     */
    public TrtcEmulatorBuilder credentials(Credentials credentials) {
        this.credentials.add(Objects.requireNonNull(credentials, "credentials"));
        return this;
    }

    /**
     * Sets the emulated application's SDKAppID; other ids get {@code FailedOperation.SdkAppIdNotExist}.
     *
     * @param sdkAppId the SDKAppID
     * @return this builder
     */
    public TrtcEmulatorBuilder sdkAppId(long sdkAppId) {
        if (sdkAppId <= 0) {
            throw new IllegalArgumentException("sdkAppId must be positive, was " + sdkAppId);
        }
        this.sdkAppId = sdkAppId;
        return this;
    }

    /**
     * Sets the key the application's UserSigs are signed with; robots' UserSigs are checked against it.
     *
     * @param appKey the key
     * @return this builder
     */
    public TrtcEmulatorBuilder appKey(String appKey) {
        if (Objects.requireNonNull(appKey, "appKey").isEmpty()) {
            throw new IllegalArgumentException("appKey must not be empty");
        }
        this.appKey = appKey;
        return this;
    }

    /**
     * Uses a controllable clock for signatures, rate windows and task lifecycles. Default: real time.
     *
     * @param clock the clock
     * @return this builder
     */
    public TrtcEmulatorBuilder clock(EmulatorClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Multiplies every documented rate limit, for example 10 to test a limiter at 200 calls per second.
     *
     * @param scale a positive factor
     * @return this builder
     */
    public TrtcEmulatorBuilder rateLimitScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("rateLimitScale must be positive, was " + scale);
        }
        this.rateLimitScale = scale;
        return this;
    }

    /**
     * Turns rate limiting on (default) or off.
     *
     * @param enabled whether calls beyond the limits get RequestLimitExceeded
     * @return this builder
     */
    public TrtcEmulatorBuilder rateLimits(boolean enabled) {
        this.rateLimits = enabled;
        return this;
    }

    /**
     * Sets what the {@code Total} of the paged call-quality listings holds. Default: the records
     * returned, as documented.
     *
     * @param reading the reading to answer with
     * @return this builder
     */
    public TrtcEmulatorBuilder pagedTotal(PagedTotal reading) {
        this.pagedTotal = java.util.Objects.requireNonNull(reading, "reading");
        return this;
    }

    /**
     * Seeds the generation of task ids, request ids and metrics, so runs repeat.
     *
     * @param seed any number
     * @return this builder
     */
    public TrtcEmulatorBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Sets how long one play of an ingested stream lasts (RepeatNum plays end the task). Default 60 s.
     *
     * @param length a positive duration
     * @return this builder
     */
    public TrtcEmulatorBuilder streamMediaLength(Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("streamMediaLength must be positive, was " + length);
        }
        this.streamMediaLength = length;
        return this;
    }

    /**
     * Sets the pause between two events of a TextToSpeechSSE stream. Default 20 ms.
     *
     * @param interval zero or more
     * @return this builder
     */
    public TrtcEmulatorBuilder speechChunkInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("speechChunkInterval must not be negative, was " + interval);
        }
        this.speechChunkInterval = interval;
        return this;
    }

    /**
     * Sets how many of the latest requests {@link TrtcEmulator#requests()} keeps; older ones are
     * dropped (and counted by {@link TrtcEmulator#requestsDropped()}), so a long run keeps a flat
     * heap. {@link TrtcEmulator#arrivals(String)} counts every request whatever this size. Default 10,000.
     *
     * @param size 0 (record nothing) or more
     * @return this builder
     */
    public TrtcEmulatorBuilder requestLogSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("requestLogSize must not be negative, was " + size);
        }
        this.requestLogSize = size;
        return this;
    }

    /**
     * Sets the most heap the requests kept by {@link TrtcEmulator#requests()} may hold, estimated from
     * their headers and body trees (about the JSON's size for bodies of long strings, several times
     * it for bodies of many small members). Past it the oldest are dropped (and counted by
     * {@link TrtcEmulator#requestsDropped()}); a request heavier than the whole bound is kept without
     * its body. Both this and {@link #requestLogSize(int)} apply. Default
     * {@link #DEFAULT_REQUEST_LOG_BYTES} (64 MiB).
     *
     * @param bytes 0 (record nothing) or more
     * @return this builder
     */
    public TrtcEmulatorBuilder requestLogBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("requestLogBytes must not be negative, was " + bytes);
        }
        this.requestLogBytes = bytes;
        return this;
    }

    /**
     * Whether to record requests at all (the same as a log size of 0 when off). Default on.
     *
     * @param record on or off
     * @return this builder
     */
    public TrtcEmulatorBuilder recordRequests(boolean record) {
        if (!record) {
            this.requestLogSize = 0;
        } else if (requestLogSize == 0) {
            this.requestLogSize = 10_000;
        }
        return this;
    }

    /**
     * Sets how long a connection may stay without a request in progress, waiting for one or for the
     * rest of one's headers, before it is closed. Default 60 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcEmulatorBuilder idleTimeout(Duration timeout) {
        this.idleTimeout = positive("idleTimeout", timeout);
        return this;
    }

    /**
     * Sets how long a request's body may take to arrive once its headers have; a slower one has its
     * connection closed. Default 30 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcEmulatorBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive("requestTimeout", timeout);
        return this;
    }

    /**
     * Serves the admin endpoint on the same port (off by default): {@code PUT /_emulator/rooms/ROOM/users/USER}
     * adds a user to a room (created on first use; a room of digits is numeric), {@code DELETE} the
     * same path removes it, {@code GET /_emulator/rooms} lists rooms and users. For the standalone
     * emulator, where tests cannot call {@link TrtcEmulator#rooms()}; never expose it beyond loopback.
     * It answers 403 to a request whose {@code Host} is not a loopback name ({@code localhost},
     * {@code 127.x.x.x}, {@code [::1]}) or whose {@code Origin} is not a loopback origin, so a web page
     * cannot drive it by DNS rebinding or a cross-site request.
     *
     * @param enabled on or off
     * @return this builder
     */
    public TrtcEmulatorBuilder admin(boolean enabled) {
        this.admin = enabled;
        return this;
    }

    /**
     * Posts event callbacks to a URL, as the service does for an application with callbacks
     * configured: room and media events as rooms fill and empty, and the lifecycle events of every
     * task family the emulator emulates, signed with the key over the exact bytes sent, with the
     * documented headers, a 5 s timeout and the documented retries (at once, then every 10 s, for a
     * minute). Default: none.
     *
     * @param url an http or https URL
     * @param key the callback key (1 to 32 letters and digits), or null to send them unsigned
     * @return this builder
     */
    public TrtcEmulatorBuilder callbacks(java.net.URI url, String key) {
        Objects.requireNonNull(url, "url");
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("callback url must be an absolute http or https URL, was " + url);
        }
        this.callbackKey = key == null ? null : io.github.trtcreactive.core.callback.CallbackSignature.checkKey(key);
        this.callbackUrl = url;
        return this;
    }

    private static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * Starts the emulator. Blocking: binds the port and loads the API spec; call it from a test's
     * set-up or a main method, never from an event loop.
     *
     * @return the running emulator
     */
    public TrtcEmulator start() {
        return new TrtcEmulator(this);
    }
}
