package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.reactor.internal.HeaderValues;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * of bodies being read. A request is admitted only while its declared length (or the body limit,
 * without one) still fits in the buffered-bytes limit, else 503 before a byte of it is read; then
 * each chunk counts against the limit as it arrives, so holding the budget costs a sender the
 * bytes, not a header. A request refused before its body is read closes its connection, so the
 * server never reads a body it has refused.
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

    /** {@return bytes held by bodies being read now} */
    long bufferedBytes() {
        return buffered.get();
    }

    private Publisher<Void> exchange(HttpServerRequest request, HttpServerResponse response) {
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        // Without a Content-Length a body may follow (chunked, under any spelling of the header):
        // such a request is read against the body limit, and refused with the connection closed.
        boolean bodyPending = length == null || !length.equals("0");
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
        long limit = maxBodySize;
        if (length != null) {
            if (!HeaderValues.isDecimal(length)) {
                return send(response, receiver.refuse(400, "malformed Content-Length"), true);
            }
            limit = Long.parseLong(length);
            if (limit > maxBodySize) {
                return send(response, receiver.refuse(413, "body over " + maxBodySize + " bytes"), true);
            }
        }
        if (buffered.get() + limit > settings.limits().maxBufferedBytes()) {
            return busy(response);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
        Body body = new Body((int) limit);
        return request.receive()
                .reduce(body, Body::append)
                .then(Mono.fromCallable(body::bytes))
                .flatMap(bytes -> receiver.accept(headers, bytes))
                .flatMap(reply -> send(response, reply, false))
                .onErrorResume(BodyTooLarge.class, e -> send(response, receiver.refuse(413, "body over " + maxBodySize
                        + " bytes"), true))
                .onErrorResume(BufferFull.class, e -> busy(response))
                .onErrorResume(e -> {
                    // The peer went away or broke the framing: there is no one to answer.
                    LOG.debug("a callback request ended before it was answered: {}", e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> buffered.addAndGet(-body.held));
    }

    /** The bodies being read hold all the bytes they may: come back later, on a new connection. */
    private Mono<Void> busy(HttpServerResponse response) {
        response.header("Retry-After", "1");
        return send(response, receiver.refuse(503, "the receiver is reading as many bodies as it may; send again"
                + " later"), true);
    }

    /** Takes bytes from the buffered-bytes budget, all or none. */
    private boolean hold(long bytes) {
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

    /**
     * A body as it arrives: each chunk is copied out of the network buffer and counted against the
     * buffered-bytes budget as it comes, so what a sender makes the receiver hold is what it has
     * sent, never what it declared; the chunks are joined once at the end. It never grows past its
     * limit (the declared length, else the body limit), whatever the framing says.
     */
    private final class Body {
        private final int limit;
        private final List<byte[]> chunks = new ArrayList<>(2);
        private int size;
        private volatile long held;

        Body(int limit) {
            this.limit = limit;
        }

        Body append(ByteBuf chunk) {
            int n = chunk.readableBytes();
            if ((long) size + n > limit) {
                throw new BodyTooLarge();
            }
            if (!hold(n)) {
                throw new BufferFull();
            }
            held += n;
            byte[] copy = new byte[n];
            chunk.getBytes(chunk.readerIndex(), copy);
            chunks.add(copy);
            size += n;
            return this;
        }

        byte[] bytes() {
            if (chunks.size() == 1) {
                return chunks.get(0);
            }
            byte[] joined = new byte[size];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, joined, at, chunk.length);
                at += chunk.length;
            }
            return joined;
        }
    }

    /** The buffered-bytes budget ran out while a body was read. */
    private static final class BufferFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFull() {
            super("callback bodies hold the buffered-bytes limit", null, false, false);
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
