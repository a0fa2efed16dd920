package io.github.trtcreactive.reactor.callback;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Hosts a receiver on a Reactor Netty server. Everything an unauthenticated peer can make the
 * server hold is bounded here or in the {@link ConnectionGuard}: connections, time, and the bytes
 * of bodies being read (each body reserves its declared length, or the body limit when chunked,
 * before a byte of it is read). A request refused before its body is read closes its connection,
 * so the server never reads a body it has refused.
 */
final class CallbackServer {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackServer.class);
    /** The largest header block a hosting server may be set to accept. */
    private static final int MAX_HEADER_SIZE = 64 * 1024;

    private final TrtcCallbacks receiver;
    private final ReceiverSettings settings;
    private final ConnectionGuard guard;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

    CallbackServer(TrtcCallbacks receiver, ReceiverSettings settings) {
        this.receiver = receiver;
        this.settings = settings;
        this.guard = new ConnectionGuard(settings.limits());
    }

    /** The user's server with the receiver's bounds and handler. */
    HttpServer configure(HttpServer server) {
        Objects.requireNonNull(server, "server");
        HttpProtocol[] protocols = server.configuration().protocols();
        if (protocols.length != 1 || protocols[0] != HttpProtocol.HTTP11) {
            throw new IllegalArgumentException("the callback receiver serves HTTP/1.1 (with or without TLS), which the "
                    + "service uses; the server was set to " + Arrays.toString(protocols));
        }
        int headerSize = server.configuration().decoder().maxHeaderSize();
        if (headerSize > MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("the server accepts header blocks of " + headerSize + " bytes; a callback "
                    + "receiver allows at most " + MAX_HEADER_SIZE + " (the default is 8,192)");
        }
        if (!settings.signed() && warnedUnsigned.compareAndSet(false, true)) {
            LOG.warn("the callback receiver accepts unsigned events: anyone who reaches it can forge them; set a callback "
                    + "key in the console and give it to TrtcCallbacks.builder().key(...)");
        }
        return server.doOnChannelInit(guard::onChannelInit).handle(this::exchange);
    }

    ConnectionGuard guard() {
        return guard;
    }

    /** {@return bytes reserved by bodies being read now} */
    long bufferedBytes() {
        return buffered.get();
    }

    private Publisher<Void> exchange(HttpServerRequest request, HttpServerResponse response) {
        String length = request.requestHeaders().get("Content-Length");
        String encoding = request.requestHeaders().get("Transfer-Encoding");
        boolean chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        boolean bodyPending = chunked || (length != null && !length.equals("0"));
        String uri = request.uri();
        int query = uri.indexOf('?');
        if (!(query < 0 ? uri : uri.substring(0, query)).equals(settings.path())) {
            return send(response, CallbackReply.error(404, "no callback endpoint here"), bodyPending);
        }
        if (!request.method().equals(HttpMethod.POST)) {
            response.header("Allow", "POST");
            return send(response, CallbackReply.error(405, "callbacks are POSTed"), bodyPending);
        }
        int maxBodySize = settings.maxBodySize();
        long declared = -1;
        if (length != null) {
            if (!length.matches("\\d{1,18}")) {
                return send(response, receiver.refuse(400, "malformed Content-Length"), true);
            }
            declared = Long.parseLong(length);
            if (declared > maxBodySize) {
                return send(response, receiver.refuse(413, "body over " + maxBodySize + " bytes"), true);
            }
        }
        long reserved = declared >= 0 ? declared : chunked ? maxBodySize : 0;
        if (!reserve(reserved)) {
            response.header("Retry-After", "1");
            return send(response, receiver.refuse(503, "the receiver is reading as many bodies as it may; send again"
                    + " later"), true);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
        int expected = (int) Math.max(declared, 0);
        return request.receive()
                .reduceWith(() -> new Body(expected, maxBodySize), Body::append)
                .map(Body::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> receiver.accept(headers, body))
                .flatMap(reply -> send(response, reply, false))
                .onErrorResume(BodyTooLarge.class, e -> send(response, receiver.refuse(413, "body over " + maxBodySize
                        + " bytes"), true))
                .onErrorResume(e -> {
                    // The peer went away or broke the framing: there is no one to answer.
                    LOG.debug("a callback request ended before it was answered: {}", e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> buffered.addAndGet(-reserved));
    }

    private boolean reserve(long bytes) {
        long limit = settings.limits().maxBufferedBytes();
        while (true) {
            long now = buffered.get();
            if (now + bytes > limit) {
                return false;
            }
            if (buffered.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private static Mono<Void> send(HttpServerResponse response, CallbackReply reply, boolean close) {
        if (close) {
            // The body is unread: closing is the only way not to read it.
            response.keepAlive(false);
        }
        return response.status(reply.status()).header("Content-Type", "application/json")
                .sendString(Mono.just(reply.body())).then();
    }

    /** A body read into one array, no larger than the limit. */
    private static final class Body {
        private final int limit;
        private byte[] bytes;
        private int size;

        Body(int expected, int limit) {
            this.limit = limit;
            this.bytes = new byte[expected > 0 ? expected : Math.min(limit, 4096)];
        }

        Body append(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if ((long) size + n > limit) {
                throw new BodyTooLarge();
            }
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) bytes.length * 2, size + n)));
            }
            chunk.getBytes(chunk.readerIndex(), bytes, size, n);
            size += n;
            return this;
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /** A body that went over the limit while it was read. */
    private static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super("callback body too large", null, false, false);
        }
    }
}
