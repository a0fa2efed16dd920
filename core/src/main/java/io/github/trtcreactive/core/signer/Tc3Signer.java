package io.github.trtcreactive.core.signer;

import io.github.trtcreactive.core.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TC3-HMAC-SHA256 signature of Tencent Cloud API 3.0, as pure functions: the same inputs always
 * give the same headers. Only {@code content-type} and {@code host} are signed, as the service's own
 * SDKs do; the date in the credential scope is the UTC date of the timestamp.
 */
public final class Tc3Signer {

    /** The algorithm name that starts the Authorization header and the string to sign. */
    public static final String ALGORITHM = "TC3-HMAC-SHA256";

    /** The headers every request signs. */
    public static final String SIGNED_HEADERS = "content-type;host";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private Tc3Signer() {}

    /**
     * Signs one POST request.
     *
     * @param credentials the key pair (and token) to sign with
     * @param service the service in the credential scope, {@code trtc} for TRTC
     * @param host the Host header exactly as sent, with the port when it is not the scheme's default
     * @param timestamp the Unix time in seconds sent as {@code X-TC-Timestamp}
     * @param contentType the Content-Type exactly as sent
     * @param payload the body bytes exactly as sent
     * @return the signature, its intermediate values and the headers to send
     */
    public static Tc3Signature sign(Credentials credentials, String service, String host, long timestamp,
            String contentType, byte[] payload) {
        Objects.requireNonNull(credentials, "credentials");
        String date = DATE.format(Instant.ofEpochSecond(timestamp));
        String canonical = canonicalRequest("POST", "", contentType, host, payload);
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonical);
        String signature = signature(credentials.secretKey(), date, service, stringToSign);
        String authorization = ALGORITHM + " Credential=" + credentials.secretId() + "/" + scope
                + ", SignedHeaders=" + SIGNED_HEADERS + ", Signature=" + signature;
        return new Tc3Signature(canonical, stringToSign, signature, authorization, timestamp, contentType, host,
                credentials.sessionToken().orElse(null));
    }

    /**
     * Builds the canonical request for the two signed headers.
     *
     * @param method {@code POST} or {@code GET}
     * @param query the canonical query string, empty for POST
     * @param contentType the Content-Type as sent
     * @param host the Host as sent
     * @param payload the body bytes
     * @return the canonical request
     */
    public static String canonicalRequest(String method, String query, String contentType, String host,
            byte[] payload) {
        return method + "\n/\n" + query + "\n"
                + "content-type:" + contentType.strip().toLowerCase(Locale.ROOT) + "\n"
                + "host:" + host.strip().toLowerCase(Locale.ROOT) + "\n\n"
                + SIGNED_HEADERS + "\n" + sha256Hex(payload);
    }

    /**
     * Derives the signing key from the secret key and signs the string to sign.
     *
     * @param secretKey the SecretKey
     * @param date the UTC date of the credential scope, {@code yyyy-MM-dd}
     * @param service the service of the credential scope
     * @param stringToSign the string to sign
     * @return the lower-case hex signature
     */
    public static String signature(String secretKey, String date, String service, String stringToSign) {
        byte[] secretDate = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] secretService = hmac(secretDate, service);
        byte[] secretSigning = hmac(secretService, "tc3_request");
        return HEX.formatHex(hmac(secretSigning, stringToSign));
    }

    /**
     * The UTC date of a timestamp, as the credential scope writes it.
     *
     * @param timestamp Unix seconds
     * @return {@code yyyy-MM-dd}
     */
    public static String date(long timestamp) {
        return DATE.format(Instant.ofEpochSecond(timestamp));
    }

    /**
     * The lower-case hex SHA-256 of a string's UTF-8 bytes.
     *
     * @param text the text
     * @return the digest
     */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The lower-case hex SHA-256 of some bytes.
     *
     * @param bytes the bytes
     * @return the digest
     */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
