package io.github.trtcreactive.reactor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a user's {@link CallListener} so that it can never change a call's outcome: whatever it
 * throws is caught and logged (at WARN the first time, at DEBUG after), and the call goes on.
 */
final class SafeCallListener implements CallListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeCallListener.class);

    private final CallListener delegate;
    private final AtomicBoolean warned = new AtomicBoolean();

    private SafeCallListener(CallListener delegate) {
        this.delegate = delegate;
    }

    static CallListener of(CallListener listener) {
        return listener == CallListener.NONE || listener instanceof SafeCallListener ? listener
                : new SafeCallListener(listener);
    }

    @Override
    public void onAttempt(String action, Duration latency, Throwable error) {
        try {
            delegate.onAttempt(action, latency, error);
        } catch (RuntimeException | LinkageError e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("CallListener {} threw {} on {}; ignored (the call's outcome is unchanged; later failures "
                        + "of this listener are logged at DEBUG)", delegate.getClass().getName(), e.toString(), action);
            } else {
                LOG.debug("CallListener {} threw {} on {}; ignored", delegate.getClass().getName(), e.toString(),
                        action);
            }
        }
    }
}
