package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.error.TrtcConnectTimeoutException;
import io.github.trtcreactive.core.error.TrtcResponseTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Sends one signed POST and collects the complete reply, translating transport failures into the
 * SDK's error types. Nothing happens until subscription; cancelling closes an unfinished exchange's
 * connection instead of returning it to the pool.
 */
public final class HttpTransport {

    private static final byte[] EMPTY = new byte[0];

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
     * @param maxResponseBytes the largest reply body accepted
     */
    public HttpTransport(HttpClient httpClient, URI endpoint, Duration responseTimeout, Duration connectTimeout,
            long maxResponseBytes) {
        this.httpClient = httpClient;
        this.uri = endpoint.toString() + "/";
        this.responseTimeout = responseTimeout;
        this.connectTimeout = connectTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Posts the body with the given headers.
     *
     * @param action the action, for error messages
     * @param headers every header to send, Host included
     * @param body the exact bytes that were signed
     * @param onWrite run when a connection is ready and the request is about to be written
     * @return the reply, or a {@link TrtcClientException} saying whether the request was sent
     */
    public Mono<Reply> post(String action, Map<String, String> headers, byte[] body, Runnable onWrite) {
        return Mono.defer(() -> {
            AtomicBoolean written = new AtomicBoolean();
            return httpClient
                    .request(HttpMethod.POST)
                    .uri(uri)
                    .send(send(headers, body, () -> {
                        written.set(true);
                        onWrite.run();
                    }))
                    .response((response, content) -> {
                        int status = response.status().code();
                        String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
                        if (length != null && isDecimal(length) && Long.parseLong(length) > maxResponseBytes) {
                            return Mono.error(tooLarge(action, status));
                        }
                        return content.asByteArray()
                                .collect(ByteArrayOutputStream::new, (out, chunk) -> {
                                    if (out.size() + (long) chunk.length > maxResponseBytes) {
                                        throw tooLarge(action, status);
                                    }
                                    out.writeBytes(chunk);
                                })
                                .map(out -> new Reply(status, response.responseHeaders().get(HttpHeaderNames.DATE),
                                        out.toByteArray()));
                    })
                    .next()
                    .onErrorMap(e -> !(e instanceof TrtcException), e -> translate(action, e, written.get()));
        });
    }

    /** Whether a header value is a plain decimal of at most 18 digits (no regex on the hot path). */
    private static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private TrtcClientException tooLarge(String action, int status) {
        return new TrtcClientException(action, "the reply exceeds the response size limit of " + maxResponseBytes
                + " bytes; narrow the query", status, null, null, true);
    }

    /**
     * Posts the body and streams the reply's server-sent events, each as soon as it arrives. A reply
     * that is not an event stream is read as an envelope: an error envelope becomes its
     * {@code TrtcServiceException}, anything else a {@code TrtcClientException}.
     *
     * @param action the action, for error messages
     * @param headers every header to send, Host included
     * @param body the exact bytes that were signed
     * @param onWrite run when a connection is ready and the request is about to be written
     * @return the data of each event
     */
    public Flux<String> postEvents(String action, Map<String, String> headers, byte[] body, Runnable onWrite) {
        return httpClient
                .request(HttpMethod.POST)
                .uri(uri)
                .send(send(headers, body, onWrite))
                .response((response, content) -> {
                    String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "");
                    if (!type.startsWith("text/event-stream")) {
                        int status = response.status().code();
                        return content.aggregate().asByteArray().defaultIfEmpty(EMPTY)
                                .flatMapMany(bytes -> {
                                    TrtcProtocol.decodeTree(action, status, bytes);
                                    return Flux.error(new TrtcClientException(action,
                                            "expected a stream of events, got " + type, status,
                                            TrtcProtocol.excerpt(bytes), null));
                                });
                    }
                    SseSplitter splitter = new SseSplitter();
                    return content.asByteArray().concatMapIterable(splitter::feed);
                })
                .onErrorMap(e -> !(e instanceof TrtcException), e -> translate(action, e, true));
    }

    /** Writes the headers and body once a connection is ready, reporting that moment first. */
    private BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> send(Map<String, String> headers,
            byte[] body, Runnable onWrite) {
        return (request, out) -> {
            onWrite.run();
            headers.forEach(request::header);
            request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            request.responseTimeout(responseTimeout);
            return out.sendByteArray(Mono.just(body));
        };
    }

    private TrtcClientException translate(String action, Throwable e, boolean written) {
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
}
