package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.reactor.callback.TrtcEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One observation of a task: its status, and where it came from: a Describe response (a poll) or
 * an event callback.
 *
 * @param <R> the family's Describe response type
 * @param taskId the task
 * @param status the status
 * @param response the Describe response; empty for an update from a callback and for a
 *     {@link TaskStatus.Phase#GONE} update
 * @param observedAt when it was observed, by the poller's scheduler clock
 * @param event the callback the status came from; empty for an update from a poll
 */
public record TaskUpdate<R>(String taskId, TaskStatus status, Optional<R> response, Instant observedAt,
        Optional<TrtcEvent> event) {

    /**
     * Checks the components.
     *
     * @param taskId the task
     * @param status the status
     * @param response the Describe response; empty for an update from a callback and for a {@link TaskStatus.Phase#GONE} update
     * @param observedAt when it was observed, by the poller's scheduler clock
     * @param event the callback the status came from; empty for an update from a poll
     * @throws NullPointerException when one is null
     */
    public TaskUpdate {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(event, "event");
    }

    /**
     * An update from a poll.
     *
     * @param taskId the task
     * @param status the status
     * @param response the Describe response, empty for GONE
     * @param observedAt when it was observed
     */
    public TaskUpdate(String taskId, TaskStatus status, Optional<R> response, Instant observedAt) {
        this(taskId, status, response, observedAt, Optional.empty());
    }
}
