package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.poll.PollListener;
import io.github.trtcreactive.reactor.poll.TaskUpdate;

/** Calls a user's {@link PollListener} so that it can never change a poll (see {@link HookGuard}). */
public final class SafePollListener implements PollListener {

    private final PollListener delegate;
    private final HookGuard guard;

    private SafePollListener(PollListener delegate) {
        this.delegate = delegate;
        this.guard = new HookGuard("PollListener", delegate);
    }

    /**
     * Guards a poll listener (once: a guarded one is returned as it is).
     *
     * @param listener the user's listener
     * @return it, guarded
     */
    public static PollListener of(PollListener listener) {
        return listener == PollListener.NONE || listener instanceof SafePollListener ? listener
                : new SafePollListener(listener);
    }

    @Override
    public void onFollowed(String describeAction, int delta) {
        guard.run("onFollowed", describeAction, () -> delegate.onFollowed(describeAction, delta));
    }

    @Override
    public void onPoll(String describeAction, String outcome) {
        guard.run("onPoll", describeAction, () -> delegate.onPoll(describeAction, outcome));
    }

    @Override
    public void onStatusChange(TaskUpdate<?> update) {
        guard.run("onStatusChange", update.status().family().name(), () -> delegate.onStatusChange(update));
    }

    @Override
    public void onBackgroundRestart(BackgroundStatus status) {
        guard.run("onBackgroundRestart", status.name(), () -> delegate.onBackgroundRestart(status));
    }
}
