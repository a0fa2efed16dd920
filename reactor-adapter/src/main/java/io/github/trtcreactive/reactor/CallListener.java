package io.github.trtcreactive.reactor;

import java.time.Duration;

/**
 * Observes each attempt a client sends: hook latency metrics in here. An attempt starts when its
 * rate-limit permit is granted and the request is handed to the connection, so the latency reported
 * is the service's round trip (connection set-up included when a new one was needed), not the wait
 * for a permit. Retries report one attempt each; a cancelled attempt reports nothing.
 *
 * <p>Methods run on the thread that completed the attempt, usually an event loop: keep them short
 * and non-blocking.
 */
@FunctionalInterface
public interface CallListener {

    /** A listener that ignores everything. */
    CallListener NONE = (action, latency, error) -> { };

    /**
     * An attempt ended with an answer or a failure.
     *
     * @param action the action
     * @param latency from the hand-off to the connection to the decoded answer or the failure
     * @param error null when the attempt succeeded; otherwise its error (a service error, a timeout,
     *     a transport failure)
     */
    void onAttempt(String action, Duration latency, Throwable error);
}
