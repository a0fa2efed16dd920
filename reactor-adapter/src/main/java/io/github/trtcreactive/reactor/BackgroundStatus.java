package io.github.trtcreactive.reactor;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one of the SDK's background loops is doing: the relay reader of a callback receiver, the
 * routing of callbacks to the pollers. A loop that fails or ends while its owner is open is started
 * again after a growing pause; this record says whether it runs now, how often it was restarted and
 * the class of the last failure (never its message, which could hold a host or a key). Immutable.
 *
 * @param name the loop, for example {@code callbacks.relay}
 * @param state whether it runs now
 * @param restarts how many times it was restarted since its owner was created
 * @param lastError the class name of the last failure ({@code ended} when it ended without one),
 *     or empty when it never failed
 */
public record BackgroundStatus(String name, State state, long restarts, Optional<String> lastError) {

    /** Where a loop stands. */
    public enum State {
        /** Not started yet: its owner starts it when first needed. */
        IDLE,
        /** Running. */
        UP,
        /** Failed or ended; waiting to start again. */
        RESTARTING,
        /** Stopped for good, with its owner. */
        STOPPED
    }

    /**
     * Checks the components.
     *
     * @param name the loop
     * @param state where it stands
     * @param restarts how many times it was restarted (0 or more)
     * @param lastError the class name of the last failure, or empty
     */
    public BackgroundStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must be 0 or more, was " + restarts);
        }
    }

    /** {@return whether the loop is not waiting to be restarted (running, idle or stopped with its owner)} */
    public boolean healthy() {
        return state != State.RESTARTING;
    }

    /** {@return the status in a few words, for a health page: {@code up, 2 restarts, last IOException}} */
    public String describe() {
        return state.name().toLowerCase(Locale.ROOT) + ", " + restarts + " restart" + (restarts == 1 ? "" : "s")
                + lastError.map(e -> ", last " + e.substring(e.lastIndexOf('.') + 1)).orElse("");
    }
}
