package io.github.trtcreactive.core.error;

/**
 * The service answered with an error envelope ({@code Response.Error}). Branch on {@link #errorCode()};
 * the message text may change over time.
 */
public class TrtcServiceException extends TrtcException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final String errorMessage;
    private final String requestId;
    private final String action;
    private final int httpStatus;

    /**
     * Creates the exception for one error envelope.
     *
     * @param action the action that was called
     * @param errorCode the {@code Error.Code}, for example {@code ResourceNotFound}
     * @param errorMessage the {@code Error.Message}
     * @param requestId the {@code RequestId}, or {@code null} when absent
     * @param httpStatus the HTTP status of the reply
     */
    public TrtcServiceException(String action, String errorCode, String errorMessage, String requestId,
            int httpStatus) {
        super(action + " failed with " + errorCode + ": " + errorMessage + " (RequestId " + requestId
                + ", HTTP " + httpStatus + ")", null);
        this.action = action;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.requestId = requestId;
        this.httpStatus = httpStatus;
    }

    /** @return the service's error code, for example {@code AuthFailure.SignatureFailure} */
    public String errorCode() {
        return errorCode;
    }

    /** @return the service's error message */
    public String errorMessage() {
        return errorMessage;
    }

    /** @return the request id the service assigned, or {@code null} when the envelope had none */
    public String requestId() {
        return requestId;
    }

    /** @return the action that was called */
    public String action() {
        return action;
    }

    /** @return the HTTP status of the reply */
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
}
