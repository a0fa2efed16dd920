package io.github.trtcreactive.reactor.observe;

import java.util.Map;

/** One attempt's observation: the headers it adds to the request, and how the attempt ended. */
public interface AttemptObservation {

    /** An observation that records nothing. */
    AttemptObservation NONE = new AttemptObservation() { };

    /**
     * Headers to send with the attempt (a trace id, for example). They are not signed, so they
     * cannot change what the service verifies; the SDK's own headers win over them.
     *
     * @return the headers, usually none
     */
    default Map<String, String> requestHeaders() {
        return Map.of();
    }

    /**
     * The attempt ended.
     *
     * @param httpStatus the reply's HTTP status, or 0 when no reply came
     * @param requestId the id the service gave it, or null
     * @param error null when it succeeded; else its error (a service error, a timeout, a transport failure)
     */
    default void ended(int httpStatus, String requestId, Throwable error) {}

    /** The attempt was abandoned: the call was cancelled, or its deadline came, while it ran. */
    default void cancelled() {}
}
