package io.github.trtcreactive.reactor;

import io.github.trtcreactive.reactor.internal.HookGuard;
import java.time.Duration;

/** Calls a user's {@link CallListener} so that it can never change a call's outcome (see {@link HookGuard}). */
final class SafeCallListener implements CallListener {

    private final CallListener delegate;
    private final HookGuard guard;

    private SafeCallListener(CallListener delegate) {
        this.delegate = delegate;
        this.guard = new HookGuard("CallListener", delegate);
    }

    static CallListener of(CallListener listener) {
        return listener == CallListener.NONE || listener instanceof SafeCallListener ? listener
                : new SafeCallListener(listener);
    }

    @Override
    public void onAttempt(String action, Duration latency, Throwable error) {
        guard.run("onAttempt", action, () -> delegate.onAttempt(action, latency, error));
    }
}
