package io.github.trtcreactive.reactor.observe;

import java.time.Duration;

/**
 * One call's observation: told when the call got its permit, of each attempt and retry, and how it
 * ended (exactly one of {@link #succeeded}, {@link #failed} and {@link #cancelled}).
 */
public interface CallObservation {

    /** An observation that records nothing. */
    CallObservation NONE = new CallObservation() { };

    /**
     * The call got its rate-limit permit (once per attempt).
     *
     * @param waited how long it waited for it
     */
    default void permitGranted(Duration waited) {}

    /**
     * An attempt starts: the permit is granted and the request is about to be written.
     *
     * @param number 1 for the first attempt
     * @return the attempt's observation
     */
    default AttemptObservation attempt(int number) {
        return AttemptObservation.NONE;
    }

    /**
     * The call ended with an answer.
     *
     * @param requestId the id the service gave the last attempt, or null
     * @param attempts how many attempts were made
     */
    default void succeeded(String requestId, int attempts) {}

    /**
     * The call ended with an error (always a {@code TrtcException}).
     *
     * @param error the error the caller sees
     * @param requestId the id the service gave the last attempt, or null when it gave none
     * @param attempts how many attempts were made (0 when none was: refused before any was sent)
     */
    default void failed(Throwable error, String requestId, int attempts) {}

    /**
     * The caller cancelled the call.
     *
     * @param attempts how many attempts were made
     */
    default void cancelled(int attempts) {}
}
