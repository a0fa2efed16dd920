package io.github.trtcreactive.reactor;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TextToSpeechEvent;
import io.github.trtcreactive.core.model.TrtcRequest;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.core.model.Validation;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.internal.ClientLifecycle;
import io.github.trtcreactive.reactor.internal.HttpTransport;
import io.github.trtcreactive.reactor.internal.LoopTimer;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.ContextView;

/**
 * A non-blocking client of the TRTC server API: one method per action (inherited from
 * {@link TrtcOperations}) plus {@link #call(String, JsonNode)} for actions the model does not know.
 * Every method returns a cold publisher: nothing is
 * sent until subscription, each subscription sends a freshly signed request, and cancelling an
 * in-flight call closes its connection. Immutable and thread-safe; share one instance.
 *
 * <p>Errors arrive as {@code onError}: {@link io.github.trtcreactive.core.error.TrtcServiceException}
 * when the service answers with an error (code, message, request id),
 * {@link io.github.trtcreactive.core.error.TrtcTimeoutException} when no reply arrives in time,
 * {@link io.github.trtcreactive.core.error.TrtcClientException} for other transport or decoding failures,
 * {@link TrtcValidationException} when a request lacks a required member,
 * {@link io.github.trtcreactive.core.error.TrtcRateLimitException} when the wait for a rate-limit permit
 * would exceed its bound, and {@link io.github.trtcreactive.core.error.TrtcClientClosedException} once
 * the client is closed (nothing is sent in these last three cases). Every error is a
 * {@link io.github.trtcreactive.core.error.TrtcException}; listeners cannot change an outcome.
 *
 * <p>Every call first waits for a permit of its action's rate limit (see {@link TrtcRateLimiter}),
 * and runs with the subscriber's Reactor Context (the credentials provider sees it).
 */
