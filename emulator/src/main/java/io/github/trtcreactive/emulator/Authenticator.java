package io.github.trtcreactive.emulator;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.signer.Tc3Authorization;
import io.github.trtcreactive.core.signer.Tc3Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a request's TC3-HMAC-SHA256 signature from the bytes received, as the service does: the
 * credential scope must name the service {@code trtc}, every header named in SignedHeaders is signed with
 * its received value (so the Host carries the port it was sent with), a GET request's query string
 * is signed as received, and the timestamp may be at most five minutes away from the emulator's clock.
 */
final class Authenticator {

    static final long MAX_SKEW_SECONDS = 300;

    private final Function<String, Optional<Credentials>> keys;
    private final Clock clock;

    Authenticator(Function<String, Optional<Credentials>> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Authenticates one request.
     *
     * @param method the HTTP method, GET or POST
     * @param canonicalQuery the query string as received (empty for POST)
     * @param headers received headers, names in lower case
     * @param body the received body bytes
     * @return the SecretId that signed the request
     * @throws ApiException with the service's AuthFailure code when it is not authentic
     */
    String authenticate(String method, String canonicalQuery, Map<String, String> headers, byte[] body) {
        Tc3Authorization auth = Tc3Authorization.parse(headers.get("authorization")).orElseThrow(() ->
                new ApiException("AuthFailure.InvalidAuthorization",
                        "The Authorization header is missing or is not a TC3-HMAC-SHA256 credential."));
        if (!"trtc".equals(auth.service())) {
            throw new ApiException("AuthFailure.SignatureFailure", "The credential scope names the service `"
                    + auth.service() + "`; requests to TRTC are signed for `trtc`.");
        }
        Credentials credentials = keys.apply(auth.secretId()).orElseThrow(() ->
                new ApiException("AuthFailure.SecretIdNotFound",
                        "The SecretId is not found, please ensure that your SecretId is correct."));
        long timestamp = timestamp(headers.get("x-tc-timestamp"));
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > MAX_SKEW_SECONDS) {
            throw new ApiException("AuthFailure.SignatureExpire", "Signature expired. Timestamp is " + timestamp
                    + ", server time is " + now + "; the difference must not exceed 5 minutes.");
        }
        String[] signed = auth.signedHeaders().split(";");
        if (!Arrays.asList(signed).contains("content-type") || !Arrays.asList(signed).contains("host")) {
            throw new ApiException("AuthFailure.SignatureFailure", "SignedHeaders must include content-type and host.");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signed) {
            String value = headers.get(name.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw new ApiException("AuthFailure.SignatureFailure", "The signed header " + name + " was not sent.");
            }
            canonicalHeaders.append(name).append(':').append(value.strip().toLowerCase(Locale.ROOT)).append('\n');
        }
        String canonical = method + "\n/\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + auth.signedHeaders() + "\n"
                + Tc3Signer.sha256Hex(body);
        String scope = auth.date() + "/" + auth.service() + "/tc3_request";
        String stringToSign = Tc3Signer.ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + Tc3Signer.sha256Hex(canonical);
        String expected = Tc3Signer.signature(credentials.secretKey(), auth.date(), auth.service(), stringToSign);
        if (!auth.date().equals(Tc3Signer.date(timestamp))
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException("AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated. Please check your signature is correct.");
        }
        String token = headers.get("x-tc-token");
        String expectedToken = credentials.sessionToken().orElse(null);
        if (token != null && !token.isEmpty() ? !token.equals(expectedToken) : expectedToken != null) {
            throw new ApiException("AuthFailure.TokenFailure", "The token is invalid or missing for these credentials.");
        }
        return auth.secretId();
    }

    private static long timestamp(String value) {
        try {
            return Long.parseLong(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new ApiException("AuthFailure.InvalidAuthorization", "X-TC-Timestamp must be Unix seconds.");
        }
    }
}
