package io.github.trtcreactive.core.callback;

import io.github.trtcreactive.core.error.TrtcException;

/** A callback body that is not a TRTC event: not JSON, not an object, or without its event group. */
public final class CallbackFormatException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the body (never its content)
     * @param cause the parser's error, or null
     */
    public CallbackFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
