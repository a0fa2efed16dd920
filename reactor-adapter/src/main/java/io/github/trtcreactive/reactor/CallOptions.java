package io.github.trtcreactive.reactor;

import java.time.Duration;
import java.util.Map;

/** The per-call settings a client applies: timeouts, retries and the reply size limit. */
final class CallOptions {

    final Duration connectTimeout;
    final Duration callTimeout;
    final long maxResponseBytes;
    private final RetryPolicy retryPolicy;
    private final Map<String, RetryPolicy> retryPolicies;

    CallOptions(Duration connectTimeout, Duration callTimeout, long maxResponseBytes, RetryPolicy retryPolicy,
            Map<String, RetryPolicy> retryPolicies) {
        this.connectTimeout = connectTimeout;
        this.callTimeout = callTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.retryPolicy = retryPolicy;
        this.retryPolicies = Map.copyOf(retryPolicies);
    }

    /** The same options with one policy for every action. */
    CallOptions withRetryPolicy(RetryPolicy policy) {
        return new CallOptions(connectTimeout, callTimeout, maxResponseBytes, policy, Map.of());
    }

    RetryPolicy retryPolicy(String action) {
        return retryPolicies.getOrDefault(action, retryPolicy);
    }
}
