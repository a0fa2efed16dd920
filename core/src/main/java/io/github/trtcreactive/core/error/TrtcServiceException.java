package io.github.trtcreactive.core.error;

/**
 * The service answered with an error envelope ({@code Response.Error}). Branch on {@link #errorCode()}
 * (the documented codes are constants of {@link TrtcErrorCodes}) or on the helpers
 * ({@link #isThrottle()}, {@link #isAuthFailure()}, {@link #isRetryable()}); the message text may
 * change over time. Every text taken from the reply (code, message, request id) is passed through
 * {@link ServiceText#sanitize(String)}: no control character of the service's reaches the message,
 * the accessors or a log, and none is longer than {@link ServiceText#MAX_LENGTH} characters.
 */
public class TrtcServiceException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /** The service's error code. */
    private final String errorCode;
    /** The service's message. */
    private final String errorMessage;
    /** The request id the service gave, or null. */
    private final String requestId;
    /** The action called. */
    private final String action;
    /** The reply's HTTP status. */
    private final int httpStatus;

    /**
     * Creates the exception for one error envelope; the service's texts are sanitized here.
     *
     * @param action the action that was called
     * @param errorCode the {@code Error.Code}, for example {@code ResourceNotFound}
     * @param errorMessage the {@code Error.Message}
     * @param requestId the {@code RequestId}, or {@code null} when absent
     * @param httpStatus the HTTP status of the reply
     */
    public TrtcServiceException(String action, String errorCode, String errorMessage, String requestId,
            int httpStatus) {
        super(action + " failed with " + ServiceText.sanitize(errorCode) + ": " + ServiceText.sanitize(errorMessage)
                + " (RequestId " + ServiceText.sanitize(requestId) + ", HTTP " + httpStatus + ")", null);
        this.action = action;
        this.errorCode = ServiceText.sanitize(errorCode);
        this.errorMessage = ServiceText.sanitize(errorMessage);
        this.requestId = ServiceText.sanitize(requestId);
        this.httpStatus = httpStatus;
    }

    /** {@return the service's error code (sanitized), for example {@code AuthFailure.SignatureFailure}} */
    public String errorCode() {
        return errorCode;
    }

    /** {@return the service's error message, sanitized: control characters replaced, at most 256 characters} */
    public String errorMessage() {
        return errorMessage;
    }

    /** {@return the request id the service assigned (sanitized), or {@code null} when the envelope had none} */
    public String requestId() {
        return requestId;
    }

    /** {@return the action that was called} */
    public String action() {
        return action;
    }

    /** {@return the HTTP status of the reply} */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Whether the error code is {@code code} or one of its sub-codes ({@code RequestLimitExceeded}
     * matches {@code RequestLimitExceeded.UinLimitExceeded}).
     *
     * @param code an error code or code family
     * @return whether this error belongs to it
     */
    public boolean isCode(String code) {
        return errorCode.equals(code) || errorCode.startsWith(code + ".");
    }

    /**
     * Whether the call was refused as over a rate limit ({@code RequestLimitExceeded} or one of its
     * sub-codes): the service did not execute it, so sending it again later is safe.
     *
     * @return whether this is a throttle
     */
    public boolean isThrottle() {
        return isCode("RequestLimitExceeded");
    }

    /**
     * Whether the caller's identity or rights were refused ({@code AuthFailure.*}, or
     * {@code UnauthorizedOperation.*}): a wrong or expired key, a bad signature, a missing permission.
     * Sending again with the same credentials will not help (a clock skew, which the client corrects
     * by itself once, aside).
     *
     * @return whether this is an authentication or authorization failure
     */
    public boolean isAuthFailure() {
        return isCode("AuthFailure") || isCode("UnauthorizedOperation");
    }

    /**
     * Whether the code says the service could not do the work for now ({@code InternalError},
     * {@code ServiceUnavailable}, {@code ResourceInsufficient}, {@code ResourceUnavailable}); whether
     * the work was done anyway is unknown.
     *
     * @return whether the failure is transient
     */
    public boolean isTransient() {
        return isCode("InternalError") || isCode("ServiceUnavailable") || isCode("ResourceInsufficient")
                || isCode("ResourceUnavailable");
    }

    /**
     * Whether the default retry policy sends such a call again: a throttle always (the call was not
     * executed); a transient failure only for a read-only action, since a second send of an action that
     * starts, changes or stops something could do it twice.
     *
     * @return whether the default policy retries this failure
     */
    public boolean isRetryable() {
        if (isThrottle()) {
            return true;
        }
        return isTransient() && io.github.trtcreactive.core.catalog.ActionCatalogue.standard().find(action)
                .map(io.github.trtcreactive.core.catalog.TrtcAction::isReadOnly).orElse(false);
    }
}
