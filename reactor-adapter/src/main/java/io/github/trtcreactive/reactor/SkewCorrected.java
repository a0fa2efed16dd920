package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.error.TrtcServiceException;

/**
 * A signature refused as expired, after the clock offset was learned: the call may be signed again,
 * once. A TrtcException so that the transport passes it through untranslated; callers never see it,
 * only the service error it carries.
 */
final class SkewCorrected extends TrtcException {

    private static final long serialVersionUID = 1L;

    SkewCorrected(TrtcServiceException cause) {
        super(cause.getMessage(), cause);
    }

    /** {@return the service error inside a SkewCorrected, else {@code e} itself} */
    static Throwable unwrap(Throwable e) {
        return e instanceof SkewCorrected ? e.getCause() : e;
    }
}
