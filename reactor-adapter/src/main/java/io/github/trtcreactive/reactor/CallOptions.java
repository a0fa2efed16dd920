package io.github.trtcreactive.reactor;

import java.time.Duration;
import java.util.Map;

/** The per-call settings a client applies: timeouts, retries, the reply size limit and the attempt listener. */
final class CallOptions {

    final Duration connectTimeout;
    final Duration callTimeout;
    final long maxResponseBytes;
    private final RetryPolicy retryPolicy;
    private final Map<String, RetryPolicy> retryPolicies;
    final CallListener listener;

    CallOptions(Duration connectTimeout, Duration callTimeout, long maxResponseBytes, RetryPolicy retryPolicy,
            Map<String, RetryPolicy> retryPolicies, CallListener listener) {
        this.connectTimeout = connectTimeout;
        this.callTimeout = callTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.retryPolicy = retryPolicy;
        this.retryPolicies = Map.copyOf(retryPolicies);
        this.listener = SafeCallListener.of(listener);
    }

    /** The same options with one policy for every action. */
    CallOptions withRetryPolicy(RetryPolicy policy) {
        return new CallOptions(connectTimeout, callTimeout, maxResponseBytes, policy, Map.of(), listener);
    }

    RetryPolicy retryPolicy(String action) {
        return retryPolicies.getOrDefault(action, retryPolicy);
    }
}
