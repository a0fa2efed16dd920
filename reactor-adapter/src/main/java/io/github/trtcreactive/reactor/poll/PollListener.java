package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.reactor.BackgroundStatus;

/**
 * Hears what {@link TaskPollers} (and {@code MetricStreams}) do, for metrics: how many tasks (or
 * series) are followed, each poll's outcome, and each status change observed. Methods run on the thread that observed it, often an
 * event loop: keep them short and non-blocking. A listener that throws is logged and ignored.
 */
public interface PollListener {

    /** A listener that ignores everything. */
    PollListener NONE = new PollListener() { };

    /**
     * A poll loop started or ended.
     *
     * @param describeAction the Describe action it polls
     * @param delta +1 when it started, -1 when it ended
     */
    default void onFollowed(String describeAction, int delta) {}

    /**
     * One poll (one Describe call) ended.
     *
     * @param describeAction the action
     * @param outcome {@code success}, {@code gone} (the task is no longer known), {@code retried}
     *     (a transient failure, asked again) or {@code failed} (the stream ends with the error)
     */
    default void onPoll(String describeAction, String outcome) {}

    /**
     * A new status was observed and emitted.
     *
     * @param update the update
     */
    default void onStatusChange(TaskUpdate<?> update) {}

    /**
     * A background loop of the pollers stopped (failed, or ended while still needed) and will be
     * started again after a pause; {@code status.restarts()} counts the restarts so far. Runs outside
     * any lock of the SDK.
     *
     * @param status the loop's status, {@link BackgroundStatus.State#RESTARTING}
     */
    default void onBackgroundRestart(BackgroundStatus status) {}
}
