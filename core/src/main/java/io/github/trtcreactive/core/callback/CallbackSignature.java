package io.github.trtcreactive.core.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Sign} header of TRTC's event callbacks: standard Base64 of HMAC-SHA256 over the raw
 * request body, keyed by the callback key set in the console. It is computed over the exact bytes
 * received: the service pretty-prints its JSON with tabs and newlines, and any re-serialisation
 * changes the signature. Verification compares in constant time. Thread-safe; holds no key.
 */
public final class CallbackSignature {

    /** The console's rule for a callback key: 1 to 32 letters and digits. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]{1,32}");

    private CallbackSignature() {}

    /**
     * Checks a callback key against the console's rule.
     *
     * @param key the key
     * @return the key
     * @throws IllegalArgumentException naming the rule (never the key) when it breaks it
     */
    public static String checkKey(String key) {
        Objects.requireNonNull(key, "callback key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("callback key must be 1 to 32 letters and digits (the console's rule);"
                    + " the one given has " + key.length() + " characters"
                    + (key.chars().allMatch(Character::isLetterOrDigit) ? "" : ", not all letters and digits"));
        }
        return key;
    }

    /**
     * Signs a body.
     *
     * @param key the callback key
     * @param body the exact bytes sent
     * @return the {@code Sign} header's value
     */
    public static String sign(String key, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac(key, body));
    }

    /**
     * Verifies a body's signature in constant time.
     *
     * @param key the callback key
     * @param body the exact bytes received
     * @param sign the {@code Sign} header's value, may be null
     * @return whether it is the body's signature under the key
     */
    public static boolean verify(String key, byte[] body, String sign) {
        if (sign == null) {
            return false;
        }
        byte[] expected = sign(key, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, sign.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(String key, byte[] body) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
