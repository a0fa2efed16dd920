package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.internal.CallBound;
import io.github.trtcreactive.reactor.internal.ClientLifecycle;
import io.github.trtcreactive.reactor.internal.HttpTransport;
import io.github.trtcreactive.reactor.internal.LoopTimer;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.reactor.internal.Reply;
import io.github.trtcreactive.reactor.observe.AttemptObservation;
import io.github.trtcreactive.reactor.observe.CallInfo;
import io.github.trtcreactive.reactor.observe.CallObservation;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * One logical call, from credentials to decoded answer: credentials, permit, signing, the exchange,
 * skew correction, retries, the deadline, the client's close and the last line of the error
 * contract (whatever a caller sees is a {@link TrtcException}). Shared by a client and its views,
 * which differ only in their {@link CallOptions}.
 */
final class CallEngine {

    private static final Logger LOG = LoggerFactory.getLogger(CallEngine.class);

    private final ReactiveCredentialsProvider credentials;
    private final String region;
    private final TrtcEndpoint endpoint;
    private final HttpTransport transport;
    private final TrtcRateLimiter rateLimiter;
    private final ClockSkew skew;
    private final ClientLifecycle lifecycle;
    private final ActionCatalogue catalogue = ActionCatalogue.standard();

    private final LoopTimer timer;

    CallEngine(ReactiveCredentialsProvider credentials, String region, TrtcEndpoint endpoint, HttpTransport transport,
            TrtcRateLimiter rateLimiter, ClockSkew skew, ClientLifecycle lifecycle, LoopTimer timer) {
        this.timer = timer;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.transport = transport;
        this.rateLimiter = rateLimiter;
        this.skew = skew;
        this.lifecycle = lifecycle;
    }

