package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.reactor.internal.HookGuard;
import java.time.Duration;

/**
 * Calls a user's {@link RateLimitListener} so that it can never change an outcome or strand a
 * waiter (see {@link HookGuard}).
 */
final class SafeRateLimitListener implements RateLimitListener {

    private final RateLimitListener delegate;
    private final HookGuard guard;

    private SafeRateLimitListener(RateLimitListener delegate) {
        this.delegate = delegate;
        this.guard = new HookGuard("RateLimitListener", delegate);
    }

    static RateLimitListener of(RateLimitListener listener) {
        return listener == RateLimitListener.NONE || listener instanceof SafeRateLimitListener ? listener
                : new SafeRateLimitListener(listener);
    }

    @Override
    public void onGranted(String action, Duration waited) {
        guard.run("onGranted", action, () -> delegate.onGranted(action, waited));
    }

    @Override
    public void onGranted(String action, CallPriority priority, Duration waited) {
        guard.run("onGranted", action, () -> delegate.onGranted(action, priority, waited));
    }

    @Override
    public void onQueued(String action, Duration expectedWait, int queued) {
        guard.run("onQueued", action, () -> delegate.onQueued(action, expectedWait, queued));
    }

    @Override
    public void onLeftQueue(String action, boolean granted) {
        guard.run("onLeftQueue", action, () -> delegate.onLeftQueue(action, granted));
    }

    @Override
    public void onRejected(String action, Duration neededWait) {
        guard.run("onRejected", action, () -> delegate.onRejected(action, neededWait));
    }

    @Override
    public void onStoreAnswered(Duration latency) {
        guard.run("onStoreAnswered", "store", () -> delegate.onStoreAnswered(latency));
    }

    @Override
    public void onThrottled(String action, double ratePerSecond) {
        guard.run("onThrottled", action, () -> delegate.onThrottled(action, ratePerSecond));
    }

    @Override
    public void onStoreUnavailable(Throwable cause) {
        guard.run("onStoreUnavailable", "-", () -> delegate.onStoreUnavailable(cause));
    }

    @Override
    public void onStoreRestored() {
        guard.run("onStoreRestored", "-", delegate::onStoreRestored);
    }
}
