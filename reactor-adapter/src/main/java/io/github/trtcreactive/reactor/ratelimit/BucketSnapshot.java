package io.github.trtcreactive.reactor.ratelimit;

/**
 * The state of one bucket at one moment.
 *
 * @param secretId the account whose limit the bucket tracks: the limiter's {@code account}, else the SecretId
 * @param action the action
 * @param ratePerSecond the rate it grants now (lower than the limit while recovering from a throttle)
 * @param permits the calls allowed per period now
 * @param queued the calls waiting for a permit
 * @param margin the safety margin added to the period now (see {@link TrtcRateLimiter.Builder#safetyMargin})
 */
public record BucketSnapshot(String secretId, String action, double ratePerSecond, int permits, int queued,
        java.time.Duration margin) {}
