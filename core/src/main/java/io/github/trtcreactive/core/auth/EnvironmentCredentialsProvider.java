package io.github.trtcreactive.core.auth;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** Reads the credentials from environment variables (reading the environment is not I/O). */
final class EnvironmentCredentialsProvider implements CredentialsProvider {

    static final String SECRET_ID = "TENCENTCLOUD_SECRET_ID";
    static final String SECRET_KEY = "TENCENTCLOUD_SECRET_KEY";
    static final String SESSION_TOKEN = "TENCENTCLOUD_SESSION_TOKEN";

    private final UnaryOperator<String> environment;

    EnvironmentCredentialsProvider(UnaryOperator<String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Credentials resolveCredentials() {
        String id = value(SECRET_ID);
        String key = value(SECRET_KEY);
        if (id == null || key == null) {
            throw new CredentialsNotFoundException(this + ": " + (id == null ? SECRET_ID : SECRET_KEY) + " is not set");
        }
        String token = value(SESSION_TOKEN);
        return token == null ? Credentials.of(id, key) : Credentials.of(id, key, token);
    }

    @Override
    public java.util.Optional<Credentials> findCredentials() {
        String id = value(SECRET_ID);
        String key = value(SECRET_KEY);
        if (id == null || key == null) {
            return java.util.Optional.empty();
        }
        String token = value(SESSION_TOKEN);
        return java.util.Optional.of(token == null ? Credentials.of(id, key) : Credentials.of(id, key, token));
    }

    private String value(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "environment variables";
    }
}
