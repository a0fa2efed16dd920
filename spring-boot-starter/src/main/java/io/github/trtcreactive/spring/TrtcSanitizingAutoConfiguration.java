package io.github.trtcreactive.spring;

import java.util.HashSet;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the SDK's secrets out of the actuator: with the actuator on the classpath, a
 * {@link SanitizingFunction} masks {@code trtc.secret-key}, {@code trtc.session-token},
 * {@code trtc.callbacks.key}, the default chain's {@code TENCENTCLOUD_SECRET_KEY} and
 * {@code TENCENTCLOUD_SESSION_TOKEN}, and the password of {@code trtc.rate-limit.redis-uri} in the
 * {@code env} and {@code configprops} endpoints, even with {@code show-values=always}. An
 * application bean named {@code trtcSanitizingFunction} replaces it.
 */
@AutoConfiguration(after = TrtcAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
public class TrtcSanitizingAutoConfiguration {

    /** Creates the configuration. */
    public TrtcSanitizingAutoConfiguration() {
    }

    /**
     * The function that masks the secrets.
     *
     * @param properties the {@code trtc.*} properties, whose bound secrets are also masked by value
     * @return the function
     */
    @Bean
    @ConditionalOnMissingBean(name = "trtcSanitizingFunction")
    public SanitizingFunction trtcSanitizingFunction(ObjectProvider<TrtcProperties> properties) {
        return new TrtcSanitizingFunction(() -> boundSecrets(properties.getIfAvailable()));
    }

    private static Set<String> boundSecrets(TrtcProperties properties) {
        Set<String> secrets = new HashSet<>();
        if (properties != null) {
            for (String secret : new String[] {properties.getSecretKey(), properties.getSessionToken(),
                    properties.getCallbacks().getKey()}) {
                if (secret != null) {
                    secrets.add(secret);
                }
            }
        }
        return secrets;
    }
}
