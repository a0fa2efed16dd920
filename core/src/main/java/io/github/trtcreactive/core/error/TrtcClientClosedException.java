package io.github.trtcreactive.core.error;

/**
 * The client was closed: the call was not sent, and no later call of that client will be. Also ends
 * the pollers, metric streams, paginators and rate-limit waits of that client. Never retried.
 */
public class TrtcClientClosedException extends TrtcClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action the action that was called, or what was running (a poller, a listing)
     */
    public TrtcClientClosedException(String action) {
        super(action, "the client is closed; the request was not sent (build a new client)", -1, null, null, false);
    }
}
