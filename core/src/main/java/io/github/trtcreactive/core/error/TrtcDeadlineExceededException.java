package io.github.trtcreactive.core.error;

import java.time.Duration;

/**
 * The whole call, permit wait and retries included, outlasted its deadline. If a request was
 * already sent, its outcome is unknown.
 */
public class TrtcDeadlineExceededException extends TrtcTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param deadline the per-call deadline
     * @param requestSent whether a request had been written
     */
    public TrtcDeadlineExceededException(String action, Duration deadline, boolean requestSent) {
        super(action, "the call did not finish within its deadline of " + deadline.toMillis() + " ms"
                + (requestSent ? "; a request was sent, so the outcome is unknown" : "; nothing was sent"),
                deadline, null, requestSent);
    }
}
