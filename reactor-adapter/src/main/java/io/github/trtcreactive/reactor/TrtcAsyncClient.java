package io.github.trtcreactive.reactor;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TextToSpeechEvent;
import io.github.trtcreactive.core.model.TrtcRequest;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.internal.HttpTransport;
import io.github.trtcreactive.reactor.internal.Reply;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Clock;
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
                options.maxResponseBytes);
        this.options = options;
        this.clockOffsetSeconds = new AtomicLong();
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
    }

    /**
     * This client with another retry policy for every action, sharing everything else: the
     * connection pool, the rate limiter, the credentials and the learned clock offset. Closing the
     * view releases nothing; close the original.
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
        return credentials.credentials().flatMap(current -> {
            byte[] payload = TrtcProtocol.encode(action, body);
            AtomicBoolean sent = new AtomicBoolean();
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
                        .doOnSuccess(r -> options.listener.onAttempt(action,
                                Duration.ofNanos(System.nanoTime() - started), null))
                        .doOnError(e -> options.listener.onAttempt(action,
                                Duration.ofNanos(System.nanoTime() - started), e));
            }));
            Mono<R> call = attempt
                    // A signature refused as expired is re-signed with the learned clock offset, once.
                    .retryWhen(Retry.max(1).filter(SkewCorrected.class::isInstance))
                    .onErrorMap(SkewCorrected.class, Throwable::getCause)
                    .retryWhen(policy.toRetry(resolved, Schedulers.parallel(), System.nanoTime()));
            // The overall deadline races the call (cancelling it when it fires). Not timeout(): that
            // operator describes its source by walking the whole chain on every subscription.
            return Mono.firstWithSignal(call, Mono.delay(options.callTimeout)
                    .then(Mono.error(() -> new TrtcDeadlineExceededException(action, options.callTimeout, sent.get()))));
        });
    }

    /** A signature refused as expired, after the clock offset was learned from the reply's Date. */
    private static final class SkewCorrected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkewCorrected(TrtcServiceException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private <R> R decodeLearningSkew(String action, Reply reply, Function<Reply, R> decoder) {
        try {
            return decoder.apply(reply);
        } catch (TrtcServiceException e) {
            if (e.isCode("AuthFailure.SignatureExpire") && reply.date() != null) {
                try {
                    long server = ZonedDateTime.parse(reply.date(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toEpochSecond();
                    long offset = server - clock.instant().getEpochSecond();
                    clockOffsetSeconds.set(offset);
                    LOG.warn("{}: the local clock is {} s off the service's; signing with that offset from now on",
                            action, -offset);
                    throw new SkewCorrected(e);
                } catch (java.time.format.DateTimeParseException unreadable) {
                    throw e;
                }
            }
            throw e;
        }
    }

    @Override
    Flux<TextToSpeechEvent> invokeEvents(String action, TrtcRequest request) {
        Objects.requireNonNull(request, "request");
        return Flux.defer(() -> {
            List<String> missing = TrtcProtocol.missingRequired(request);
            if (!missing.isEmpty()) {
                return Flux.error(new TrtcValidationException(action,
                        missing.stream().map(m -> "required member " + m + " is missing").toList()));
            }
            byte[] payload = TrtcProtocol.encode(action, request);
            return credentials.credentials().flatMapMany(current -> rateLimiter.limitMany(current.secretId(), action, permit -> Flux.defer(() ->
                    transport.postEvents(action, eventHeaders(signedHeaders(current, action, payload)), payload,
                            permit::sent)
                            .doFinally(signal -> permit.answered()))))
                    .map(data -> event(action, data));
        });
    }

    private static Map<String, String> eventHeaders(Map<String, String> headers) {
        headers.put("Accept", "text/event-stream, application/json");
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
     * Releases the connection pool this client created. A pool or HTTP client passed to the builder
     * stays open. Calls made after closing fail.
     */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.dispose();
        }
    }

    boolean ownsDisposedPool() {
        return ownedPool != null && ownedPool.isDisposed();
    }

    @Override
    public String toString() {
        return "TrtcAsyncClient{endpoint=" + endpoint + ", region=" + region + "}";
    }
}
