package io.github.trtcreactive.spring;

import io.github.trtcreactive.reactor.callback.CallbackReply;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebFlux handler of {@code POST trtc.callbacks.path}. It bounds what an unauthenticated sender
 * can make the application hold before {@link TrtcCallbacks} checks the signature: a declared
 * {@code Content-Length} over the limit is refused before any byte of the body is read, and the
 * body is read here, chunk by chunk, not through the codecs (whose own limit, 256 KiB by default,
 * answers 500). Each chunk is copied to the heap and released at once, so a stalled sender holds no
 * pooled direct memory, and reading stops as soon as the count passes the limit. Refusals are 4xx
 * with {@code Connection: close} and are logged at DEBUG only.
 */
final class CallbacksRoute implements HandlerFunction<ServerResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(CallbacksRoute.class);

    private final TrtcCallbacks callbacks;
    private final int maxBodySize;

    CallbacksRoute(TrtcCallbacks callbacks, int maxBodySize) {
        this.callbacks = callbacks;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        // Parsed here, not with HttpHeaders.getContentLength(), which throws (a 500) on a bad value.
        for (String length : request.headers().header(HttpHeaders.CONTENT_LENGTH)) {
            if (!length.matches("\\d{1,18}")) {
                return refuse(400, "bad Content-Length");
            }
            if (Long.parseLong(length) > maxBodySize) {
                return refuse(413, "body over " + maxBodySize + " bytes");
            }
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().asHttpHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return read(request.body(BodyExtractors.toDataBuffers()), maxBodySize)
                .flatMap(body -> callbacks.accept(headers, body).flatMap(CallbacksRoute::reply))
                .onErrorResume(BodyTooLarge.class, e -> refuse(413, "body over " + maxBodySize + " bytes"))
                .onErrorResume(BodyUnreadable.class, e -> refuse(400, "the body could not be read"));
    }

    /**
     * The whole body, at most {@code max} bytes; otherwise {@link BodyTooLarge}, with the rest left
     * unread. Any other failure of the body (the sender went away) becomes {@link BodyUnreadable}.
     */
    static Mono<byte[]> read(Flux<DataBuffer> body, int max) {
        return Mono.defer(() -> {
            Received received = new Received(max);
            return body.doOnNext(received::append)
                    // Chunks an operator drops (after a cancel or an error) are released too.
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .doOnCancel(() -> LOG.debug("callback body abandoned after {} bytes", received.count))
                    .onErrorMap(e -> !(e instanceof BodyTooLarge), e -> {
                        LOG.debug("callback body not read to the end after {} bytes: {}", received.count, e.toString());
                        return new BodyUnreadable();
                    })
                    .then(Mono.fromCallable(received::bytes));
        });
    }

    private static Mono<ServerResponse> reply(CallbackReply reply) {
        return ServerResponse.status(reply.status()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(reply.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A refusal before the body is read to its end, counted by the receiver: the connection is
     * closed, so the rest is never read.
     */
    private Mono<ServerResponse> refuse(int status, String message) {
        LOG.debug("callback refused with {}: {}", status, message);
        CallbackReply reply = callbacks.refuse(status, message);
        return ServerResponse.status(status).header(HttpHeaders.CONNECTION, "close")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(reply.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes received so far, copied out of each chunk, which is then released. */
    private static final class Received {
        private final int max;
        private byte[] bytes = new byte[0];
        private int count;

        Received(int max) {
            this.max = max;
        }

        void append(DataBuffer chunk) {
            try {
                int length = chunk.readableByteCount();
                if (length > max - count) {
                    throw new BodyTooLarge();
                }
                if (count + length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(count + length, 2L * bytes.length)));
                }
                chunk.read(bytes, count, length);
                count += length;
            } finally {
                DataBufferUtils.release(chunk);
            }
        }

        byte[] bytes() {
            return count == bytes.length ? bytes : Arrays.copyOf(bytes, count);
        }
    }

    /** The body grew past the limit. */
    static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super("callback body too large", null, false, false);
        }
    }

    /** The body failed before its end, typically because the sender closed the connection. */
    static final class BodyUnreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyUnreadable() {
            super("callback body unreadable", null, false, false);
        }
    }
}
