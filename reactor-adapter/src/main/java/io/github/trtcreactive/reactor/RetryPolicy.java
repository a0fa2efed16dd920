package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcPoolExhaustedException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * When a failed call is sent again: exponential backoff with jitter, a bounded number of attempts
 * and a bounded total time. Only what is safe is retried:
 * <ul>
 *   <li>failures before the request was written (no connection, refused, connect timeout);</li>
 *   <li>{@code RequestLimitExceeded}, which the service did not execute;</li>
 *   <li>{@code InternalError}, {@code ServiceUnavailable}, {@code ResourceInsufficient}, HTTP errors,
 *       broken replies and response timeouts, but only for read-only actions (Describe*, Query*),
 *       unless {@link #retryUnknownOutcome(boolean)} opts in: for an action that starts, changes or
 *       stops something, a second send could do it twice.</li>
 * </ul>
 * Cancelling the call stops retrying. Immutable.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration maxElapsed;
    private final boolean retryUnknownOutcome;

    private RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, double jitter,
            Duration maxElapsed, boolean retryUnknownOutcome) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.jitter = jitter;
        this.maxElapsed = Objects.requireNonNull(maxElapsed, "maxElapsed");
        this.retryUnknownOutcome = retryUnknownOutcome;
    }

    /** {@return 3 attempts, backoff from 200 ms up to 2 s with jitter 0.5, at most 30 s in all} */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2), 0.5, Duration.ofSeconds(30), false);
    }

    /** {@return a policy that never retries} */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, false);
    }

    /**
     * The same policy with another number of attempts.
     *
     * @param maxAttempts attempts in all, the first included; 1 means no retry
     * @return a new policy
     */
    public RetryPolicy maxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, firstBackoff, maxBackoff, jitter, maxElapsed, retryUnknownOutcome);
    }

    /**
     * The same policy with another backoff.
     *
     * @param first the first retry's delay, doubled each time
     * @param max the largest delay
     * @param jitter the random share of each delay, 0 to 1
     * @return a new policy
     */
    public RetryPolicy backoff(Duration first, Duration max, double jitter) {
        return new RetryPolicy(maxAttempts, first, max, jitter, maxElapsed, retryUnknownOutcome);
    }

    /**
     * The same policy with another bound on the time from the first attempt to the last retry.
     *
     * @param maxElapsed the bound
     * @return a new policy
     */
    public RetryPolicy maxElapsed(Duration maxElapsed) {
        return new RetryPolicy(maxAttempts, firstBackoff, maxBackoff, jitter, maxElapsed, retryUnknownOutcome);
    }

    /**
     * Whether calls of mutating actions may be sent again after an unknown outcome (the request went
     * out and no answer says what happened). Off by default; turn it on per action only where doing
     * the action twice is harmless.
     *
     * @param retry on or off
     * @return a new policy
     */
    public RetryPolicy retryUnknownOutcome(boolean retry) {
        return new RetryPolicy(maxAttempts, firstBackoff, maxBackoff, jitter, maxElapsed, retry);
    }

    /** {@return attempts in all} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Whether a failure of a call of this action may be retried under this policy.
     *
     * @param action the action
     * @param failure the failure
     * @return whether sending again is safe
     */
    public boolean isRetryable(TrtcAction action, Throwable failure) {
        boolean unknownOk = action.isReadOnly() || retryUnknownOutcome;
        if (failure instanceof TrtcServiceException s) {
            return s.isThrottle() || (unknownOk && s.isTransient());
        }
        if (failure instanceof TrtcClientClosedException || failure instanceof TrtcPoolExhaustedException) {
            return false; // closed for good; or a saturated pool that a resend would only crowd
        }
        if (failure instanceof TrtcClientException c) {
            return !c.requestSent() || unknownOk;
        }
        return false;
    }

    /**
     * Subscribes to {@code attempt} again, after this policy's backoff, while its failure is
     * retryable and attempts and time are left; the last failure is what the caller sees. Costs one
     * operator on a call that succeeds at once (none with a single attempt): the backoff is
     * assembled only when a retry happens.
     *
     * @param attempt one attempt, subscribed once per try
     * @param action the action, which decides what is safe to retry
     * @param scheduler where backoffs wait and time is read
     * @return the attempts
     */
    <T> Mono<T> retrying(Mono<T> attempt, TrtcAction action, Scheduler scheduler) {
        if (maxAttempts == 1) {
            return attempt;
        }
        return Mono.defer(() -> again(attempt, action, scheduler, scheduler.now(TimeUnit.NANOSECONDS), 1));
    }

    private <T> Mono<T> again(Mono<T> attempt, TrtcAction action, Scheduler scheduler, long startNanos, int made) {
        return attempt.onErrorResume(e -> {
            if (made >= maxAttempts || !isRetryable(action, e)
                    || scheduler.now(TimeUnit.NANOSECONDS) - startNanos >= maxElapsed.toNanos()) {
                return Mono.error(e);
            }
            return Mono.delay(backoff(made - 1), scheduler)
                    .then(again(attempt, action, scheduler, startNanos, made + 1));
        });
    }

    /**
     * The wait before a retry: the first backoff doubled per retry up to the largest, moved by a
     * random share of itself (the jitter) without leaving the bounds.
     *
     * @param retry how many retries came before this one
     * @return the wait
     */
    Duration backoff(int retry) {
        long first = firstBackoff.toNanos();
        long max = maxBackoff.toNanos();
        long next = retry >= 62 || first > (max >> Math.min(retry, 62)) ? max : Math.min(max, first << retry);
        long spread = (long) (next * jitter);
        long low = Math.max(first - next, -spread);
        long high = Math.min(max - next, spread);
        long offset = high > low ? ThreadLocalRandom.current().nextLong(low, high + 1) : Math.min(low, high);
        return Duration.ofNanos(Math.max(0, next + offset));
    }

    /** The Reactor retry of this policy for one call, started at {@code startNanos}. */
    Retry toRetry(TrtcAction action, Scheduler scheduler, long startNanos) {
        return toRetry(action, scheduler, startNanos, e -> true);
    }

    /** The same, retrying only failures that {@code also} accepts too. */
    Retry toRetry(TrtcAction action, Scheduler scheduler, long startNanos, java.util.function.Predicate<Throwable> also) {
        if (maxAttempts == 1) {
            return Retry.max(0).onRetryExhaustedThrow((spec, signal) -> signal.failure());
        }
        return Retry.backoff(maxAttempts - 1L, firstBackoff)
                .maxBackoff(maxBackoff)
                .jitter(jitter)
                .scheduler(scheduler)
                .filter(e -> also.test(e) && isRetryable(action, e)
                        && scheduler.now(TimeUnit.NANOSECONDS) - startNanos < maxElapsed.toNanos())
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + firstBackoff.toMillis() + ".."
                + maxBackoff.toMillis() + " ms, jitter=" + jitter + ", maxElapsed=" + maxElapsed.toMillis()
                + " ms, retryUnknownOutcome=" + retryUnknownOutcome + "}";
    }
}
