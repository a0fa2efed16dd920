package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The actuator never shows the SDK's secrets, even when told to show every value: the
 * {@code env} and {@code configprops} endpoints of a running application, read over HTTP, contain
 * none of the secret values set as properties, in relaxed forms, as environment variables or
 * reached through a placeholder, nor the Redis password; the non-secret values around them are
 * still shown (so the test would see a leak).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=env,configprops", "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always", "trtc.region=ap-singapore",
        "trtc.secret-id=AKIDsanitizedTestId", "trtc.secret-key=${vault.trtc-key}",
        "vault.trtc-key=PlaceholderSecretKey01", "trtc.session-token=InlineSessionToken02",
        "trtc.callbacks.key=CallbackKey03"})
@ContextConfiguration(initializers = ActuatorSanitizingTest.MoreSources.class)
@DirtiesContext // closed with its Redis, so no later test hears the store reconnecting to a stopped server
class ActuatorSanitizingTest {

    private static final String REDIS_PASSWORD = "RedisPassword04";
    private static final String[] SECRETS = {"PlaceholderSecretKey01", "InlineSessionToken02", "CallbackKey03",
        REDIS_PASSWORD, "CamelSecretKey05", "EnvSecretKey06", "EnvSessionToken07", "EnvCallbackKey08",
        "ChainSecretKey09", "EnvRedisPassword10"};
    private static TestRedis redis;

    @SpringBootApplication
    static class App {
    }

    /** The same secrets as an application may also have them: relaxed names and environment variables. */
    static class MoreSources implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            var sources = context.getEnvironment().getPropertySources();
            sources.addLast(new MapPropertySource("relaxedNames", Map.of("trtc.secretKey", "CamelSecretKey05")));
            sources.addLast(new SystemEnvironmentPropertySource("testEnvironment", Map.of(
                    "TRTC_SECRET_KEY", "EnvSecretKey06", "TRTC_SESSIONTOKEN", "EnvSessionToken07",
                    "TRTC_CALLBACKS_KEY", "EnvCallbackKey08", "TENCENTCLOUD_SECRET_KEY", "ChainSecretKey09",
                    "TRTC_RATELIMIT_REDISURI", "redis://reader:EnvRedisPassword10@redis.internal:6379")));
        }
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) throws Exception {
        redis = TestRedis.start();
        requirePassword(redis.port(), REDIS_PASSWORD);
        registry.add("trtc.rate-limit.redis-uri", () -> "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + redis.port());
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Value("${local.server.port}")
    int port;

    private String get(String path) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .build().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void theEnvEndpoint_showsNoSecret_butShowsTheRest() {
        String env = get("/actuator/env");
        assertThat(env).contains("ap-singapore", "AKIDsanitizedTestId", "redis://:******@127.0.0.1:" + redis.port(),
                "redis://reader:******@redis.internal:6379");
        for (String secret : SECRETS) {
            assertThat(env).doesNotContain(secret);
        }
        assertThat(get("/actuator/env/trtc.secret-key")).doesNotContain("PlaceholderSecretKey01");
    }

    @Test
    void theConfigpropsEndpoint_showsNoSecret_butShowsTheRest() {
        String configprops = get("/actuator/configprops");
        assertThat(configprops).contains("ap-singapore", "AKIDsanitizedTestId", "trtc.callbacks",
                "redis://:******@127.0.0.1:" + redis.port());
        for (String secret : SECRETS) {
            assertThat(configprops).doesNotContain(secret);
        }
        assertThat(get("/actuator/configprops/trtc")).contains("ap-singapore").doesNotContain(SECRETS[0], SECRETS[1],
                SECRETS[2], SECRETS[3]);
    }

    /** Sets a password on the test's Redis, so that the URI's password is a real one the store must use. */
    private static void requirePassword(int port, String password) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String command = "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nrequirepass\r\n$" + password.length() + "\r\n"
                    + password + "\r\n";
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                reply.append((char) c);
            }
            assertThat(reply.toString().trim()).isEqualTo("+OK");
        }
    }
}
