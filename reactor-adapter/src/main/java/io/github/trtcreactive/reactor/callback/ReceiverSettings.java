package io.github.trtcreactive.reactor.callback;

import java.time.Clock;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;

/**
 * A receiver's settings, fixed when {@link TrtcCallbacksBuilder#build()} checked them. Never prints
 * the key.
 */
record ReceiverSettings(
        String key,
        int bufferSize,
        int subscriberPrefetch,
        int maxBodySize,
        Duration deduplicationWindow,
        int deduplicationCapacity,
        Scheduler scheduler,
        String path,
        CallbackRelay relay,
        Duration relayTimeout,
        CallbackListener listener,
        Duration maxEventAge,
        Clock clock,
        long sdkAppId,
        ServerLimits limits) {

    /** How far ahead of this receiver's clock a callback's timestamp may be (the two clocks drift). */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(1);

    /** {@return whether requests must carry a valid signature} */
    boolean signed() {
        return key != null;
    }

    /**
     * How long an event's key must be remembered: as long as the service retries it and, with the
     * age check on, as long as a replay of it could still pass that check, so that no replay inside
     * the tolerance is ever emitted twice.
     */
    Duration rememberFor() {
        if (maxEventAge == null) {
            return deduplicationWindow;
        }
        // The margin covers what passes between the age check and the window's own reading (a relay's
        // publication, at most its timeout) and a little skew between the two clocks.
        Duration replayable = maxEventAge.plus(FUTURE_TOLERANCE).plus(relayTimeout).plus(Duration.ofSeconds(5));
        return replayable.compareTo(deduplicationWindow) > 0 ? replayable : deduplicationWindow;
    }

    @Override
    public String toString() {
        return "ReceiverSettings{key=" + (key == null ? "none (unsigned)" : "set") + ", path=" + path + ", maxBodySize="
                + maxBodySize + ", maxEventAge=" + maxEventAge + ", " + limits + "}";
    }

    /**
     * What {@link TrtcCallbacks#serve} enforces on every connection, before anything is
     * authenticated.
     *
     * @param readTimeout a request's headers and body must arrive within it
     * @param idleTimeout a kept-alive connection with no request open closes after it
     * @param maxConnections connections open at once; more are closed as they arrive
     * @param maxBufferedBytes bytes of bodies being read at once; past it, 503 before reading
     */
    record ServerLimits(Duration readTimeout, Duration idleTimeout, int maxConnections, long maxBufferedBytes) {}
}
