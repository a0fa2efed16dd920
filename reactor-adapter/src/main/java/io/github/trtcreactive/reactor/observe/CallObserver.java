package io.github.trtcreactive.reactor.observe;

import reactor.util.context.ContextView;

/**
 * Observes every logical call a client makes: from its subscription to its end, with the wait for
 * its rate-limit permit, each attempt (and so each retry), its outcome, the request id and the
 * caller's Reactor Context (where a tracing bridge finds the parent of the call's span). Metrics
 * and tracing plug in here; {@code trtc-reactive-micrometer} implements it on Micrometer's
 * Observation API.
 *
 * <p>Hooks run on the thread that reached each point of the call, often an event loop: keep them
 * short and non-blocking. A hook that throws is logged and ignored; it never changes a call's
 * outcome.
 */
@FunctionalInterface
public interface CallObserver {

    /** An observer that observes nothing. */
    CallObserver NONE = (call, context) -> CallObservation.NONE;

    /**
     * A call starts (on subscription; each subscription is a new call).
     *
     * @param call what is called, and where
     * @param context the caller's Reactor Context
     * @return the call's observation, told of each later step
     */
    CallObservation start(CallInfo call, ContextView context);
}
