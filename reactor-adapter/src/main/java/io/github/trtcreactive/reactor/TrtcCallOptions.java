package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Settings for some calls only: their priority, deadline, longest permit wait, retry policy, region and
 * the credentials to sign with. Immutable; what is not set comes from the client. Use it through a client
 * view ({@link TrtcAsyncClient#withOptions}) or, without a second client, through the Reactor Context
 * of the calls it applies to:
 *
 * <pre>{@code
 * client.describeCloudRecording(request)
 *       .contextWrite(TrtcCallOptions.none().withPriority(CallPriority.BACKGROUND).asContext());
 * }</pre>
 *
 * Options in the Context win over a view's; each setting is taken from the closest place that sets it.
 * With other credentials the limiter counts the call against their SecretId (unless the limiter names
 * one account for everything, {@code TrtcRateLimiter.Builder.account}).
 */
public final class TrtcCallOptions {

    private static final TrtcCallOptions NONE = new TrtcCallOptions(null, null, null, null, null, null);

    private final CallPriority priority;
    private final Duration deadline;
    private final Duration maxPermitWait;
    private final RetryPolicy retryPolicy;
    private final Credentials credentials;
    private final String region;

    private TrtcCallOptions(CallPriority priority, Duration deadline, Duration maxPermitWait, RetryPolicy retryPolicy,
            Credentials credentials, String region) {
        this.region = region;
        this.priority = priority;
        this.deadline = deadline;
        this.maxPermitWait = maxPermitWait;
        this.retryPolicy = retryPolicy;
        this.credentials = credentials;
    }

    /** {@return options that set nothing} */
    public static TrtcCallOptions none() {
        return NONE;
    }

    /**
     * The options a call's Context carries, if any.
     *
     * @param context the Context
     * @return its options, or {@link #none()}
     */
    public static TrtcCallOptions from(ContextView context) {
        return context.getOrDefault(TrtcCallOptions.class, NONE);
    }

    /**
     * These options with another priority.
     *
     * @param priority interactive (served first, short waits) or background
     * @return options with this priority
     */
    public TrtcCallOptions withPriority(CallPriority priority) {
        return new TrtcCallOptions(Objects.requireNonNull(priority, "priority"), deadline, maxPermitWait, retryPolicy,
                credentials, region);
    }

    /**
     * These options with another deadline.
     *
     * @param deadline how long the whole call may take, permit wait and retries included
     * @return options with this deadline
     */
    public TrtcCallOptions withDeadline(Duration deadline) {
        return new TrtcCallOptions(priority, positive("deadline", deadline), maxPermitWait, retryPolicy, credentials,
                region);
    }

    /**
     * These options with another maxPermitWait.
     *
     * @param maxPermitWait the longest the call may wait for its rate-limit permit; a call that would
     *     wait longer fails at once with {@code TrtcRateLimitException}
     * @return options with this bound
     */
    public TrtcCallOptions withMaxPermitWait(Duration maxPermitWait) {
        return new TrtcCallOptions(priority, deadline, positive("maxPermitWait", maxPermitWait), retryPolicy,
                credentials, region);
    }

    /**
     * These options with another retryPolicy.
     *
     * @param retryPolicy the retry policy for these calls, whatever their action
     * @return options with this policy
     */
    public TrtcCallOptions withRetryPolicy(RetryPolicy retryPolicy) {
        return new TrtcCallOptions(priority, deadline, maxPermitWait, Objects.requireNonNull(retryPolicy, "retryPolicy"),
                credentials, region);
    }

    /**
     * These options with other credentials.
     *
     * @param credentials the credentials to sign these calls with, instead of the client's provider
     *     (a service acting for several accounts)
     * @return options with these credentials
     */
    public TrtcCallOptions withCredentials(Credentials credentials) {
        return new TrtcCallOptions(priority, deadline, maxPermitWait, retryPolicy,
                Objects.requireNonNull(credentials, "credentials"), region);
    }

    /**
     * These options with another region.
     *
     * @param region the region to send these calls to instead of the client's (an action documented only
     *     in other regions, such as {@code DescribeStreamIngest}), for example {@code ap-singapore}
     * @return options with this region
     */
    public TrtcCallOptions withRegion(String region) {
        Objects.requireNonNull(region, "region");
        if (!region.matches("[a-z]{2,3}-[a-z]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("region must look like ap-singapore, was " + region);
        }
        return new TrtcCallOptions(priority, deadline, maxPermitWait, retryPolicy, credentials, region);
    }

    /**
     * These options under another set: each setting of {@code closer} wins where it is set.
     *
     * @param closer the options closer to the call
     * @return the combination
     */
    public TrtcCallOptions overriddenBy(TrtcCallOptions closer) {
        if (closer == NONE) {
            return this;
        }
        if (this == NONE) {
            return closer;
        }
        return new TrtcCallOptions(closer.priority != null ? closer.priority : priority,
                closer.deadline != null ? closer.deadline : deadline,
                closer.maxPermitWait != null ? closer.maxPermitWait : maxPermitWait,
                closer.retryPolicy != null ? closer.retryPolicy : retryPolicy,
                closer.credentials != null ? closer.credentials : credentials,
                closer.region != null ? closer.region : region);
    }

    /** {@return a Context holding these options, for {@code contextWrite}} */
    public Context asContext() {
        return Context.of(TrtcCallOptions.class, this);
    }

    /** {@return the priority, if set} */
    public Optional<CallPriority> priority() {
        return Optional.ofNullable(priority);
    }

    /** {@return the deadline, if set} */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** {@return the longest permit wait, if set} */
    public Optional<Duration> maxPermitWait() {
        return Optional.ofNullable(maxPermitWait);
    }

    /** {@return the retry policy, if set} */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    /** {@return the region, if set} */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** {@return the credentials, if set} */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    private static Duration positive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        // Never the credentials' secrets: only whether they are set.
        return "TrtcCallOptions{priority=" + priority + ", deadline=" + deadline + ", maxPermitWait=" + maxPermitWait
                + ", retryPolicy=" + retryPolicy + ", region=" + region + ", credentials="
                + (credentials == null ? "client's" : "set") + "}";
    }
}
