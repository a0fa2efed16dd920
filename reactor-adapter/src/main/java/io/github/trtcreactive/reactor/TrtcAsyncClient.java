package io.github.trtcreactive.reactor;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TextToSpeechEvent;
import io.github.trtcreactive.core.model.TrtcRequest;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.internal.ClientLifecycle;
import io.github.trtcreactive.reactor.internal.HttpTransport;
import io.github.trtcreactive.reactor.internal.Reply;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Clock;
import java.time.Instant;
import reactor.core.Exceptions;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

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
 * {@link TrtcValidationException} when a request lacks a required member, and
 * {@link io.github.trtcreactive.core.error.TrtcRateLimitException} when the wait for a rate-limit permit
 * would exceed its bound (nothing is sent in these last two cases).
 *
 * <p>Every call first waits for a permit of its action's rate limit (see {@link TrtcRateLimiter}).
 */
public final class TrtcAsyncClient extends TrtcOperations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrtcAsyncClient.class);

    private final ReactiveCredentialsProvider credentials;
    private final String region;
    private final TrtcEndpoint endpoint;
    private final Clock clock;
    private final HttpTransport transport;
    private final ConnectionProvider ownedPool;
    private final ActionCatalogue catalogue = ActionCatalogue.standard();
    private final TrtcRateLimiter rateLimiter;
    private final CallOptions options;
    private final AtomicLong clockOffsetSeconds;
    private final ClientLifecycle lifecycle;

    /** The largest clock offset a reply's Date may teach. */
    static final Duration MAX_SKEW = Duration.ofDays(1);
    /** How long {@link #close()} waits for the owned pool to close its connections. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    TrtcAsyncClient(ReactiveCredentialsProvider credentials, String region, TrtcEndpoint endpoint, Duration responseTimeout,
            HttpClient httpClient, ConnectionProvider ownedPool, Clock clock, TrtcRateLimiter rateLimiter,
            CallOptions options) {
        this.rateLimiter = rateLimiter;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.clock = clock;
        this.ownedPool = ownedPool;
        this.transport = new HttpTransport(httpClient, endpoint.uri(), responseTimeout, options.connectTimeout,
                options.maxResponseBytes, Schedulers.parallel());
        this.options = options;
        this.clockOffsetSeconds = new AtomicLong();
        this.lifecycle = new ClientLifecycle();
    }

    /** A view of another client: same connection pool, limiter, credentials and clock offset. */
    private TrtcAsyncClient(TrtcAsyncClient base, CallOptions options) {
        this.credentials = base.credentials;
        this.region = base.region;
        this.endpoint = base.endpoint;
        this.clock = base.clock;
        this.ownedPool = null; // the base client owns and closes it
        this.transport = base.transport;
        this.rateLimiter = base.rateLimiter;
        this.options = options;
        this.clockOffsetSeconds = base.clockOffsetSeconds;
        this.lifecycle = base.lifecycle;
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
        return new TrtcAsyncClient(this, options.withRetryPolicy(java.util.Objects.requireNonNull(policy, "policy")));
    }

    /**
     * Starts configuring a client.
     *
     * @return a new builder
     */
    public static TrtcAsyncClientBuilder builder() {
        return new TrtcAsyncClientBuilder();
    }

    /** @return the region sent with every call */
    public String region() {
        return region;
    }

    /** @return the clock that timestamps signatures, and that helpers use as the present */
    public Clock clock() {
        return clock;
    }

    /** @return where calls are sent */
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
        return exchange(resolved.name(), body, reply -> TrtcProtocol.decodeTree(action, reply.status(), reply.body()));
    }

    @Override
    <R extends TrtcResponse> Mono<R> invoke(String action, TrtcRequest request, Class<R> responseType) {
        Objects.requireNonNull(request, "request");
        return Mono.defer(() -> {
            List<String> missing = TrtcProtocol.missingRequired(request);
            if (!missing.isEmpty()) {
                return Mono.error(new TrtcValidationException(action,
                        missing.stream().map(m -> "required member " + m + " is missing").toList()));
            }
            return exchange(action, request,
                    reply -> TrtcProtocol.decode(action, reply.status(), reply.body(), responseType));
        });
    }

    private <R> Mono<R> exchange(String action, Object body, Function<Reply, R> decoder) {
        TrtcAction resolved = catalogue.resolve(action);
        RetryPolicy policy = options.retryPolicy(action);
        return Mono.defer(() -> {
            if (lifecycle.isClosed()) {
                return Mono.error(new TrtcClientClosedException(action));
            }
            AtomicBoolean sent = new AtomicBoolean();
            Mono<R> call = credentials(action).flatMap(current -> {
                byte[] payload = TrtcProtocol.encode(action, body);
                Mono<R> attempt = rateLimiter.limit(current.secretId(), action, permit -> Mono.defer(() -> {
                    long started = System.nanoTime();
                    return transport.post(action, signedHeaders(current, action, payload), payload, () -> {
                                sent.set(true);
                                permit.sent();
                            })
                            .doFinally(signal -> permit.answered())
                            .map(reply -> {
                                LOG.debug("{} answered HTTP {} in {} ms", action, reply.status(),
                                        (System.nanoTime() - started) / 1_000_000);
                                return decodeLearningSkew(action, reply, decoder);
                            })
                            .doOnSuccess(r -> options.listener.onAttempt(action, Duration.ofNanos(System.nanoTime() - started),
                                    null))
                            .doOnError(e -> options.listener.onAttempt(action, Duration.ofNanos(System.nanoTime() - started),
                                    unwrapSkew(e)));
                }));
                return withRetries(attempt, resolved, policy);
            });
            // The deadline and the client's close race the call (cancelling it when they fire). Not
            // timeout(): that operator describes its source by walking the whole chain on every subscription.
            return Mono.firstWithSignal(call,
                    Mono.delay(options.callTimeout).then(Mono.error(() ->
                            new TrtcDeadlineExceededException(action, options.callTimeout, sent.get()))),
                    lifecycle.onClose().then(Mono.error(() -> new TrtcClientClosedException(action))))
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> unexpected(action, e, sent.get()));
        });
    }

    /**
     * The credentials for one call. A provider's own failure becomes a {@link TrtcClientException}
     * (nothing was sent); one that never answers is cut by the call's deadline.
     */
    private Mono<Credentials> credentials(String action) {
        return Mono.defer(credentials::credentials)
                .switchIfEmpty(Mono.error(() -> new TrtcClientException(action,
                        "the credentials provider gave no credentials; the request was not sent", -1, null, null,
                        false)))
                .onErrorMap(e -> !(e instanceof TrtcException), e -> new TrtcClientException(action,
                        "the credentials provider failed (" + e.getClass().getName() + "); the request was not sent",
                        -1, null, e, false));
    }

    /** The skew correction (one re-signing) inside the policy's retries. */
    private static <T> Mono<T> withRetries(Mono<T> attempt,
            TrtcAction action, RetryPolicy policy) {
        return attempt
                // A signature refused as expired is re-signed with the learned clock offset, once.
                .retryWhen(Retry.max(1).filter(SkewCorrected.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(SkewCorrected.class, Throwable::getCause)
                .retryWhen(policy.toRetry(action, Schedulers.parallel(), System.nanoTime()));
    }

    private static Throwable unwrapSkew(Throwable e) {
        return e instanceof SkewCorrected ? e.getCause() : e;
    }

    /** The last line of the error contract: whatever escaped every translation becomes a client error. */
    private static Throwable unexpected(String action, Throwable e, boolean sent) {
        if (Exceptions.isRetryExhausted(e) && e.getCause() instanceof TrtcException t) {
            return t;
        }
        return new TrtcClientException(action, "unexpected failure: " + e.getClass().getName()
                + (sent ? "; the outcome is unknown" : "; the request was not sent"), -1, null, e, sent);
    }

    /**
     * A signature refused as expired, after the clock offset was learned from the reply's Date. A
     * TrtcException so that the transport passes it through untranslated; it never reaches a caller.
     */
    private static final class SkewCorrected extends TrtcException {
        private static final long serialVersionUID = 1L;

        SkewCorrected(TrtcServiceException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private <R> R decodeLearningSkew(String action, Reply reply, Function<Reply, R> decoder) {
        try {
            return decoder.apply(reply);
        } catch (TrtcServiceException e) {
            if (e.isCode("AuthFailure.SignatureExpire") && learnSkew(action, reply.date())) {
                throw new SkewCorrected(e);
            }
            throw e;
        }
    }

    /**
     * Learns the clock offset from a reply's Date header, when it is readable and plausible (within
     * {@link #MAX_SKEW} of the local clock: a wilder Date is a broken proxy, not a clock).
     */
    private boolean learnSkew(String action, String date) {
        if (date == null) {
            return false;
        }
        long server;
        try {
            server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (java.time.format.DateTimeParseException unreadable) {
            return false;
        }
        long offset = server - clock.instant().getEpochSecond();
        if (Math.abs(offset) > MAX_SKEW.getSeconds()) {
            LOG.warn("{}: the reply's Date is {} s off the local clock, more than the {} h that would be learned; "
                    + "ignored", action, offset, MAX_SKEW.toHours());
            return false;
        }
        clockOffsetSeconds.set(offset);
        LOG.warn("{}: the local clock is {} s off the service's; signing with that offset from now on", action,
                -offset);
        return true;
    }

    @Override
    Flux<TextToSpeechEvent> invokeEvents(String action, TrtcRequest request) {
        Objects.requireNonNull(request, "request");
        TrtcAction resolved = catalogue.resolve(action);
        RetryPolicy policy = options.retryPolicy(action);
        return Flux.defer(() -> {
            if (lifecycle.isClosed()) {
                return Flux.error(new TrtcClientClosedException(action));
            }
            List<String> missing = TrtcProtocol.missingRequired(request);
            if (!missing.isEmpty()) {
                return Flux.error(new TrtcValidationException(action,
                        missing.stream().map(m -> "required member " + m + " is missing").toList()));
            }
            byte[] payload = TrtcProtocol.encode(action, request);
            AtomicBoolean sent = new AtomicBoolean();
            AtomicBoolean emitted = new AtomicBoolean();
            Flux<String> stream = credentials(action).flatMapMany(current -> rateLimiter.limitMany(current.secretId(),
                    action, permit -> Flux.defer(() -> {
                        long started = System.nanoTime();
                        AtomicBoolean reported = new AtomicBoolean();
                        return transport.postEvents(action, eventHeaders(signedHeaders(current, action, payload)),
                                        payload, () -> {
                                            sent.set(true);
                                            permit.sent();
                                        }, () -> {
                                            // The service has answered: the permit is used, whatever follows.
                                            permit.answered();
                                            if (reported.compareAndSet(false, true)) {
                                                options.listener.onAttempt(action,
                                                        Duration.ofNanos(System.nanoTime() - started), null);
                                            }
                                        }, reply -> streamRefusal(action, reply))
                                .doOnError(e -> {
                                    if (reported.compareAndSet(false, true)) {
                                        options.listener.onAttempt(action, Duration.ofNanos(System.nanoTime() - started),
                                                unwrapSkew(e));
                                    }
                                })
                                .doFinally(signal -> permit.answered());
                    })));
            // Retries only before the first event: after it, a resend would repeat what was heard.
            Flux<String> retried = stream
                    .retryWhen(Retry.max(1).filter(e -> e instanceof SkewCorrected && !emitted.get())
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    .onErrorMap(SkewCorrected.class, Throwable::getCause)
                    .retryWhen(streamRetry(policy, resolved, emitted));
            // The deadline covers the wait for the first event; the transport's idle bound the gaps after it.
            Flux<TextToSpeechEvent> events = retried
                    .doOnNext(data -> emitted.set(true))
                    .timeout(Mono.delay(options.callTimeout), data -> Mono.never())
                    .onErrorMap(java.util.concurrent.TimeoutException.class,
                            e -> new TrtcDeadlineExceededException(action, options.callTimeout, sent.get()))
                    .map(data -> event(action, data));
            return lifecycle.guard(events, () -> new TrtcClientClosedException(action))
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> unexpected(action, e, sent.get()));
        });
    }

    private static Retry streamRetry(RetryPolicy policy, TrtcAction action, AtomicBoolean emitted) {
        return policy.toRetry(action, Schedulers.parallel(), System.nanoTime(), e -> !emitted.get());
    }

    /** A reply that is not an event stream: its error envelope (learning clock skew), else a client error. */
    private RuntimeException streamRefusal(String action, Reply reply) {
        try {
            decodeLearningSkew(action, reply, r -> TrtcProtocol.decodeTree(action, r.status(), r.body()));
        } catch (RuntimeException e) {
            return e;
        }
        return new TrtcClientException(action, "expected a stream of events, got another reply", reply.status(),
                TrtcProtocol.excerpt(reply.body()), null);
    }

    private static Map<String, String> eventHeaders(Map<String, String> headers) {
        headers.put("Accept", "text/event-stream, application/json");
        // Compressed event streams are buffered by proxies and decompressors: ask for none.
        headers.put("Accept-Encoding", "identity");
        return headers;
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

    /** Signs now (after the permit): a long wait never sends a stale timestamp. */
    private Map<String, String> signedHeaders(Credentials current, String action, byte[] payload) {
        long timestamp = clock.instant().getEpochSecond() + clockOffsetSeconds.get();
        Tc3Signature signature = Tc3Signer.sign(current, TrtcApi.SERVICE, endpoint.hostHeader(), timestamp,
                TrtcApi.CONTENT_TYPE, payload);
        Map<String, String> headers = signature.headers();
        headers.put("X-TC-Action", action);
        headers.put("X-TC-Version", TrtcApi.VERSION);
        headers.put("X-TC-Region", region);
        headers.put("User-Agent", TrtcAsyncClientBuilder.USER_AGENT);
        LOG.debug("sending {} ({} bytes) to {}", action, payload.length, endpoint);
        return headers;
    }

    /** @return the rate limiter every call of this client goes through */
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
        return clock.instant().plusSeconds(clockOffsetSeconds.get());
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

    /** @return whether {@link #close()} or {@link #closeLater()} was called */
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

    /** @return the name of the pool this client created (its Reactor Netty metrics carry it), or null */
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
