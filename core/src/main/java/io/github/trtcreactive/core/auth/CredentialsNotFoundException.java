package io.github.trtcreactive.core.auth;

import io.github.trtcreactive.core.error.TrtcException;

/** No credentials could be found; the message lists every source tried and why each had none. */
public class CredentialsNotFoundException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which sources were tried and why each had no credentials
     */
    public CredentialsNotFoundException(String message) {
        super(message, null);
    }
}
