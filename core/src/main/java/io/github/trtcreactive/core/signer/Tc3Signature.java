package io.github.trtcreactive.core.signer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The result of signing one request: the headers to send and the intermediate values (useful when
 * comparing with another implementation). {@link #toString()} shows none of the secret values.
 */
public final class Tc3Signature {

    private final String canonicalRequest;
    private final String stringToSign;
    private final String signature;
    private final String authorization;
    private final long timestamp;
    private final String contentType;
    private final String host;
    private final String sessionToken;

    Tc3Signature(String canonicalRequest, String stringToSign, String signature, String authorization,
            long timestamp, String contentType, String host, String sessionToken) {
        this.canonicalRequest = canonicalRequest;
        this.stringToSign = stringToSign;
        this.signature = signature;
        this.authorization = authorization;
        this.timestamp = timestamp;
        this.contentType = contentType;
        this.host = host;
        this.sessionToken = sessionToken;
    }

    /** {@return the canonical request that was hashed} */
    public String canonicalRequest() {
        return canonicalRequest;
    }

    /** {@return the string that was signed} */
    public String stringToSign() {
        return stringToSign;
    }

    /** {@return the hex signature} */
    public String signature() {
        return signature;
    }

    /** {@return the complete Authorization header value} */
    public String authorization() {
        return authorization;
    }

    /** {@return the timestamp that was signed} */
    public long timestamp() {
        return timestamp;
    }

    /** {@return the session token to send as {@code X-TC-Token}, if any} */
    public Optional<String> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    /**
     * The signed headers to send, in a stable order: {@code Authorization}, {@code Content-Type},
     * {@code Host}, {@code X-TC-Timestamp} and, with temporary credentials, {@code X-TC-Token}.
     *
     * @return a new mutable map
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Content-Type", contentType);
        headers.put("Host", host);
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        if (sessionToken != null) {
            headers.put("X-TC-Token", sessionToken);
        }
        return headers;
    }

    /** Shows the timestamp and host; the signature, Authorization and token are left out. */
    @Override
    public String toString() {
        return "Tc3Signature{host=" + host + ", timestamp=" + timestamp + ", signature=***}";
    }
}
