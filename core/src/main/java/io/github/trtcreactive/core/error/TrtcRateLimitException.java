package io.github.trtcreactive.core.error;

import java.time.Duration;

/**
 * The client's rate limiter refused a call before sending it: waiting for a permit would take
 * longer than allowed, or too many calls already wait. Nothing was sent.
 */
public class TrtcRateLimitException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /** The action refused a permit. */
    private final String action;
    private final transient Duration neededWait;

    /**
     * Creates the exception.
     *
     * @param action the action whose limit is exhausted
     * @param neededWait how long the call would have had to wait for its permit
     * @param reason which bound was hit
     */
    public TrtcRateLimitException(String action, Duration neededWait, String reason) {
        super(action + " not sent: its permit would need a wait of " + neededWait.toMillis() + " ms, " + reason, null);
        this.action = action;
        this.neededWait = neededWait;
    }

    /**
     * Creates the exception with a message of its own (for refusals that are not about a wait).
     *
     * @param message the whole message
     * @param action the action
     * @param neededWait how long past its turn, or how long a wait, the refusal is about
     */
    protected TrtcRateLimitException(String message, String action, Duration neededWait) {
        super(message, null);
        this.action = action;
        this.neededWait = neededWait;
    }

    /** {@return the action whose limit is exhausted} */
    public String action() {
        return action;
    }

    /** {@return how long the call would have had to wait} */
    public Duration neededWait() {
        return neededWait;
    }
}
