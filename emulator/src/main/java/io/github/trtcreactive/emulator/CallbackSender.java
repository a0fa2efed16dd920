package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.callback.CallbackSignature;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Posts the emulator's event callbacks as the service does: {@code POST} with {@code Content-Type},
 * {@code Sign} (when a key is set) and {@code SdkAppId}, the body pretty-printed with tabs and
 * signed over its exact bytes, a 5 s timeout per attempt. A failed attempt (a timeout, a refused
 * connection, any status but 200) is tried again at once, then every 10 s, until the callback is a
 * minute old; then it is given up. New callbacks leave one at a time, in the order they happened;
 * retries run beside them.
 */
final class CallbackSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RETRY_EVERY = Duration.ofSeconds(10);
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(1);

    private final URI url;
    private final String key;
    private final long sdkAppId;
    private final Scheduler timer;
    private final HttpClient http;
    private final ConnectionProvider connections;
    private final Sinks.Many<byte[]> queue = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable sending;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    private volatile boolean closed;

    CallbackSender(URI url, String key, long sdkAppId, Scheduler timer, LoopResources loops) {
        this.url = url;
        this.key = key;
        this.sdkAppId = sdkAppId;
        this.timer = timer;
        this.connections = ConnectionProvider.builder("trtc-emulator-callbacks").maxConnections(16)
                .pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(20)).build();
        this.http = HttpClient.create(connections).runOn(loops).responseTimeout(ATTEMPT_TIMEOUT);
        this.sending = queue.asFlux()
                .concatMap(body -> attempt(body, timer.now(TimeUnit.NANOSECONDS), true), 1)
                .subscribe();
    }

    /** Queues a callback; it is sent after those queued before it. Thread-safe. */
    void send(ObjectNode event) {
        if (closed) {
            return;
        }
        byte[] body = CallbackJson.write(event);
        queued.incrementAndGet();
        synchronized (queue) {
            queue.tryEmitNext(body);
        }
    }

    /**
     * One attempt; on failure the retries are scheduled on their own, so the next new callback does
     * not wait for them. Completes when this attempt is answered or failed.
     */
    private Mono<Void> attempt(byte[] body, long firstAt, boolean first) {
        if (closed) {
            return Mono.empty();
        }
        return post(body)
                .doOnSuccess(v -> sent.incrementAndGet())
                .onErrorResume(e -> {
                    LOG.debug("callback to {} failed: {}", url, e.toString());
                    retryLater(body, firstAt, first ? Duration.ZERO : RETRY_EVERY);
                    return Mono.empty();
                });
    }

    private void retryLater(byte[] body, long firstAt, Duration delay) {
        long age = timer.now(TimeUnit.NANOSECONDS) - firstAt + delay.toNanos();
        if (closed || age > GIVE_UP_AFTER.toNanos()) {
            givenUp.incrementAndGet();
            return;
        }
        retried.incrementAndGet();
        timer.schedule(() -> attempt(body, firstAt, false).subscribe(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Mono<Void> post(byte[] body) {
        return http.headers(h -> {
                    h.set("Content-Type", "application/json");
                    h.set("SdkAppId", Long.toString(sdkAppId));
                    if (key != null) {
                        h.set("Sign", CallbackSignature.sign(key, body));
                    }
                })
                .post()
                .uri(url)
                .send(ByteBufFlux.fromInbound(Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("").flatMap(text ->
                        response.status().code() == 200 ? Mono.<Void>empty()
                                : Mono.error(new IllegalStateException("answered " + response.status().code()))))
                .timeout(ATTEMPT_TIMEOUT.plusSeconds(1), timer);
    }

    /** {@return callbacks queued and neither delivered nor given up yet (retries waiting included)} */
    long pending() {
        return queued.get() - sent.get() - givenUp.get();
    }

    long sent() {
        return sent.get();
    }

    long retried() {
        return retried.get();
    }

    long givenUp() {
        return givenUp.get();
    }

    @Override
    public void close() {
        closeLater().subscribe(v -> { }, e -> { });
    }

    /** Stops sending and closes the connections; completes when they are closed. */
    Mono<Void> closeLater() {
        closed = true;
        sending.dispose();
        return connections.disposeLater();
    }
}
