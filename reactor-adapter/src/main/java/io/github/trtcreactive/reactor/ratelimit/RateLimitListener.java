package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;

/**
 * Observes a {@link TrtcRateLimiter}: hook your metrics in here. Methods are called on the thread
 * that granted, queued or refused the call (often a timer thread): keep them short and non-blocking.
 */
public interface RateLimitListener {

    /** A listener that ignores everything. */
    RateLimitListener NONE = new RateLimitListener() {};

    /**
     * A call received its permit and is being sent.
     *
     * @param action the action
     * @param waited how long it waited for the permit
     */
    default void onGranted(String action, Duration waited) {}

    /**
     * A call got its permit, with its priority. By default calls {@link #onGranted(String, Duration)}.
     *
     * @param action the action
     * @param priority the call's priority
     * @param waited how long it waited (zero when granted at once)
     */
    default void onGranted(String action, CallPriority priority, Duration waited) {
        onGranted(action, waited);
    }

    /**
     * A call must wait for its permit.
     *
     * @param action the action
     * @param expectedWait the wait it expects, given the calls ahead of it
     * @param queued how many calls of this bucket now wait
     */
    default void onQueued(String action, Duration expectedWait, int queued) {}

    /**
     * A call that was {@linkplain #onQueued queued} left the queue: with its permit (after
     * {@link #onGranted(String, CallPriority, Duration)}), or without one (its caller cancelled, or
     * the limiter's timer was shut down). Each queued call leaves exactly once, so counting
     * {@code onQueued} up and this down gives the calls waiting now.
     *
     * @param action the action
     * @param granted whether it left with its permit
     */
    default void onLeftQueue(String action, boolean granted) {}

    /**
     * A call was refused without being sent, because waiting would exceed a bound.
     *
     * @param action the action
     * @param neededWait the wait it would have needed
     */
    default void onRejected(String action, Duration neededWait) {}

    /**
     * The service refused a call as over its limit, and the bucket slowed down.
     *
     * @param action the action
     * @param ratePerSecond the bucket's new rate
     */
    default void onThrottled(String action, double ratePerSecond) {}

    /**
     * The shared limit store answered a request for a permit (a reservation, a "later", or "beyond
     * the maximum wait").
     *
     * @param latency from the request to the answer
     */
    default void onStoreAnswered(Duration latency) {}

    /**
     * The shared limit store failed or timed out; calls go on as the limiter's store-failure policy
     * says (by default, counted locally at this process's share of the limit) until it answers again.
     *
     * @param cause what failed
     */
    default void onStoreUnavailable(Throwable cause) {}

    /** The shared limit store answers again; calls are counted there again. */
    default void onStoreRestored() {}
}
