package io.github.trtcreactive.reactor;

import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import java.time.Duration;
import java.util.Map;

/**
 * The per-call settings a client applies: timeouts (by priority), retries, the reply size limit, the
 * attempt listener, and the overrides of a view ({@link TrtcCallOptions}).
 */
final class CallOptions {

    final io.github.trtcreactive.core.model.Validation validation;
    final Duration connectTimeout;
    private final Duration interactiveTimeout;
    private final Duration backgroundTimeout;
    final long maxResponseBytes;
    private final RetryPolicy retryPolicy;
    private final Map<String, RetryPolicy> retryPolicies;
    final CallListener listener;
    final io.github.trtcreactive.reactor.observe.CallObserver observer;
    final TrtcCallOptions overrides;

    CallOptions(io.github.trtcreactive.core.model.Validation validation, Duration connectTimeout, Duration interactiveTimeout, Duration backgroundTimeout, long maxResponseBytes,
            RetryPolicy retryPolicy, Map<String, RetryPolicy> retryPolicies, CallListener listener,
            io.github.trtcreactive.reactor.observe.CallObserver observer, TrtcCallOptions overrides) {
        this.validation = validation;
        this.connectTimeout = connectTimeout;
        this.interactiveTimeout = interactiveTimeout;
        this.backgroundTimeout = backgroundTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.retryPolicy = retryPolicy;
        this.retryPolicies = Map.copyOf(retryPolicies);
        this.listener = SafeCallListener.of(listener);
        this.observer = SafeCallObserver.of(observer);
        this.overrides = overrides;
    }

    /** The same options under a view's overrides. */
    CallOptions withOverrides(TrtcCallOptions closer) {
        return new CallOptions(validation, connectTimeout, interactiveTimeout, backgroundTimeout, maxResponseBytes, retryPolicy,
                retryPolicies, listener, observer, overrides.overriddenBy(closer));
    }

    RetryPolicy retryPolicy(String action) {
        return retryPolicies.getOrDefault(action, retryPolicy);
    }

    /** The deadline of a call of this priority, unless the call sets its own. */
    Duration callTimeout(CallPriority priority) {
        return priority == CallPriority.BACKGROUND ? backgroundTimeout : interactiveTimeout;
    }

    /**
     * One call's settings, resolved: its options (the view's under the Context's) over the client's.
     *
     * @param priority the call's priority
     * @param deadline its deadline
     * @param maxPermitWait its longest permit wait, or null for the limiter's default of its priority
     * @param retryPolicy its retry policy
     * @param call the options as given
     */
    record Resolved(CallPriority priority, Duration deadline, Duration maxPermitWait, RetryPolicy retryPolicy,
            TrtcCallOptions call) {}

    Resolved resolve(String action, TrtcCallOptions fromContext) {
        TrtcCallOptions call = overrides.overriddenBy(fromContext);
        CallPriority priority = call.priority().orElse(CallPriority.INTERACTIVE);
        return new Resolved(priority, call.deadline().orElse(callTimeout(priority)), call.maxPermitWait().orElse(null),
                call.retryPolicy().orElse(retryPolicy(action)), call);
    }
}