    /** A unary call: the decoded answer, or a TrtcException. */
    <R> Mono<R> exchange(CallOptions options, String action, Object body, Function<Reply, R> decoder) {
        TrtcAction resolved = catalogue.resolve(action);
        return Mono.deferContextual(context -> {
            if (lifecycle.isClosed()) {
                return Mono.error(new TrtcClientClosedException(action));
            }
            CallOptions.Resolved settings = options.resolve(action, TrtcCallOptions.from(context));
            RetryPolicy policy = settings.retryPolicy();
            AtomicBoolean sent = new AtomicBoolean();
            CallObservation observation = options.observer.start(info(action, settings), context);
            AtomicInteger attempts = new AtomicInteger();
            AtomicReference<String> requestId = new AtomicReference<>();
            Mono<R> call = credentials(action, settings).flatMap(current -> {
                byte[] payload = TrtcProtocol.encode(action, body);
                long[] askedAt = new long[1];
                Mono<R> attempt = Mono.defer(() -> {
                    askedAt[0] = System.nanoTime();
                    return rateLimiter.limit(current.secretId(), action, settings.priority(),
                            settings.maxPermitWait(), permit -> Mono.defer(() -> {
                        long started = System.nanoTime();
                        observation.permitGranted(Duration.ofNanos(started - askedAt[0]));
                        AttemptObservation observed = observation.attempt(attempts.incrementAndGet());
                        // Logged here, inside the caller's subscription, so a propagated MDC is on the line.
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} attempt {} sending {} bytes to {}", action, attempts.get(), payload.length,
                                    endpoint);
                        }
                        int[] status = new int[1];
                        return transport.post(action, () -> withObserved(signedHeaders(current, action, payload, settings),
                                                observed), payload, permit.whenWritable(), () -> {
                                            sent.set(true);
                                            permit.sent();
                                        })
                                .doFinally(signal -> permit.answered())
                                .map(reply -> {
                                    status[0] = reply.status();
                                    return decodeLearningSkew(action, reply, decoder);
                                })
                                .doOnSuccess(r -> {
                                    String id = requestIdOf(r);
                                    requestId.set(id);
                                    if (LOG.isDebugEnabled()) {
                                        LOG.debug("{} attempt {} answered HTTP {} in {} ms, request {}", action,
                                                attempts.get(), status[0], (System.nanoTime() - started) / 1_000_000,
                                                id);
                                    }
                                    observed.ended(status[0], id, null);
                                    options.listener.onAttempt(action, since(started), null);
                                })
                                .doOnError(e -> {
                                    Throwable error = SkewCorrected.unwrap(e);
                                    String id = requestIdOf(error);
                                    if (id != null) {
                                        requestId.set(id);
                                    }
                                    if (LOG.isDebugEnabled()) {
                                        LOG.debug("{} attempt {} failed after {} ms, request {}: {}", action,
                                                attempts.get(), (System.nanoTime() - started) / 1_000_000, id,
                                                error.toString());
                                    }
                                    observed.ended(status[0] != 0 ? status[0] : httpStatusOf(error), id, error);
                                    options.listener.onAttempt(action, since(started), error);
                                })
                                .doOnCancel(observed::cancelled);
                    }));
                });
                // A signature refused as expired is signed again with the learned offset, once.
                Mono<R> skewCorrected = attempt.onErrorResume(e -> e instanceof SkewCorrected
                        ? attempt.onErrorMap(SkewCorrected.class, Throwable::getCause)
                        : Mono.error(e));
                return policy.retrying(skewCorrected, resolved, Schedulers.parallel());
            });
            // The deadline and the client's close race the call, cancelling it when they come first.
            // The error contract's last line and the observation's end ride on the same operator.
            return new CallBound<>(call, settings.deadline(), timer, lifecycle,
                    () -> new TrtcDeadlineExceededException(action, settings.deadline(), sent.get()),
                    () -> new TrtcClientClosedException(action),
                    e -> e instanceof TrtcException ? e : unexpected(action, e, sent.get()),
                    new CallBound.Ends() {
                        @Override
                        public void succeeded() {
                            observation.succeeded(requestId.get(), attempts.get());
                        }

                        @Override
                        public void failed(Throwable error) {
                            observation.failed(error, requestId.get(), attempts.get());
                        }

                        @Override
                        public void cancelled() {
                            observation.cancelled(attempts.get());
                        }
                    });
        });
    }

    private CallInfo info(String action, CallOptions.Resolved settings) {
        return new CallInfo(action, settings.call().region().orElse(region), endpoint.uri().getHost(),
                port(endpoint.uri()), settings.priority());
    }

    private static int port(java.net.URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    }

    /** The observer's headers (a trace id), under the SDK's own: they cannot replace a signed or protocol header. */
    private static Map<String, String> withObserved(Map<String, String> headers, AttemptObservation observed) {
        Map<String, String> extra = observed.requestHeaders();
        if (!extra.isEmpty()) {
            extra.forEach(headers::putIfAbsent);
        }
        return headers;
    }

    private static String requestIdOf(Object value) {
        if (value instanceof TrtcResponse response) {
            return response.requestId();
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode tree && tree.hasNonNull("RequestId")) {
            return tree.get("RequestId").asText();
        }
        if (value instanceof TrtcServiceException service) {
            return service.requestId();
        }
        return null;
    }

    private static int httpStatusOf(Throwable error) {
        if (error instanceof TrtcServiceException service) {
            return service.httpStatus();
        }
        if (error instanceof TrtcClientException client && client.httpStatus().isPresent()) {
            return client.httpStatus().getAsInt();
        }
        return 0;
    }

    /**
     * A call answered by a stream of server-sent events, treated as a unary call until its first
     * event: the deadline bounds the wait for it, retries and skew correction apply before it; the
     * transport's idle bound covers the gaps after it. The permit counts as answered when the
     * reply's headers arrive.
     */
    Flux<String> events(CallOptions options, String action, byte[] payload) {
        TrtcAction resolved = catalogue.resolve(action);
        return Flux.deferContextual(context -> {
            if (lifecycle.isClosed()) {
                return Flux.error(new TrtcClientClosedException(action));
            }
            CallOptions.Resolved settings = options.resolve(action, TrtcCallOptions.from(context));
            RetryPolicy policy = settings.retryPolicy();
            AtomicBoolean sent = new AtomicBoolean();
            AtomicBoolean emitted = new AtomicBoolean();
            CallObservation observation = options.observer.start(info(action, settings), context);
            AtomicInteger attempts = new AtomicInteger();
            Flux<String> stream = credentials(action, settings).flatMapMany(current -> rateLimiter.limitMany(
                    current.secretId(), action, settings.priority(), settings.maxPermitWait(), permit -> Flux.defer(() -> {
                        long started = System.nanoTime();
                        AtomicBoolean reported = new AtomicBoolean();
                        AttemptObservation observed = observation.attempt(attempts.incrementAndGet());
                        LOG.debug("{} attempt {} sending {} bytes to {} for a stream", action, attempts.get(),
                                payload.length, endpoint);
                        return transport.postEvents(action, () -> withObserved(eventHeaders(signedHeaders(current,
                                                action, payload, settings)), observed),
                                        payload, permit.whenWritable(), () -> {
                                            sent.set(true);
                                            permit.sent();
                                        }, () -> {
                                            // The service has answered: the permit is used, whatever follows.
                                            permit.answered();
                                            if (reported.compareAndSet(false, true)) {
                                                observed.ended(200, null, null);
                                                options.listener.onAttempt(action, since(started), null);
                                            }
                                        }, reply -> streamRefusal(action, reply))
                                .doOnError(e -> {
                                    if (reported.compareAndSet(false, true)) {
                                        Throwable error = SkewCorrected.unwrap(e);
                                        observed.ended(httpStatusOf(error), requestIdOf(error), error);
                                        options.listener.onAttempt(action, since(started), error);
                                    }
                                })
                                .doOnCancel(observed::cancelled)
                                .doFinally(signal -> permit.answered());
                    })));
            // Retries only before the first event: after it, a resend would repeat what was heard.
            Flux<String> events = stream
                    .retryWhen(Retry.max(1).filter(e -> e instanceof SkewCorrected && !emitted.get())
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    .onErrorMap(SkewCorrected.class, Throwable::getCause)
                    .retryWhen(policy.toRetry(resolved, Schedulers.parallel(), System.nanoTime(), e -> !emitted.get()))
                    .doOnNext(data -> emitted.set(true))
                    .timeout(Mono.delay(settings.deadline()), data -> Mono.never())
                    .onErrorMap(TimeoutException.class,
                            e -> new TrtcDeadlineExceededException(action, settings.deadline(), sent.get()));
            return lifecycle.guard(events, () -> new TrtcClientClosedException(action))
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> unexpected(action, e, sent.get()))
                    .doOnComplete(() -> observation.succeeded(null, attempts.get()))
                    .doOnError(e -> observation.failed(e, requestIdOf(e), attempts.get()))
                    .doOnCancel(() -> observation.cancelled(attempts.get()));
        });
    }

    /**
     * The credentials for one call. A provider's own failure becomes a {@link TrtcClientException}
     * (nothing was sent); one that never answers is cut by the call's deadline.
     */
    private Mono<Credentials> credentials(String action, CallOptions.Resolved settings) {
        if (settings.call().credentials().isPresent()) {
            return Mono.just(settings.call().credentials().get());
        }
        return Mono.defer(credentials::credentials)
                .switchIfEmpty(Mono.error(() -> new TrtcClientException(action,
                        "the credentials provider gave no credentials; the request was not sent", -1, null, null,
                        false)))
                .onErrorMap(e -> !(e instanceof TrtcException), e -> new TrtcClientException(action,
                        "the credentials provider failed (" + e.getClass().getName() + "); the request was not sent",
                        -1, null, e, false));
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The last line of the error contract: whatever escaped every translation becomes a client error. */
    private static Throwable unexpected(String action, Throwable e, boolean sent) {
        if (Exceptions.isRetryExhausted(e) && e.getCause() instanceof TrtcException t) {
            return t;
        }
        return new TrtcClientException(action, "unexpected failure: " + e.getClass().getName()
                + (sent ? "; the outcome is unknown" : "; the request was not sent"), -1, null, e, sent);
    }

    private <R> R decodeLearningSkew(String action, Reply reply, Function<Reply, R> decoder) {
        try {
            return decoder.apply(reply);
        } catch (TrtcServiceException e) {
            if (e.isCode("AuthFailure.SignatureExpire") && skew.learn(action, reply.date())) {
                throw new SkewCorrected(e);
            }
            throw e;
        }
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

    /**
     * The headers that are the same on every request of a client, set once on its HTTP client: the
     * two signed ones ({@code Content-Type}, {@code Host}, signed with exactly these values), the
     * version, the region and the user agent.
     */
    static Map<String, String> constantHeaders(TrtcEndpoint endpoint, String region) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", TrtcApi.CONTENT_TYPE);
        headers.put("Host", endpoint.hostHeader());
        headers.put("X-TC-Version", TrtcApi.VERSION);
        headers.put("X-TC-Region", region);
        headers.put("User-Agent", TrtcAsyncClientBuilder.USER_AGENT);
        return headers;
    }

    /**
     * Signs now (after the permit): a long wait never sends a stale timestamp. Only what changes per
     * request; the rest is in {@link #constantHeaders}.
     */
    private Map<String, String> signedHeaders(Credentials current, String action, byte[] payload,
            CallOptions.Resolved settings) {
        long timestamp = skew.serviceNow().getEpochSecond();
        Tc3Signature signature = Tc3Signer.sign(current, TrtcApi.SERVICE, endpoint.hostHeader(), timestamp,
                TrtcApi.CONTENT_TYPE, payload);
        Map<String, String> headers = new HashMap<>(8);
        headers.put("Authorization", signature.authorization());
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        current.sessionToken().ifPresent(token -> headers.put("X-TC-Token", token));
        headers.put("X-TC-Action", action);
        settings.call().region().filter(r -> !r.equals(region)).ifPresent(r -> headers.put("X-TC-Region", r));
        return headers;
    }
}
