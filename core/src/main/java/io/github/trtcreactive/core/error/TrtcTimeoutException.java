package io.github.trtcreactive.core.error;

import java.time.Duration;

/**
 * A call took too long. The subclass says which bound elapsed: {@link TrtcConnectTimeoutException}
 * (no connection, nothing sent), {@link TrtcResponseTimeoutException} (sent, no complete reply: the
 * outcome is unknown) or {@link TrtcDeadlineExceededException} (the whole call, retries included).
 */
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
        this(action, "no reply within the " + what + " of " + timeout.toMillis() + " ms; the outcome is unknown",
                timeout, cause, true);
    }

    /**
     * Creates the exception with its own message.
     *
     * @param action the action that was called
     * @param message what elapsed and what it means
     * @param timeout the configured duration
     * @param cause the underlying failure, or {@code null}
     * @param requestSent whether the request had been written
     */
    protected TrtcTimeoutException(String action, String message, Duration timeout, Throwable cause,
            boolean requestSent) {
        super(action, message, -1, null, cause, requestSent);
        this.timeout = timeout;
    }

    /** {@return the timeout that elapsed} */
    public Duration timeout() {
        return timeout;
    }
}
