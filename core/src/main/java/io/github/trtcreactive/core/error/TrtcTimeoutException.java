package io.github.trtcreactive.core.error;

import java.time.Duration;

/** No complete reply arrived within the configured time; whether the service executed the call is unknown. */
public class TrtcTimeoutException extends TrtcClientException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param what which timeout elapsed, for example "response timeout"
     * @param timeout the configured duration
     * @param cause the underlying failure, or {@code null}
     */
    public TrtcTimeoutException(String action, String what, Duration timeout, Throwable cause) {
        super(action, "no reply within the " + what + " of " + timeout.toMillis() + " ms; the outcome is unknown",
                -1, null, cause);
        this.timeout = timeout;
    }

    /** @return the timeout that elapsed */
    public Duration timeout() {
        return timeout;
    }
}
