package io.github.trtcreactive.reactor.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a step taken under a lock has to tell others (a sink's value or error, a listener's report),
 * collected while the lock is held and sent once it is let go, so no subscriber and no user code
 * ever runs under an SDK lock. One outbox serves one step on one thread.
 */
public final class Outbox {
    private final Object lock;
    private final List<Runnable> signals = new ArrayList<>(2);

    private Outbox(Object lock) {
        this.lock = lock;
    }

    /**
     * An empty outbox for a step under the given lock.
     *
     * @param lock the lock the step holds; {@link #send} refuses to run under it
     * @return the outbox
     */
    static Outbox under(Object lock) {
        return new Outbox(lock);
    }

    /**
     * Adds a signal, to be run after the lock.
     *
     * @param signal what to run
     */
    public void add(Runnable signal) {
        signals.add(signal);
    }

    /**
     * Runs every signal, in order; one that throws does not keep the others from running.
     *
     * @throws IllegalStateException when called under the lock (a bug: nothing runs then)
     */
    public void send() {
        if (Thread.holdsLock(lock)) {
            throw new IllegalStateException("signals sent under the lock they were collected under");
        }
        RuntimeException first = null;
        for (Runnable signal : signals) {
            try {
                signal.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        signals.clear();
        if (first != null) {
            throw first;
        }
    }
}
