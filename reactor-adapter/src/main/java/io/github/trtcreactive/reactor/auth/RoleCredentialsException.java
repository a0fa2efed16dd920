package io.github.trtcreactive.reactor.auth;

/**
 * Temporary credentials could not be obtained from a role source (the instance metadata service or
 * STS), or a {@link RefreshingCredentialsProvider}'s source answered none or only expired ones. The
 * message names the source and what it answered (malformed fields, an oversized reply, the service's
 * error, its text sanitized); it never holds a key or a token. A call that needed the credentials
 * fails with a {@code TrtcClientException} caused by this one.
 */
public final class RoleCredentialsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, without secrets
     */
    public RoleCredentialsException(String message) {
        super(message, null, false, false);
    }
}
