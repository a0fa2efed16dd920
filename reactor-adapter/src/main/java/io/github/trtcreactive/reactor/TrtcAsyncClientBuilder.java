package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Configures a {@link TrtcAsyncClient}. Mutable and not thread-safe; every {@link #build()} returns a
 * new, independent client. Unset options take their defaults from the environment, then from the
 * service's defaults.
 */
public final class TrtcAsyncClientBuilder {

    static final String DEFAULT_REGION = "ap-guangzhou";
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String USER_AGENT = "trtc-reactive/" + version();

    private CredentialsProvider credentialsProvider;
    private ReactiveCredentialsProvider reactiveCredentials;
    private String region;
    private TrtcEndpoint endpoint;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private HttpClient httpClient;
    private ConnectionProvider connectionProvider;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<String> environment = System::getenv;
    private TrtcRateLimiter rateLimiter;
    private Duration interactiveTimeout = Duration.ofMinutes(1);
    private Duration backgroundTimeout = Duration.ofMinutes(15);
    private long maxResponseBytes = 10L * 1024 * 1024;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private io.github.trtcreactive.core.model.Validation validation = io.github.trtcreactive.core.model.Validation.CERTAIN;
    private final java.util.Map<String, RetryPolicy> retryPolicies = new java.util.HashMap<>();
    private CallListener callListener = CallListener.NONE;
    private io.github.trtcreactive.reactor.observe.CallObserver observer =
            io.github.trtcreactive.reactor.observe.CallObserver.NONE;
    private boolean profileSet;
    private String profile;
    private java.nio.file.Path credentialsFile;
    private int maxConnections = 512;
    private int pendingAcquireMaxCount = 10_000;
    private Duration pendingAcquireTimeout = Duration.ofSeconds(45);
    private Duration maxLifeTime = Duration.ofMinutes(5);
    private Duration maxIdleTime = Duration.ofSeconds(30);
    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    TrtcAsyncClientBuilder() {}

    /**
     * Uses fixed credentials. Default: {@link io.github.trtcreactive.reactor.auth.DefaultCredentialsChain}
     * (environment, {@code ~/.tencentcloud/credentials}, then the role sources whose environment says
     * they apply: a role to assume, OIDC on TKE, the CVM instance's role).
     *
     * @param credentials the key pair
     * @return this builder
     */
    public TrtcAsyncClientBuilder credentials(Credentials credentials) {
        this.reactiveCredentials = null;
        this.profileSet = false;
        this.credentialsProvider = CredentialsProvider.of(Objects.requireNonNull(credentials, "credentials"));
        return this;
    }

    /**
     * Uses a credentials provider, asked once per call; it must not block (do its I/O up front).
     *
     * @param provider the provider
     * @return this builder
     */
    public TrtcAsyncClientBuilder credentialsProvider(CredentialsProvider provider) {
        this.reactiveCredentials = null;
        this.profileSet = false;
        this.credentialsProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /**
     * Uses credentials that need I/O to obtain, such as temporary credentials kept fresh by a
     * {@link io.github.trtcreactive.reactor.auth.RefreshingCredentialsProvider}. They are asked for on
     * each call, without blocking; {@link #build()} does not resolve them.
     *
     * @param provider the provider
     * @return this builder
     */
    public TrtcAsyncClientBuilder credentialsProvider(ReactiveCredentialsProvider provider) {
        this.reactiveCredentials = Objects.requireNonNull(provider, "provider");
        this.credentialsProvider = null;
        this.profileSet = false;
        return this;
    }

    /**
     * Sets the region sent as {@code X-TC-Region}. Default: {@code TENCENTCLOUD_REGION}, else {@code ap-guangzhou}.
     *
     * @param region for example {@code ap-singapore}
     * @return this builder
     */
    public TrtcAsyncClientBuilder region(String region) {
        this.region = ActionCatalogue.standard().requireKnownRegion(requireText("region", region), "region(String)");
        return this;
    }

    /**
     * Sets a region this SDK's catalogue does not list (one opened after its release), without the
     * check {@link #region(String)} makes.
     *
     * @param region the region, lower-case words and digits joined by hyphens, for example {@code ap-newcity}
     * @return this builder
     */
    public TrtcAsyncClientBuilder unlistedRegion(String region) {
        requireText("region", region);
        if (!region.matches("[a-z]+(-[a-z0-9]+)+")) {
            throw new IllegalArgumentException("unlistedRegion: \"" + region + "\" is not a region name "
                    + "(lower-case words and digits joined by hyphens, such as ap-singapore)");
        }
        this.region = region;
        return this;
    }

    /**
     * Reads the credentials from one section of a credentials file instead of the default chain
     * (an INI file with {@code secret_id}, {@code secret_key} and an optional {@code token}).
     *
     * @param file the file; null for {@code ~/.tencentcloud/credentials}
     * @param profile the section; null for {@code TENCENTCLOUD_PROFILE}, else {@code default}
     * @return this builder
     */
    public TrtcAsyncClientBuilder credentialsProfile(java.nio.file.Path file, String profile) {
        this.reactiveCredentials = null;
        this.credentialsProvider = null;
        this.credentialsFile = file;
        this.profile = profile == null ? null : requireText("profile", profile);
        this.profileSet = true;
        return this;
    }

    /**
     * Sets the size of the connection pool the client creates. Default 512. Ignored when a pool or
     * an HTTP client is given.
     *
     * @param max 1 or more connections
     * @return this builder
     */
    public TrtcAsyncClientBuilder maxConnections(int max) {
        this.maxConnections = positive("maxConnections", max);
        return this;
    }

    /**
     * Sets how many calls may wait for a connection of the pool the client creates when all are
     * busy; more fail at once with {@link io.github.trtcreactive.core.error.TrtcPoolExhaustedException}.
     * Default 10,000.
     *
     * @param max 1 or more
     * @return this builder
     */
    public TrtcAsyncClientBuilder pendingAcquireMaxCount(int max) {
        this.pendingAcquireMaxCount = positive("pendingAcquireMaxCount", max);
        return this;
    }

    /**
     * Sets the longest a call waits for a connection of the pool the client creates; past it the
     * call fails with {@link io.github.trtcreactive.core.error.TrtcPoolExhaustedException} (the call
     * timeout bounds the wait too). Default 45 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder pendingAcquireTimeout(Duration timeout) {
        this.pendingAcquireTimeout = requirePositive("pendingAcquireTimeout", timeout);
        return this;
    }

    /**
     * Sets how long a pooled connection may live before it is closed (when idle) and a new one is
     * opened: new connections resolve the endpoint again and spread over its addresses. Default 5 min.
     *
     * @param maxLifeTime a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder maxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = requirePositive("maxLifeTime", maxLifeTime);
        return this;
    }

    /**
     * Sets how long a pooled connection may stay idle before it is closed. Default 30 s.
     *
     * @param maxIdleTime a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder maxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = requirePositive("maxIdleTime", maxIdleTime);
        return this;
    }

    /**
     * Sends requests to an override, for example an emulator ({@code http://127.0.0.1:9000}).
     * Default: {@code TRTC_ENDPOINT}, else {@link TrtcEndpoint#DEFAULT}. See {@link TrtcEndpoint#of(URI)}
     * for which URIs are accepted.
     *
     * @param uri the endpoint
     * @return this builder
     */
    public TrtcAsyncClientBuilder endpoint(URI uri) {
        this.endpoint = TrtcEndpoint.of(uri);
        return this;
    }

    /**
     * Sends requests to one of the service's endpoints or an explicit override.
     *
     * @param endpoint the endpoint
     * @return this builder
     */
    public TrtcAsyncClientBuilder endpoint(TrtcEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /**
     * Sets the longest wait for a reply once the request is written; past it the call fails with
     * {@link io.github.trtcreactive.core.error.TrtcTimeoutException}. Default 10 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder responseTimeout(Duration timeout) {
        this.responseTimeout = requirePositive("responseTimeout", timeout);
        return this;
    }

    /**
     * Sets the longest wait for a TCP connection. Default 5 s. Ignored when {@link #httpClient(HttpClient)}
     * is given (configure it there).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = requirePositive("connectTimeout", timeout);
        return this;
    }

    /**
     * Uses your Reactor Netty client (its pool, loops, proxy, TLS, metrics). The client is not
     * disposed by {@link TrtcAsyncClient#close()}.
     *
     * @param httpClient the client
     * @return this builder
     */
    public TrtcAsyncClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /**
     * Uses your connection pool with the SDK's own client settings. The pool is not disposed by
     * {@link TrtcAsyncClient#close()}. Ignored when {@link #httpClient(HttpClient)} is given.
     *
     * @param provider the pool
     * @return this builder
     */
    public TrtcAsyncClientBuilder connectionProvider(ConnectionProvider provider) {
        this.connectionProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /**
     * Sets the clock that timestamps (and so dates) each signature. Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public TrtcAsyncClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Sets the rate limiter every call goes through. Default: a new {@link TrtcRateLimiter#create()}
     * per client; pass one shared limiter to clients of the same account, or
     * {@link TrtcRateLimiter#disabled()} to send without limiting.
     *
     * @param rateLimiter the limiter
     * @return this builder
     */
    public TrtcAsyncClientBuilder rateLimiter(TrtcRateLimiter rateLimiter) {
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        return this;
    }

    /**
     * Sets the longest a whole call may take, rate-limit wait and retries included, for calls of
     * both priorities; past it the call fails with
     * {@link io.github.trtcreactive.core.error.TrtcDeadlineExceededException}. By default 1 minute
     * for interactive calls and 15 minutes for background ones.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder callTimeout(Duration timeout) {
        callTimeout(io.github.trtcreactive.reactor.ratelimit.CallPriority.INTERACTIVE, timeout);
        return callTimeout(io.github.trtcreactive.reactor.ratelimit.CallPriority.BACKGROUND, timeout);
    }

    /**
     * Sets the longest a whole call of one priority may take (default 1 minute for interactive
     * calls, which a request handler waits for, and 15 minutes for background ones); a call can set
     * its own ({@link TrtcCallOptions#withDeadline}).
     *
     * @param priority the priority
     * @param timeout a positive duration
     * @return this builder
     */
    public TrtcAsyncClientBuilder callTimeout(io.github.trtcreactive.reactor.ratelimit.CallPriority priority,
            Duration timeout) {
        Objects.requireNonNull(priority, "priority");
        if (priority == io.github.trtcreactive.reactor.ratelimit.CallPriority.INTERACTIVE) {
            this.interactiveTimeout = requirePositive("callTimeout", timeout);
        } else {
            this.backgroundTimeout = requirePositive("callTimeout", timeout);
        }
        return this;
    }

    /**
     * Sets the largest reply body accepted; a larger one fails the call. Default 10 MB, the service's
     * own limit on requests.
     *
     * @param bytes a positive size
     * @return this builder
     */
    public TrtcAsyncClientBuilder maxResponseSize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxResponseSize must be positive, was " + bytes);
        }
        this.maxResponseBytes = bytes;
        return this;
    }

    /**
     * Sets how much of the documentation requests are checked against before sending. Default
     * {@link io.github.trtcreactive.core.model.Validation#CERTAIN}: required members, null list
     * elements, documented list lengths, and a warning (logged once) for an action called in a region its
     * documentation does not list; {@link io.github.trtcreactive.core.model.Validation#DOCUMENTED} adds
     * ranges, value sets, string lengths and rules between members, and refuses such regions. A refused
     * request fails with {@code TrtcValidationException}: nothing is sent, no permit is spent.
     *
     * @param validation the level
     * @return this builder
     */
    public TrtcAsyncClientBuilder validation(io.github.trtcreactive.core.model.Validation validation) {
        this.validation = Objects.requireNonNull(validation, "validation");
        return this;
    }

    /**
     * Sets when failed calls are sent again. Default {@link RetryPolicy#defaults()}.
     *
     * @param policy the policy for every action without its own
     * @return this builder
     */
    public TrtcAsyncClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Sets the retry policy of one action.
     *
     * @param action the action, for example {@code DismissRoom}
     * @param policy its policy
     * @return this builder
     * @throws IllegalArgumentException when the catalogue does not know the action (the message
     *     suggests the nearest name)
     */
    public TrtcAsyncClientBuilder retryPolicy(String action, RetryPolicy policy) {
        ActionCatalogue.standard().requireKnown(action, "retryPolicy(action, policy)");
        retryPolicies.put(action, Objects.requireNonNull(policy, "policy"));
        return this;
    }

    /**
     * Sets the observer of every attempt's latency and outcome (for metrics). Default: none.
     *
     * @param listener the listener; called on event-loop threads, so it must not block
     * @return this builder
     */
    public TrtcAsyncClientBuilder callListener(CallListener listener) {
        this.callListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets the observer of every logical call: its permit wait, attempts, retries, outcome and
     * request id, with the caller's Reactor Context (for metrics and tracing; see the
     * {@code trtc-reactive-micrometer} module). Default: none.
     *
     * @param observer the observer; called on event-loop threads, so it must not block
     * @return this builder
     */
    public TrtcAsyncClientBuilder observer(io.github.trtcreactive.reactor.observe.CallObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    TrtcAsyncClientBuilder environment(UnaryOperator<String> environment) {
        this.environment = environment;
        return this;
    }

    /**
     * Creates the client. Resolves the credentials once, so that missing credentials fail here
     * rather than on the first call. JSON codecs are prepared per type when a call of that type is
     * first assembled (see {@link io.github.trtcreactive.core.protocol.TrtcProtocol#prepareCodecs()}
     * to prepare all of them at start-up instead).
     *
     * @return a new client
     * @throws io.github.trtcreactive.core.auth.CredentialsNotFoundException when no credentials are found
     * @throws IllegalArgumentException when {@code TRTC_ENDPOINT} is not a valid endpoint or
     *     {@code TENCENTCLOUD_REGION} not a known region (the message names the variable)
     */
    public TrtcAsyncClient build() {
        ReactiveCredentialsProvider provider = reactiveCredentials;
        if (provider == null && credentialsProvider == null && !profileSet) {
            provider = io.github.trtcreactive.reactor.auth.DefaultCredentialsChain.create(environment);
        } else if (provider == null) {
            CredentialsProvider sync = credentialsProvider != null ? credentialsProvider : profileProvider();
            sync.resolveCredentials(); // fail here, not on the first call, when there are none
            provider = ReactiveCredentialsProvider.of(sync);
        }
        String resolvedRegion = region;
        if (resolvedRegion == null) {
            String fromEnv = envOr("TENCENTCLOUD_REGION", DEFAULT_REGION);
            resolvedRegion = ActionCatalogue.standard().requireKnownRegion(fromEnv, "environment variable "
                    + "TENCENTCLOUD_REGION");
        }
        TrtcEndpoint resolvedEndpoint = endpoint;
        if (resolvedEndpoint == null) {
            String fromEnv = envOr("TRTC_ENDPOINT", null);
            resolvedEndpoint = fromEnv == null ? TrtcEndpoint.DEFAULT : endpointFromEnvironment(fromEnv);
        }
        ConnectionProvider ownedPool = null;
        HttpClient client = httpClient;
        if (client == null) {
            ConnectionProvider pool = connectionProvider;
            if (pool == null) {
                ownedPool = ConnectionProvider.builder("trtc-reactive-" + POOLS.incrementAndGet())
                        .maxConnections(maxConnections)
                        .pendingAcquireMaxCount(pendingAcquireMaxCount)
                        .pendingAcquireTimeout(pendingAcquireTimeout)
                        .maxIdleTime(maxIdleTime)
                        .maxLifeTime(maxLifeTime)
                        .evictInBackground(Duration.ofSeconds(30))
                        .build();
                pool = ownedPool;
            }
            client = HttpClient.create(pool)
                    .compress(true)
                    .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        }
        return new TrtcAsyncClient(provider, resolvedRegion, resolvedEndpoint, responseTimeout, client, ownedPool,
                clock, rateLimiter != null ? rateLimiter : TrtcRateLimiter.create(),
                new CallOptions(validation, connectTimeout, interactiveTimeout, backgroundTimeout, maxResponseBytes, retryPolicy,
                        retryPolicies, callListener, observer, TrtcCallOptions.none()));
    }

    private CredentialsProvider profileProvider() {
        java.nio.file.Path file = credentialsFile != null ? credentialsFile
                : java.nio.file.Path.of(System.getProperty("user.home"), ".tencentcloud", "credentials");
        return CredentialsProvider.profileFile(file, profile != null ? profile
                : envOr("TENCENTCLOUD_PROFILE", "default"));
    }

    private static TrtcEndpoint endpointFromEnvironment(String value) {
        try {
            return TrtcEndpoint.of(URI.create(value));
        } catch (IllegalArgumentException e) {
            // URI's own messages ("Illegal character in path at index 3") say nothing of where the value came from.
            String why = e.getMessage() == null ? e.toString() : e.getMessage().replace(value, "the value");
            throw new IllegalArgumentException("environment variable TRTC_ENDPOINT is not a valid endpoint: " + why
                    + " (expected https://host[:port], or http:// to a loopback address)", e);
        }
    }

    private String envOr(String name, String fallback) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String requireText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    private static int positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = TrtcAsyncClientBuilder.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "dev");
    }
}
