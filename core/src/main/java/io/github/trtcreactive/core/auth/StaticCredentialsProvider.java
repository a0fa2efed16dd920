package io.github.trtcreactive.core.auth;

import java.util.Objects;

/** Always returns the same credentials. */
final class StaticCredentialsProvider implements CredentialsProvider {

    private final Credentials credentials;

    StaticCredentialsProvider(Credentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public Credentials resolveCredentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "static credentials " + credentials;
    }
}
