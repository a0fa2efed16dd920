package io.github.trtcreactive.reactor.poll;

import java.time.Instant;
import java.util.Optional;

/**
 * One observation of a task: its status and the complete Describe response it came from.
 *
 * @param <R> the family's Describe response type
 * @param taskId the task
 * @param status the status
 * @param response the Describe response; empty for a {@link TaskStatus.Phase#GONE} update
 * @param observedAt when it was observed, by the poller's scheduler clock
 */
public record TaskUpdate<R>(String taskId, TaskStatus status, Optional<R> response, Instant observedAt) {}
