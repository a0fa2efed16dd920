package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/** Which keys and values the sanitizing function masks, and how much of a Redis URI it keeps. */
class TrtcSanitizingFunctionTest {

    private final TrtcSanitizingFunction function = new TrtcSanitizingFunction(() -> Set.of("BoundSecret1", "short"));

    private Object shown(String key, Object value) {
        return function.apply(new SanitizableData(null, key, value)).getValue();
    }

    @Test
    void apply_whenTheKeyIsASecretInAnyRelaxedForm_masksTheWholeValue() {
        for (String key : new String[] {"trtc.secret-key", "trtc.secretKey", "TRTC_SECRET_KEY", "TRTC_SECRETKEY",
                "trtc.secret_key", "trtc.session-token", "trtc.sessionToken", "trtc.callbacks.key", "TRTC_CALLBACKS_KEY",
                "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "my.nested.trtc.secret-key"}) {
            assertThat(shown(key, "value")).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }
        assertThat(shown("trtc.region", "ap-singapore")).isEqualTo("ap-singapore");
        assertThat(shown("trtc.secret-id", "AKIDvisible")).isEqualTo("AKIDvisible");
        assertThat(shown("trtc.callbacks.path", "/hooks")).isEqualTo("/hooks");
        assertThat(shown("trtc.secret-key", null)).isNull();
    }

    @Test
    void apply_whenTheValueIsABoundSecretOfEightCharactersOrMore_masksItUnderAnyKey() {
        assertThat(shown("VAULT_TRTC", "BoundSecret1")).isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(shown("server.name", "short")).as("too short to match by value").isEqualTo("short");
    }

    @Test
    void apply_onTheRedisUri_masksOnlyItsCredentials() {
        assertThat(shown("trtc.rate-limit.redis-uri", "redis://user:pw@host:6379/0"))
                .isEqualTo("redis://user:******@host:6379/0");
        assertThat(shown("TRTC_RATELIMIT_REDISURI", "rediss://:pw@host")).isEqualTo("rediss://:******@host");
        assertThat(shown("trtc.rateLimit.redisUri", "redis://pw@host")).as("a lone user-info is Lettuce's password")
                .isEqualTo("redis://******@host");
        assertThat(shown("trtc.rate-limit.redis-uri", "redis://u:p/a?s@s@host")).isEqualTo("redis://u:******@host");
        assertThat(shown("trtc.rate-limit.redis-uri", "redis-sentinel://pw@h1:26379,h2:26379/0#mymaster"))
                .isEqualTo("redis-sentinel://******@h1:26379,h2:26379/0#mymaster");
        assertThat(shown("trtc.rate-limit.redis-uri", "redis://host:6379")).isEqualTo("redis://host:6379");
        assertThat(shown("trtc.rate-limit.redis-uri", "host:6379")).as("no scheme: masked whole")
                .isEqualTo(SanitizableData.SANITIZED_VALUE);
    }
}
