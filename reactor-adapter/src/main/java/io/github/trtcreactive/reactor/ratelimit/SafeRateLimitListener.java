package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a user's {@link RateLimitListener} so that it can never change an outcome or strand a
 * waiter: whatever it throws is caught and logged (at WARN the first time, at DEBUG after).
 */
final class SafeRateLimitListener implements RateLimitListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRateLimitListener.class);

    private final RateLimitListener delegate;
    private final AtomicBoolean warned = new AtomicBoolean();

    private SafeRateLimitListener(RateLimitListener delegate) {
        this.delegate = delegate;
    }

    static RateLimitListener of(RateLimitListener listener) {
        return listener == RateLimitListener.NONE || listener instanceof SafeRateLimitListener ? listener
                : new SafeRateLimitListener(listener);
    }

    @Override
    public void onGranted(String action, Duration waited) {
        try {
            delegate.onGranted(action, waited);
        } catch (RuntimeException | LinkageError e) {
            failed("onGranted", action, e);
        }
    }

    @Override
    public void onQueued(String action, Duration expectedWait, int queued) {
        try {
            delegate.onQueued(action, expectedWait, queued);
        } catch (RuntimeException | LinkageError e) {
            failed("onQueued", action, e);
        }
    }

    @Override
    public void onRejected(String action, Duration neededWait) {
        try {
            delegate.onRejected(action, neededWait);
        } catch (RuntimeException | LinkageError e) {
            failed("onRejected", action, e);
        }
    }

    @Override
    public void onThrottled(String action, double ratePerSecond) {
        try {
            delegate.onThrottled(action, ratePerSecond);
        } catch (RuntimeException | LinkageError e) {
            failed("onThrottled", action, e);
        }
    }

    private void failed(String method, String action, Throwable e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("RateLimitListener {}.{} threw {} on {}; ignored (calls go on; later failures of this listener "
                    + "are logged at DEBUG)", delegate.getClass().getName(), method, e.toString(), action);
        } else {
            LOG.debug("RateLimitListener {}.{} threw {} on {}; ignored", delegate.getClass().getName(), method,
                    e.toString(), action);
        }
    }
}
