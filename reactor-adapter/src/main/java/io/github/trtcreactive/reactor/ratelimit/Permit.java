package io.github.trtcreactive.reactor.ratelimit;

import reactor.core.publisher.Mono;

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
     * Completes when the request may be written, to be subscribed once a connection is ready, just
     * before writing. At once for most permits; a permit tied to a fleet-wide moment that is already
     * well past (the connection came late, the process was starved) waits for a new turn first, and
     * fails with {@link io.github.trtcreactive.core.error.TrtcRateLimitException} (nothing to be
     * written) after three late turns.
     *
     * @return completes when the request may be written
     */
    default Mono<Void> whenWritable() {
        return Mono.empty();
    }

    /** Reports that the request is being written now (after any new connection was opened). */
    void sent();

    /** Reports that the answer arrived now, or that the call ended without one (failure or cancel). */
    void answered();
}
