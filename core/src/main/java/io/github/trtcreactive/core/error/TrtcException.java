package io.github.trtcreactive.core.error;

/** The unchecked root of every error trtc-reactive reports after a call has started. */
public class TrtcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened; never contains secrets
     * @param cause the underlying failure, or {@code null}
     */
    public TrtcException(String message, Throwable cause) {
        super(message, cause);
    }
}
