package io.github.trtcreactive.core.error;

/**
 * No connection of the client's pool became free in time, or too many calls already waited for one.
 * Nothing was sent. It is not retried: sending again into a saturated pool only lengthens its queue.
 * Raise the pool's size or pending-acquire limits, or lower the concurrency.
 */
public class TrtcPoolExhaustedException extends TrtcClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param detail which bound was hit
     * @param cause the pool's own failure
     */
    public TrtcPoolExhaustedException(String action, String detail, Throwable cause) {
        super(action, "the connection pool is exhausted (" + detail + "); the request was not sent", -1, null, cause,
                false);
    }
}
