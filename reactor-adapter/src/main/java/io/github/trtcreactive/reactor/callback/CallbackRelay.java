package io.github.trtcreactive.reactor.callback;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Shares verified callbacks between the instances of a fleet. The service posts each event to one
 * instance behind a load balancer, while the instance following the event's task may be another:
 * with a relay, {@link TrtcCallbacks} publishes each verified event to the fleet and every
 * instance's {@link TrtcCallbacks#events()} emits what the fleet published, each event once, even
 * when a retry of it reached another instance.
 *
 * <p>Implementations must not block and should time out their own I/O; the receiver bounds each
 * publication anyway, and when publishing fails it emits the event locally (this instance only) so
 * that callbacks keep working when the relay is down.
 */
public interface CallbackRelay extends AutoCloseable {

    /**
     * Publishes one verified event to the fleet, unless an instance published it within the time
     * the key must be remembered.
     *
     * @param deduplicationKey the event's key ({@link io.github.trtcreactive.core.callback.CallbackEvent#deduplicationKey()})
     * @param sdkAppId the application, from the request's SdkAppId header
     * @param body the raw body
     * @param remember how long the fleet must remember the key at least: as long as the service
     *     retries an event and a replay of it could pass the receiver's age check
     * @return true when published now, false when the fleet had it already, on subscription
     */
    Mono<Boolean> publish(String deduplicationKey, long sdkAppId, byte[] body, Duration remember);

    /**
     * What the fleet publishes from now on, each event once, in order; the stream paces itself by
     * the subscriber's demand (the relay holds what is not yet read).
     *
     * @return the relayed events; subscribe once per receiver
     */
    Flux<Relayed> events();

    /**
     * One relayed event.
     *
     * @param sdkAppId the application
     * @param body the raw body as received by the instance that published it
     */
    record Relayed(long sdkAppId, byte[] body) {}

    /**
     * Releases the relay's connections, for good, without blocking (it may be called on an event
     * loop): later publications and reads fail. Closing again does nothing.
     */
    @Override
    void close();

    /**
     * Releases the relay's connections without blocking, as {@link #close()}, and tells when they
     * are released. The default closes and completes at once; a relay that releases in the
     * background completes when that is done.
     *
     * @return completes when the connections are released, on subscription
     */
    default Mono<Void> closeLater() {
        return Mono.fromRunnable(this::close);
    }
}
