package io.github.trtcreactive.reactor.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a user's hook (a listener, an observer) so that it can never change an outcome: whatever it
 * throws is caught and logged, at WARN the first time for this hook and at DEBUG after. One
 * instance per hook.
 */
public final class HookGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HookGuard.class);

    private final String hook;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * Guards one user hook.
     *
     * @param kind the kind of hook, for example {@code CallListener}
     * @param hook the user's object, named (by class) in the log
     */
    public HookGuard(String kind, Object hook) {
        this.hook = kind + " " + hook.getClass().getName();
    }

    /**
     * Runs one call of the hook.
     *
     * @param method the hook's method, for the log
     * @param action the action it was told about, for the log
     * @param call the call
     */
    public void run(String method, String action, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("{}.{} threw {} on {}; ignored: the outcome is unchanged (later failures of this hook are "
                        + "logged at DEBUG)", hook, method, e.toString(), action);
            } else {
                LOG.debug("{}.{} threw {} on {}; ignored", hook, method, e.toString(), action);
            }
        }
    }
}
