package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcConnectTimeoutException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.error.TrtcPoolExhaustedException;
import io.github.trtcreactive.core.error.TrtcResponseTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.NettyOutbound;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.retry.Retry;

/**
 * Sends one signed POST and collects the complete reply, translating transport failures into the
 * SDK's error types. Nothing happens until subscription; cancelling closes an unfinished exchange's
 * connection instead of returning it to the pool.
 */
public final class HttpTransport {

    private final HttpClient httpClient;
    private final String uri;
    private final Duration responseTimeout;
    private final Duration connectTimeout;
    private final long maxResponseBytes;

    /**
     * Creates a transport.
     *
     * @param httpClient the configured Reactor Netty client
     * @param endpoint the endpoint's {@code scheme://host[:port]}
     * @param responseTimeout the longest wait for the reply once the request is written
     * @param connectTimeout the connect timeout the client was configured with, for messages
     * @param maxResponseBytes the largest reply body accepted, and the largest event of a stream
     * @param constantHeaders headers every request carries, set once here rather than per request
     */
    public HttpTransport(HttpClient httpClient, URI endpoint, Duration responseTimeout, Duration connectTimeout,
            long maxResponseBytes, Map<String, String> constantHeaders) {
        this.httpClient = constantHeaders.isEmpty() ? httpClient
                : httpClient.headers(h -> constantHeaders.forEach(h::set));
        this.uri = endpoint.toString() + "/";
        this.responseTimeout = responseTimeout;
        this.connectTimeout = connectTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Posts the body with the given headers. The complete reply must arrive within the response
     * timeout of the request being written (a trickle of bytes does not keep the call alive).
     *
     * @param action the action, for error messages
     * @param headers makes every header to send, Host included (called once, just before writing)
     * @param body the exact bytes that were signed
     * @param writeGate subscribed once a connection is ready; the request is written when it completes
     *     (a {@link TrtcException} it fails with ends the exchange as it is, with nothing written)
     * @param onWrite run when the request is about to be written
     * @return the reply, or a {@link TrtcClientException} saying whether the request was sent
     */
    public Mono<Reply> post(String action, Supplier<Map<String, String>> headers, byte[] body, Mono<Void> writeGate,
            Runnable onWrite) {
        return Mono.defer(() -> {
            WholeReplyBound bound = new WholeReplyBound(action);
            Mono<Reply> exchange = httpClient
                    .request(HttpMethod.POST)
                    .uri(uri)
                    // No read timeout of Reactor Netty's here: the whole-reply bound is the only one, so a
                    // timeout is never also reported by the channel (as a WARN once the exchange is gone).
                    .send(send(headers, body, writeGate, false, bound, () -> {
                        bound.written = true;
                        onWrite.run();
                    }))
                    .response((response, content) -> {
                        int status = response.status().code();
                        return collect(action, status, response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH),
                                content)
                                .map(bytes -> new Reply(status, response.responseHeaders().get(HttpHeaderNames.DATE),
                                        bytes));
                    })
                    .single();
            return Mono.firstWithSignal(exchange, bound.expired)
                    .doFinally(signal -> bound.release())
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> translate(action, e, bound.written));
        }).retryWhen(CLOSED_BEFORE_WRITE);
    }

    /**
     * A connection closed while its request waited for the gate (the server let an idle connection
     * go, or reset it): nothing was written, so the exchange runs again on another connection, gate
     * included, at most twice. Unlike a retry, it sends nothing twice, whatever the retry policy.
     */
    private static final Retry CLOSED_BEFORE_WRITE = Retry.max(2)
            .filter(HttpTransport::closedBeforeWrite)
            .onRetryExhaustedThrow((spec, signal) -> signal.failure());

    static boolean closedBeforeWrite(Throwable e) {
        return e instanceof TrtcClientException failure && !failure.requestSent()
                && (e.getCause() instanceof AbortedException || e.getCause() instanceof PrematureCloseException);
    }

    /**
     * The bound on the whole reply of one exchange, kept on the connection's own event loop (a
     * timer there costs no lock, unlike a shared scheduler's queue) from the moment the request is
     * written. Its expiry ends the exchange through {@code expired}, which the exchange races.
     */
    private final class WholeReplyBound {
        final String action;
        final Expiry expired = new Expiry();
        volatile boolean written;
        private volatile java.util.concurrent.Future<?> timer;
        private volatile boolean released;

        WholeReplyBound(String action) {
            this.action = action;
        }

        void start(NettyOutbound out) {
            out.withConnection(connection -> {
                timer = LoopTimer.onLoop(connection.channel().eventLoop(), this::expire, responseTimeout.toNanos());
                if (released) {
                    timer.cancel(false);
                }
            });
        }

        private void expire() {
            expired.fail(new TrtcResponseTimeoutException(action, responseTimeout, null));
        }

        void release() {
            released = true;
            java.util.concurrent.Future<?> set = timer;
            if (set != null) {
                set.cancel(false);
            }
        }
    }

    /**
     * A Mono that never succeeds and fails once {@link #fail} is called: the losing side of a race
     * until a timer fires. For its one subscriber, lighter than a multicast sink.
     */
    static final class Expiry extends Mono<Reply> implements org.reactivestreams.Subscription {
        private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<Expiry, Object> STATE =
                java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(Expiry.class, Object.class,
                        "state");
        private static final Object CANCELLED = new Object();
        /** null, the subscriber, the error (failed before subscription), or CANCELLED. */
        private volatile Object state;

        @Override
        public void subscribe(reactor.core.CoreSubscriber<? super Reply> actual) {
            actual.onSubscribe(this);
            Object current = state;
            if (current == null && STATE.compareAndSet(this, null, actual)) {
                return;
            }
            current = state;
            if (current instanceof Throwable error && STATE.compareAndSet(this, error, CANCELLED)) {
                actual.onError(error);
            }
        }

        @SuppressWarnings("unchecked")
        void fail(Throwable error) {
            for (;;) {
                Object current = state;
                if (current == CANCELLED || current instanceof Throwable) {
                    return;
                }
                if (STATE.compareAndSet(this, current, current == null ? error : CANCELLED)) {
                    if (current != null) {
                        ((reactor.core.CoreSubscriber<? super Reply>) current).onError(error);
                    }
                    return;
                }
            }
        }

        @Override
        public void request(long n) {
            // nothing to give: it only fails
        }

        @Override
        public void cancel() {
            state = CANCELLED;
        }
    }

    /** The whole body, failing as soon as it (or its announced length) exceeds the size limit. */
    private Mono<byte[]> collect(String action, int status, String contentLength, ByteBufFlux content) {
        if (contentLength != null && HeaderValues.isDecimal(contentLength)
                && Long.parseLong(contentLength) > maxResponseBytes) {
            return Mono.error(tooLarge(action, status));
        }
        return content.asByteArray()
                .reduceWith(ReplyBytes::new, (reply, chunk) -> {
                    if (reply.add(chunk) > maxResponseBytes) {
                        throw tooLarge(action, status);
                    }
                    return reply;
                })
                .map(ReplyBytes::join);
    }

    private TrtcClientException tooLarge(String action, int status) {
        return new TrtcClientException(action, "the reply exceeds the response size limit of " + maxResponseBytes
                + " bytes; narrow the query", status, null, null, true);
    }

    /**
     * Posts the body and streams the reply's server-sent events, each as soon as it arrives. Between
     * two reads no more than the response timeout may pass. A reply that is not an event stream is
     * read whole (within the size limit) and handed to {@code otherReply}, whose error ends the
     * stream (an error envelope becomes its {@code TrtcServiceException}).
     *
     * @param action the action, for error messages
     * @param headers makes every header to send, Host included (called once, just before writing)
     * @param body the exact bytes that were signed
     * @param writeGate subscribed once a connection is ready; the request is written when it completes
     * @param onWrite run when the request is about to be written
     * @param onHeaders run when the reply's status and headers have arrived
     * @param otherReply decodes a reply that is not an event stream into the stream's error
     * @return the data of each event
     */
    public Flux<String> postEvents(String action, Supplier<Map<String, String>> headers, byte[] body,
            Mono<Void> writeGate,
            Runnable onWrite, Runnable onHeaders, Function<Reply, RuntimeException> otherReply) {
        return Flux.defer(() -> {
            AtomicBoolean written = new AtomicBoolean();
            return httpClient
                    .request(HttpMethod.POST)
                    .uri(uri)
                    .send(send(headers, body, writeGate, true, null, () -> {
                        written.set(true);
                        onWrite.run();
                    }))
                    .response((response, content) -> {
                        onHeaders.run();
                        int status = response.status().code();
                        String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "");
                        if (!type.startsWith("text/event-stream")) {
                            return collect(action, status,
                                    response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH), content)
                                    .flatMapMany(bytes -> Flux.error(otherReply.apply(new Reply(status,
                                            response.responseHeaders().get(HttpHeaderNames.DATE), bytes))));
                        }
                        SseSplitter splitter = new SseSplitter((int) Math.min(Integer.MAX_VALUE - 16, maxResponseBytes));
                        return content.asByteArray().concatMapIterable(splitter::feed);
                    })
                    .onErrorMap(SseSplitter.EventTooLargeException.class, e -> new TrtcClientException(action,
                            e.getMessage() + " (the response size limit); the stream was stopped", 200, null, null,
                            true))
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> translate(action, e, written.get()));
        }).retryWhen(CLOSED_BEFORE_WRITE);
    }

    /**
     * Writes the headers and body once a connection is ready and the gate has opened, reporting that
     * moment first; the headers (and so the signature) are made then, not before a wait. With
     * {@code gapTimeout}, no two reads of the reply may be further apart than the response timeout.
     */
    private BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> send(Supplier<Map<String, String>> headers,
            byte[] body, Mono<Void> writeGate, boolean gapTimeout, WholeReplyBound bound, Runnable onWrite) {
        return (request, out) -> writeGate.then(Mono.defer(() -> {
            // The connection may have closed while the gate was shut: then nothing is written (or counted).
            boolean[] open = {false};
            out.withConnection(connection -> open[0] = connection.channel().isActive());
            if (!open[0]) {
                return Mono.error(new AbortedException("the connection closed while the request waited to be written"));
            }
            onWrite.run();
            headers.get().forEach(request::header);
            request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            if (gapTimeout) {
                request.responseTimeout(responseTimeout);
            }
            if (bound != null) {
                bound.start(out);
            }
            return out.sendByteArray(Mono.just(body)).then();
        }));
    }

    private TrtcClientException translate(String action, Throwable e, boolean written) {
        String poolLimit = poolLimit(e);
        if (poolLimit != null) {
            return new TrtcPoolExhaustedException(action, poolLimit, e);
        }
        if (e instanceof ReadTimeoutException) {
            return new TrtcResponseTimeoutException(action, responseTimeout, e);
        }
        if (e instanceof ConnectTimeoutException || e.getCause() instanceof ConnectTimeoutException) {
            return new TrtcConnectTimeoutException(action, connectTimeout, e);
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new TrtcClientException(action, "cannot connect to " + uri + ": " + e.getMessage()
                    + "; the request was not sent", -1, null, e, false);
        }
        if (e instanceof PrematureCloseException) {
            return new TrtcClientException(action, written
                    ? "the connection closed before the reply was complete; the outcome is unknown"
                    : "the connection closed before the request was sent", -1, null, e, written);
        }
        return new TrtcClientException(action, "transport failure: " + e
                + (written ? "; the outcome is unknown" : "; the request was not sent"), -1, null, e, written);
    }

    /**
     * Which bound of the pool refused a connection, or null: Reactor Netty signals it with classes of
     * its shaded pool library, so they are recognised by name rather than by type.
     */
    private static String poolLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("PoolAcquireTimeoutException")) {
                return "no connection became free within the pending-acquire timeout";
            }
            if (name.equals("PoolAcquirePendingLimitException")) {
                return "the pending-acquire queue is full";
            }
        }
        return null;
    }
}
