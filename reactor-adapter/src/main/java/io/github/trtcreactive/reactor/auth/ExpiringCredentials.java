package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Instant;
import java.util.Objects;

/**
 * Temporary credentials and when they stop working. Prints like {@link Credentials}: no key, no token.
 *
 * @param credentials the key pair and session token
 * @param expiresAt when the service stops accepting them
 */
public record ExpiringCredentials(Credentials credentials, Instant expiresAt) {

    /**
     * Checks the components.
     *
     * @param credentials the key pair and session token
     * @param expiresAt when the service stops accepting them
     * @throws NullPointerException when one is null
     */
    public ExpiringCredentials {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
