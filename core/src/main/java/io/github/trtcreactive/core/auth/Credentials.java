package io.github.trtcreactive.core.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * A Tencent Cloud API key pair (SecretId and SecretKey), with the session token of temporary
 * credentials when there is one. {@link #toString()} never shows the key or the token.
 */
public final class Credentials {

    private final String secretId;
    private final String secretKey;
    private final String sessionToken;

    private Credentials(String secretId, String secretKey, String sessionToken) {
        this.secretId = check("secretId", secretId);
        this.secretKey = check("secretKey", secretKey);
        this.sessionToken = sessionToken == null ? null : check("sessionToken", sessionToken);
    }

    /**
     * Long-term credentials.
     *
     * @param secretId the SecretId
     * @param secretKey the SecretKey
     * @return the credentials
     * @throws IllegalArgumentException when a value is empty or has surrounding white space
     */
    public static Credentials of(String secretId, String secretKey) {
        return new Credentials(secretId, secretKey, null);
    }

    /**
     * Temporary credentials, sent with an {@code X-TC-Token} header.
     *
     * @param secretId the SecretId
     * @param secretKey the SecretKey
     * @param sessionToken the session token
     * @return the credentials
     * @throws IllegalArgumentException when a value is empty or has surrounding white space
     */
    public static Credentials of(String secretId, String secretKey, String sessionToken) {
        return new Credentials(secretId, secretKey, Objects.requireNonNull(sessionToken, "sessionToken"));
    }

    private static String check(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException(field + " must not start or end with white space");
        }
        return value;
    }

    /** {@return the SecretId, which identifies the key and is not secret} */
    public String secretId() {
        return secretId;
    }

    /** {@return the SecretKey; keep it out of logs} */
    public String secretKey() {
        return secretKey;
    }

    /** {@return the session token of temporary credentials} */
    public Optional<String> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && secretId.equals(that.secretId)
                && secretKey.equals(that.secretKey) && Objects.equals(sessionToken, that.sessionToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secretId, secretKey, sessionToken);
    }

    /** Shows the SecretId only; the key and token print as {@code ***}. */
    @Override
    public String toString() {
        return "Credentials{secretId=" + secretId + ", secretKey=***"
                + (sessionToken == null ? "" : ", sessionToken=***") + "}";
    }
}
