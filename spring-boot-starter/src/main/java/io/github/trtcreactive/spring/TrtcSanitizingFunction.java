package io.github.trtcreactive.spring;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the SDK's secrets in the actuator's {@code env} and {@code configprops} endpoints, whatever
 * their {@code show-values} setting: {@code trtc.secret-key}, {@code trtc.session-token},
 * {@code trtc.callbacks.key} and the environment credentials the default chain reads
 * ({@code TENCENTCLOUD_SECRET_KEY}, {@code TENCENTCLOUD_SESSION_TOKEN}) are replaced whole; in
 * {@code trtc.rate-limit.redis-uri} only the credentials are.
 *
 * <p>A key matches in any of its relaxed forms ({@code trtc.secretKey}, {@code TRTC_SECRET_KEY},
 * {@code trtc.secret_key}, a configprops path), because the comparison ignores case and every
 * character but letters and digits, and it may end a longer key. A value equal to one of the bound
 * secrets (8 characters or more) is masked under any key, so a secret set through a placeholder
 * ({@code trtc.secret-key=${VAULT_TRTC_KEY}}) is masked where it comes from as well.
 */
final class TrtcSanitizingFunction implements SanitizingFunction {

    private static final List<String> SECRETS = List.of("trtcsecretkey", "trtcsessiontoken", "trtccallbackskey",
            "tencentcloudsecretkey", "tencentcloudsessiontoken");
    private static final String REDIS_URI = "trtcratelimitredisuri";
    /** Shorter secrets are not matched by value: masking a short common value would hint at the secret. */
    private static final int MIN_VALUE_MATCH = 8;

    private final Supplier<Set<String>> boundSecrets;

    /** @param boundSecrets the secrets as currently bound, read on every call */
    TrtcSanitizingFunction(Supplier<Set<String>> boundSecrets) {
        this.boundSecrets = boundSecrets;
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        Object value = data.getValue();
        if (value == null) {
            return data;
        }
        String key = canonical(data.getKey());
        for (String secret : SECRETS) {
            if (key.endsWith(secret)) {
                return data.withSanitizedValue();
            }
        }
        String text = value.toString();
        if (key.endsWith(REDIS_URI)) {
            return data.withValue(maskCredentials(text));
        }
        if (text.length() >= MIN_VALUE_MATCH && boundSecrets.get().contains(text)) {
            return data.withSanitizedValue();
        }
        return data;
    }

    /** The key in lower case with only its letters and digits: every relaxed form of a name is the same. */
    static String canonical(String key) {
        StringBuilder canonical = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = Character.toLowerCase(key.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                canonical.append(c);
            }
        }
        return canonical.toString();
    }

    /**
     * A Redis URI with the password masked: {@code redis://user:******@host:6379}. Lettuce reads a
     * user-info without a colon as the password, so that is masked whole; the user-info ends at the
     * last {@code @}, so a password holding {@code /}, {@code ?} or {@code @} is masked too. A value
     * without a scheme is not a URI Lettuce takes, and is masked whole.
     */
    static String maskCredentials(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return SanitizableData.SANITIZED_VALUE;
        }
        int start = scheme + 3;
        int at = uri.lastIndexOf('@');
        if (at < start) {
            return uri;
        }
        String userInfo = uri.substring(start, at);
        int colon = userInfo.indexOf(':');
        String masked = colon < 0 ? SanitizableData.SANITIZED_VALUE
                : userInfo.substring(0, colon + 1) + SanitizableData.SANITIZED_VALUE;
        return uri.substring(0, start) + masked + uri.substring(at);
    }
}
