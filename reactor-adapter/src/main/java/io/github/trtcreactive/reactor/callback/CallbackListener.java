package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.reactor.BackgroundStatus;

/**
 * Hears what a {@link TrtcCallbacks} receiver does with each request, for metrics. Methods run on
 * the thread handling the request, often an event loop: keep them short and non-blocking. A
 * listener that throws is logged and ignored; it never changes an answer.
 */
public interface CallbackListener {

    /** A listener that ignores everything. */
    CallbackListener NONE = new CallbackListener() { };

    /**
     * An event was accepted and handed on (or, with a relay, published to the fleet).
     *
     * @param event the event
     */
    default void onAccepted(TrtcEvent event) {}

    /**
     * A retried event was answered without being handed on again.
     *
     * @param event the event
     */
    default void onDuplicate(TrtcEvent event) {}

    /**
     * A request was refused.
     *
     * @param status the HTTP status answered (400, 401, 413, 503)
     * @param reason why, in a few words (never the request's content)
     */
    default void onRefused(int status, String reason) {}

    /**
     * A background loop of the receiver stopped (failed, or ended while still needed) and will be
     * started again after a pause; {@code status.restarts()} counts the restarts so far. Runs outside
     * any lock of the SDK.
     *
     * @param status the loop's status, {@link BackgroundStatus.State#RESTARTING}
     */
    default void onBackgroundRestart(BackgroundStatus status) {}
}
