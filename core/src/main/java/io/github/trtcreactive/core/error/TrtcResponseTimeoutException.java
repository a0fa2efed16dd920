package io.github.trtcreactive.core.error;

import java.time.Duration;

/** The request was sent but no complete reply arrived within the response timeout; the outcome is unknown. */
public class TrtcResponseTimeoutException extends TrtcTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param timeout the response timeout
     * @param cause the underlying failure
     */
    public TrtcResponseTimeoutException(String action, Duration timeout, Throwable cause) {
        super(action, "no reply within the response timeout of " + timeout.toMillis()
                + " ms; the outcome is unknown", timeout, cause, true);
    }
}
