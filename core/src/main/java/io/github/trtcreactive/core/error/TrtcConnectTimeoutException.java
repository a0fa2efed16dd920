package io.github.trtcreactive.core.error;

import java.time.Duration;

/** No connection could be opened within the connect timeout; nothing was sent. */
public class TrtcConnectTimeoutException extends TrtcTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param timeout the connect timeout
     * @param cause the underlying failure
     */
    public TrtcConnectTimeoutException(String action, Duration timeout, Throwable cause) {
        super(action, "no connection within the connect timeout of " + timeout.toMillis()
                + " ms; the request was not sent", timeout, cause, false);
    }
}
