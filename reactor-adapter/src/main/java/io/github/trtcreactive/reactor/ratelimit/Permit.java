package io.github.trtcreactive.reactor.ratelimit;

/**
 * The permission to send one call. A caller that reports when its request is written
 * ({@link #sent()}) and when its answer arrived ({@link #answered()}) lets the limiter keep the limit
 * by when the service could have counted the call, not by when the permit was granted: the service's
 * clock lies between the two, and a slow answer shows that the request may have been counted late.
 */
public interface Permit {

    /** A permit for limiters that do not limit. */
    Permit NONE = new Permit() {
        @Override
        public void sent() {}

        @Override
        public void answered() {}
    };

    /**
     * Reports that the request is being written now (after any new connection was opened). Call it
     * before writing: a permit tied to a fleet-wide moment that is long past throws a
     * {@link io.github.trtcreactive.core.error.TrtcRateLimitException} instead, and the request must
     * not be written (the limiter's own call then takes a new turn).
     */
    void sent();

    /** Reports that the answer arrived now, or that the call ended without one (failure or cancel). */
    void answered();
}
