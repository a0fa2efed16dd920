package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;

/**
 * Which failures a loop that asks the same read-only question again (a poller, a metric stream)
 * may wait out: the service could not answer now, or the answer did not arrive. A closed client is
 * never transient.
 */
public final class TransientFailures {

    /** A code the stream-ingest pages list for a Describe that could not look the task up for now. */
    private static final String QUERY_FAILED = "FailedOperation.QueryTaskInfoFailed";

    private TransientFailures() {}

    /**
     * Whether a failure of a read-only call may pass if asked again.
     *
     * @param e a failure of one read-only call
     * @return whether asking again later may succeed
     */
    public static boolean isTransient(Throwable e) {
        if (e instanceof TrtcServiceException s) {
            return s.isThrottle() || s.isTransient() || s.isCode(QUERY_FAILED);
        }
        return e instanceof TrtcClientException && !(e instanceof TrtcClientClosedException);
    }
}
