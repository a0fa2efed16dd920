package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.callback.CallbackFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.internal.SupervisedLoop;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Connects a receiver to the fleet's {@link CallbackRelay}: publishes each verified event to the
 * fleet, and emits what the fleet published. When the relay fails, the receiver hands the event on
 * by itself, so callbacks keep working while the relay is down. Reading the relay is a supervised
 * loop: when the relay's stream fails or ends while the receiver is open, it is read again after a
 * pause (see {@link SupervisedLoop}).
 */
final class RelayBridge {

    private static final Logger LOG = LoggerFactory.getLogger(RelayBridge.class);

    private final TrtcCallbacks receiver;
    private final ReceiverSettings settings;
    private final CallbackRelay relay;
    private final SupervisedLoop reading;

    RelayBridge(TrtcCallbacks receiver, ReceiverSettings settings) {
        this.receiver = receiver;
        this.settings = settings;
        this.relay = settings.relay();
        // Each relayed event, once handed on, is an element: it tells the loop that reading works.
        this.reading = new SupervisedLoop("callbacks.relay",
                () -> relay.events().concatMap(relayed -> emitRelayed(relayed).thenReturn(Boolean.TRUE), 1),
                receiver::isClosed, settings.scheduler(), receiver::backgroundRestarted);
    }

    /** Starts reading the relay (once the receiver is built). */
    void start() {
        reading.start();
    }

    /** {@return how reading the relay goes} */
    BackgroundStatus status() {
        return reading.status();
    }

    /** Publishes a verified event to the fleet, or hands it on locally when the relay fails. */
    Mono<CallbackReply> publish(CallbackEvent parsed, byte[] body) {
        String key = parsed.deduplicationKey();
        if (receiver.seenLately(key)) {
            receiver.countDuplicate(parsed);
            return Mono.just(CallbackReply.OK);
        }
        return relay.publish(key, parsed.sdkAppId(), body, settings.rememberFor())
                .timeout(settings.relayTimeout(), settings.scheduler())
                .map(published -> {
                    if (published) {
                        receiver.countAccepted(parsed);
                    } else {
                        receiver.countDuplicate(parsed);
                    }
                    return CallbackReply.OK;
                })
                .switchIfEmpty(Mono.fromCallable(() -> receiver.reply(parsed, receiver.deliver(parsed))))
                .onErrorResume(e -> {
                    LOG.debug("the callback relay failed ({}); handing the event on locally", e.toString());
                    return Mono.fromCallable(() -> receiver.reply(parsed, receiver.deliver(parsed)));
                });
    }

    /**
     * Emits an event the fleet published; when the subscribers' buffer is full it waits for room
     * (the relay holds the events not yet read), at most ten minutes, then drops the event with a
     * warning.
     */
    private Mono<Void> emitRelayed(CallbackRelay.Relayed relayed) {
        CallbackEvent parsed;
        try {
            parsed = CallbackEvent.parse(relayed.body(), relayed.sdkAppId(),
                    Instant.ofEpochMilli(settings.scheduler().now(TimeUnit.MILLISECONDS)));
        } catch (CallbackFormatException e) {
            LOG.warn("a relayed callback is not an event; skipped");
            return Mono.empty();
        }
        return Mono.defer(() -> {
                    if (receiver.isClosed()) {
                        return Mono.<Void>empty();
                    }
                    TrtcCallbacks.Delivery delivery = receiver.deliver(parsed);
                    boolean again = delivery == TrtcCallbacks.Delivery.BUFFER_FULL
                            || delivery == TrtcCallbacks.Delivery.IN_PROGRESS || delivery == TrtcCallbacks.Delivery.WINDOW_FULL;
                    if (again && !receiver.isClosed()) {
                        return Mono.<Void>error(new BufferFull());
                    }
                    return Mono.<Void>empty();
                })
                .retryWhen(Retry.fixedDelay(12_000, Duration.ofMillis(50)).scheduler(settings.scheduler())
                        .filter(BufferFull.class::isInstance))
                .onErrorResume(e -> {
                    receiver.countRelayedDrop();
                    LOG.warn("a relayed callback was dropped: the subscribers' buffer stayed full for ten minutes");
                    return Mono.empty();
                });
    }

    void close() {
        reading.stop();
        relay.close();
    }

    /** As {@link #close()}; completes when the relay has released its connections. */
    Mono<Void> closeLater() {
        return Mono.defer(() -> {
            reading.stop();
            return relay.closeLater();
        });
    }

    /** The subscribers' buffer is full. */
    private static final class BufferFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFull() {
            super("buffer full", null, false, false);
        }
    }
}
