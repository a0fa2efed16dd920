package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import java.util.Set;

/**
 * Which failures a loop that asks the same read-only question again (a poller, a metric stream)
 * may wait out: the service could not answer now, or the answer did not arrive. A closed client is
 * never transient.
 */
public final class TransientFailures {

    private static final Set<String> SERVICE_CODES = Set.of("InternalError", "RequestLimitExceeded",
            "ServiceUnavailable", "ResourceInsufficient", "ResourceUnavailable", "FailedOperation.QueryTaskInfoFailed");

    private TransientFailures() {}

    /**
     * @param e a failure of one read-only call
     * @return whether asking again later may succeed
     */
    public static boolean isTransient(Throwable e) {
        if (e instanceof TrtcServiceException s) {
            return SERVICE_CODES.stream().anyMatch(s::isCode);
        }
        return e instanceof TrtcClientException && !(e instanceof TrtcClientClosedException);
    }
}
