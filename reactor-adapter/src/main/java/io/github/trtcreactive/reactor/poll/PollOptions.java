package io.github.trtcreactive.reactor.poll;

import java.time.Duration;
import java.util.Objects;

/**
 * How a task is polled.
 *
 * <p>The interval is the most often a task is polled, not a promise: the tasks of one Describe
 * action share its rate limit, and interactive calls come first. When N tasks are followed and the
 * polls get B calls a second (the action's limit, less what interactive calls take, but never less
 * than the limiter's background share), each task is polled about every {@code max(interval, N / B)}
 * seconds, in turn. For example, 1,000 cloud recordings at the default 5 s with 20 calls a second
 * free: 1,000 / 20 = 50 s between two polls of one task; 50 tasks: every 5 s. A task in a
 * transitional status (pending, or just changed) is polled before steady ones, so a starting task is
 * seen running soon even when the budget is busy. Each {@link TaskUpdate} says when its status was
 * observed.
 *
 * @param interval the shortest pause between two Describe calls of one task; null for the family's default
 * @param timeout the longest a poll may last before failing with a timeout
 * @param maxRetries how many times one failed Describe call is retried, for transient errors only
 * @param firstBackoff the first retry's delay, doubled each time up to ten times it
 * @param jitter the random share of each backoff (0 to 1), so many pollers do not retry in step
 */
public record PollOptions(Duration interval, Duration timeout, int maxRetries, Duration firstBackoff, double jitter) {

    /** Defaults: the family's interval, a 24-hour timeout, 5 retries from 500 ms, jitter 0.5. */
    public static final PollOptions DEFAULTS = new PollOptions(null, Duration.ofHours(24), 5, Duration.ofMillis(500), 0.5);

    /**
     * Checks the components.
     *
     * @param interval the shortest pause between two Describe calls of one task; null for the family's default
     * @param timeout the longest a poll may last before failing with a timeout
     * @param maxRetries how many times one failed Describe call is retried, for transient errors only
     * @param firstBackoff the first retry's delay, doubled each time up to ten times it
     * @param jitter the random share of each backoff (0 to 1), so many pollers do not retry in step
     * @throws IllegalArgumentException when a duration is not positive, retries are negative or
     *     jitter is outside 0 to 1
     */
    public PollOptions {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * The same options with another interval.
     *
     * @param interval the pause between polls
     * @return new options
     */
    public PollOptions withInterval(Duration interval) {
        return new PollOptions(interval, timeout, maxRetries, firstBackoff, jitter);
    }

    /**
     * The same options with another timeout.
     *
     * @param timeout the longest a poll may last
     * @return new options
     */
    public PollOptions withTimeout(Duration timeout) {
        return new PollOptions(interval, timeout, maxRetries, firstBackoff, jitter);
    }

    /**
     * The same options with another retry policy.
     *
     * @param maxRetries retries per Describe call
     * @param firstBackoff the first delay
     * @param jitter the random share of each delay
     * @return new options
     */
    public PollOptions withRetries(int maxRetries, Duration firstBackoff, double jitter) {
        return new PollOptions(interval, timeout, maxRetries, firstBackoff, jitter);
    }
}