public final class TrtcAsyncClient extends TrtcOperations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrtcAsyncClient.class);

    private final String region;
    private final TrtcEndpoint endpoint;
    private final ConnectionProvider ownedPool;
    private final ActionCatalogue catalogue = ActionCatalogue.standard();
    private final TrtcRateLimiter rateLimiter;
    private final CallOptions options;
    private final ClockSkew skew;
    private final ClientLifecycle lifecycle;
    private final CallEngine engine;
    /** The action and region pairs already warned about, once each. */
    private final Set<String> warnedRegions;

    /** How long {@link #close()} waits for the owned pool to close its connections. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    TrtcAsyncClient(ReactiveCredentialsProvider credentials, String region, TrtcEndpoint endpoint, Duration responseTimeout,
            HttpClient httpClient, ConnectionProvider ownedPool, Clock clock, TrtcRateLimiter rateLimiter,
            CallOptions options) {
        this.region = region;
        this.endpoint = endpoint;
        this.ownedPool = ownedPool;
        this.rateLimiter = rateLimiter;
        this.options = options;
        this.skew = new ClockSkew(clock);
        this.lifecycle = new ClientLifecycle();
        this.warnedRegions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HttpTransport transport = new HttpTransport(httpClient, endpoint.uri(), responseTimeout,
                options.connectTimeout, options.maxResponseBytes, CallEngine.constantHeaders(endpoint, region));
        this.engine = new CallEngine(credentials, region, endpoint, transport, rateLimiter, skew, lifecycle,
                new LoopTimer(loopsOf(httpClient), Schedulers.parallel()));
    }

    /** The event loops the HTTP client runs on, where calls started on them keep their timers. */
    private static Iterable<io.netty.util.concurrent.EventExecutor> loopsOf(HttpClient httpClient) {
        try {
            var config = httpClient.configuration();
            return config.loopResources().onClient(config.isPreferNative());
        } catch (RuntimeException e) {
            return java.util.List.of(); // timers then all go to the Reactor scheduler
        }
    }

    /** A view of another client: the same engine (pool, limiter, credentials, clock offset, lifecycle). */
    private TrtcAsyncClient(TrtcAsyncClient base, CallOptions options) {
        this.region = base.region;
        this.endpoint = base.endpoint;
        this.ownedPool = base.ownedPool;
        this.rateLimiter = base.rateLimiter;
        this.options = options;
        this.skew = base.skew;
        this.lifecycle = base.lifecycle;
        this.engine = base.engine;
        this.warnedRegions = base.warnedRegions;
    }

    /**
     * This client with another retry policy for every action, sharing everything else: the
     * connection pool, the rate limiter, the credentials, the learned clock offset and the lifecycle
     * (closing either closes both).
     *
     * @param policy the retry policy
     * @return the view
     */
    public TrtcAsyncClient withRetryPolicy(RetryPolicy policy) {
        return withOptions(TrtcCallOptions.none().withRetryPolicy(policy));
    }

    /**
     * This client with calls of another priority, sharing everything else (see
     * {@link #withRetryPolicy}). Background calls wait behind interactive ones for their permits,
     * within a guaranteed share, and get the background bounds of permit wait and deadline.
     *
     * @param priority the priority of this view's calls
     * @return the view
     */
    public TrtcAsyncClient withPriority(io.github.trtcreactive.reactor.ratelimit.CallPriority priority) {
        return withOptions(TrtcCallOptions.none().withPriority(priority));
    }

    /**
     * This client with some settings of its own (priority, deadline, permit wait, retry policy,
     * credentials), sharing everything else; options in a call's Reactor Context still win.
     *
     * @param callOptions the settings
     * @return the view
     */
    public TrtcAsyncClient withOptions(TrtcCallOptions callOptions) {
        return new TrtcAsyncClient(this, options.withOverrides(java.util.Objects.requireNonNull(callOptions,
                "callOptions")));
    }

    /**
     * Starts configuring a client.
     *
     * @return a new builder
     */
    public static TrtcAsyncClientBuilder builder() {
        return new TrtcAsyncClientBuilder();
    }

    /** {@return the region sent with every call} */
    public String region() {
        return region;
    }

    /** {@return the clock that timestamps signatures, and that helpers use as the present} */
    public Clock clock() {
        return skew.clock();
    }

    /** {@return where calls are sent} */
    public TrtcEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Calls any action by name with a JSON body, for actions this version's model does not cover.
     *
     * @param action the action name, for example {@code DescribeRoomInfo}
     * @param body the request members as a JSON object
     * @return the members of the reply's {@code Response} object (RequestId included), on subscription
     * @throws IllegalArgumentException at once when the action name is not an UpperCamelCase word
     *     or the body is not a JSON object
     */
    public Mono<JsonNode> call(String action, JsonNode body) {
        TrtcAction resolved = catalogue.resolve(action);
        Objects.requireNonNull(body, "body");
        if (!body.isObject()) {
            throw new IllegalArgumentException("body of " + action + " must be a JSON object, was " + body.getNodeType());
        }
        return engine.exchange(options, resolved.name(), body, reply -> TrtcProtocol.decodeTree(action, reply.status(), reply.body()));
    }

    @Override
    <R extends TrtcResponse> Mono<R> invoke(String action, TrtcRequest request, Class<R> responseType) {
        Objects.requireNonNull(request, "request");
        TrtcProtocol.prepare(request.getClass(), responseType); // here, not on an event loop
        return Mono.deferContextual(context -> {
            TrtcValidationException refused = refusal(action, request, context);
            if (refused != null) {
                return Mono.error(refused);
            }
            return engine.exchange(options, action, request,
                    reply -> TrtcProtocol.decode(action, reply.status(), reply.body(), responseType));
        });
    }

    @Override
    Flux<TextToSpeechEvent> invokeEvents(String action, TrtcRequest request) {
        Objects.requireNonNull(request, "request");
        return Flux.deferContextual(context -> {
            TrtcValidationException refused = refusal(action, request, context);
            if (refused != null) {
                return Flux.error(refused);
            }
            return engine.events(options, action, TrtcProtocol.encode(action, request)).map(data -> event(action, data));
        });
    }

    /**
     * What a request breaks at the client's validation level, and whether its region is one the
     * action's documentation lists; null when it may be sent.
     */
    private TrtcValidationException refusal(String action, TrtcRequest request, ContextView context) {
        List<String> violations = TrtcProtocol.violations(request, options.validation);
        String callRegion = options.overrides.overriddenBy(TrtcCallOptions.from(context)).region().orElse(region);
        Set<String> documented = catalogue.resolve(action).regions().orElse(Set.of());
        if (!documented.isEmpty() && !documented.contains(callRegion)) {
            if (options.validation == Validation.DOCUMENTED) {
                violations = new java.util.ArrayList<>(violations);
                violations.add("region " + callRegion + " is not one the documentation lists for " + action + " ("
                        + String.join(", ", documented) + "); choose one with withRegion or TrtcCallOptions.withRegion");
            } else if (warnedRegions.add(action + " " + callRegion)) {
                LOG.warn("{} is called in {}, which its documentation does not list ({}); choose one with withRegion",
                        action, callRegion, String.join(", ", documented));
            }
        }
        return violations.isEmpty() ? null : new TrtcValidationException(action, violations);
    }

    /**
     * A view of this client whose calls go to another region (an action documented only elsewhere);
     * the same as {@code withOptions(TrtcCallOptions.none().withRegion(region))}.
     *
     * @param region the region, for example {@code ap-singapore}
     * @return the view
     */
    public TrtcAsyncClient withRegion(String region) {
        return withOptions(TrtcCallOptions.none().withRegion(region));
    }

    /** One event's data; an error event becomes the stream's error. */
    private static TextToSpeechEvent event(String action, String data) {
        JsonNode node;
        TextToSpeechEvent event;
        try {
            node = TrtcProtocol.mapper().readTree(data);
            event = TrtcProtocol.mapper().treeToValue(node, TextToSpeechEvent.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new TrtcClientException(action, "an event is not valid JSON", 200, TrtcProtocol.excerpt(
                    data.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
        }
        if ("error".equals(event.type()) || node.has("Error")) {
            throw new TrtcServiceException(action, node.path("Error").path("Code").asText("Unknown"),
                    node.path("Error").path("Message").asText(""), event.requestId(), 200);
        }
        return event;
    }

    /** {@return the rate limiter every call of this client goes through} */
    public TrtcRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * The present as the service sees it: this client's clock corrected by the offset learned from
     * the service's replies (zero until a signature was refused as expired).
     *
     * @return the service's present
     */
    public Instant serviceNow() {
        return skew.serviceNow();
    }

    /**
     * Closes the client, for good: calls made later fail on subscription with
     * {@link TrtcClientClosedException} and reach no server; calls in flight or waiting for a
     * rate-limit permit, and the pollers, metric streams and listings over this client, end with that
     * error; the connection pool the client created is disposed before this method returns (waiting
     * at most 10 s; on a non-blocking thread the disposal is started, not awaited: use
     * {@link #closeLater()} there). A pool or HTTP client passed to the builder is left open.
     * Closing again does nothing.
     */
    @Override
    public void close() {
        lifecycle.close();
        if (ownedPool == null || ownedPool.isDisposed()) {
            return;
        }
        if (Schedulers.isInNonBlockingThread()) {
            ownedPool.dispose();
            return;
        }
        try {
            ownedPool.disposeLater().block(CLOSE_TIMEOUT); // blocking-ok: close() is the blocking facade
        } catch (IllegalStateException timedOut) {
            LOG.warn("the connection pool did not close within {} s; its disposal goes on in the background",
                    CLOSE_TIMEOUT.getSeconds());
        }
    }

    /**
     * Closes the client without blocking: as {@link #close()}, completing when the pool the client
     * created is disposed (or after 10 s).
     *
     * @return completes when closed, on subscription
     */
    public Mono<Void> closeLater() {
        return Mono.defer(() -> {
            lifecycle.close();
            if (ownedPool == null) {
                return Mono.empty();
            }
            return ownedPool.disposeLater().timeout(CLOSE_TIMEOUT, Mono.empty());
        });
    }

    /** {@return whether {@link #close()} or {@link #closeLater()} was called} */
    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    /**
     * A signal for work built on this client (pollers, streams) to end when it closes.
     *
     * @return completes when the client closes; at once on subscription if it is closed
     */
    public Mono<Void> onClose() {
        return lifecycle.onClose();
    }

    /**
     * Ends a stream built on this client with {@link TrtcClientClosedException} as soon as the
     * client closes; the pollers, metric streams and paginators use it.
     *
     * @param <T> the element type
     * @param flux the stream
     * @param what what the stream does, for the error (an action, a poller)
     * @return the stream, ended by the client's close
     */
    public <T> Flux<T> endOnClose(Flux<T> flux, String what) {
        return lifecycle.guard(flux, () -> new TrtcClientClosedException(what));
    }

    /** {@return the name of the pool this client created (its Reactor Netty metrics carry it), or null} */
    String poolName() {
        return ownedPool == null ? null : ownedPool.name();
    }

    boolean ownsDisposedPool() {
        return ownedPool != null && ownedPool.isDisposed();
    }

    @Override
    public String toString() {
        return "TrtcAsyncClient{endpoint=" + endpoint + ", region=" + region + "}";
    }
}
