package io.github.trtcreactive.core.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class Tc3SignerTest {

    // The worked example of the Signature v3 documentation, with the masked credentials it prints.
    private static final Credentials MASKED = Credentials.of("AKID" + "*".repeat(32), "*".repeat(32));
    private static final byte[] PAYLOAD =
            "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"unnamed\"], \"Name\": \"instance-name\"}]}"
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void sign_documentedExample_reproducesEveryValue() {
        Tc3Signature s = Tc3Signer.sign(MASKED, "cvm", "cvm.tencentcloudapi.com", 1551113065L,
                "application/json; charset=utf-8", PAYLOAD);

        assertThat(PAYLOAD).hasSize(75);
        assertThat(s.canonicalRequest()).isEqualTo("POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
                + "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
                + "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907");
        assertThat(Tc3Signer.sha256Hex(s.canonicalRequest()))
                .isEqualTo("2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a");
        assertThat(s.stringToSign()).isEqualTo("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                + "2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a");
        assertThat(s.signature()).isEqualTo("a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2");
        assertThat(s.authorization()).isEqualTo("TC3-HMAC-SHA256 Credential=AKID" + "*".repeat(32)
                + "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
                + "Signature=a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2");
        assertThat(s.headers()).containsOnlyKeys("Authorization", "Content-Type", "Host", "X-TC-Timestamp")
                .containsEntry("X-TC-Timestamp", "1551113065")
                .containsEntry("Host", "cvm.tencentcloudapi.com");
    }

    @Test
    void sign_hostWithPort_signsThePortAsSent() {
        Tc3Signature s = Tc3Signer.sign(MASKED, "trtc", "127.0.0.1:9000", 1551113065L,
                "application/json; charset=utf-8", PAYLOAD);

        assertThat(s.canonicalRequest()).contains("\nhost:127.0.0.1:9000\n");
        assertThat(s.headers()).containsEntry("Host", "127.0.0.1:9000");
        Tc3Signature withoutPort = Tc3Signer.sign(MASKED, "trtc", "127.0.0.1", 1551113065L,
                "application/json; charset=utf-8", PAYLOAD);
        assertThat(s.signature()).isNotEqualTo(withoutPort.signature());
    }

    @Test
    void sign_aroundUtcMidnight_usesTheUtcDate() {
        long lastSecondOfDay = 1551139199L; // 2019-02-25T23:59:59Z, already 2019-02-26 in UTC+8
        long midnight = lastSecondOfDay + 1; // 2019-02-26T00:00:00Z

        assertThat(Tc3Signer.sign(MASKED, "trtc", "h", lastSecondOfDay, "a", PAYLOAD).stringToSign())
                .contains("\n2019-02-25/trtc/tc3_request\n");
        assertThat(Tc3Signer.sign(MASKED, "trtc", "h", midnight, "a", PAYLOAD).stringToSign())
                .contains("\n2019-02-26/trtc/tc3_request\n");
        assertThat(Tc3Signer.sign(MASKED, "trtc", "h", 1551113065L, "a", PAYLOAD).authorization())
                .contains("/2019-02-25/trtc/tc3_request");
    }

    @Test
    void sign_sessionToken_addsTokenHeaderWithoutChangingTheSignature() {
        Credentials temporary = Credentials.of(MASKED.secretId(), MASKED.secretKey(), "tok-123");

        Tc3Signature s = Tc3Signer.sign(temporary, "cvm", "cvm.tencentcloudapi.com", 1551113065L,
                "application/json; charset=utf-8", PAYLOAD);

        assertThat(s.headers()).containsEntry("X-TC-Token", "tok-123");
        assertThat(s.signature()).isEqualTo("a7b8551448762bd123d6f79e81815e31a92013640a6cef36a08ad4b292a4d2f2");
        assertThat(s.toString()).doesNotContain("tok-123", s.signature(), MASKED.secretKey());
    }

    @Test
    void parse_signedAuthorization_returnsItsParts() {
        Tc3Signature s = Tc3Signer.sign(MASKED, "trtc", "h", 1551113065L, "a", PAYLOAD);

        Tc3Authorization parsed = Tc3Authorization.parse(s.authorization()).orElseThrow();

        assertThat(parsed.secretId()).isEqualTo(MASKED.secretId());
        assertThat(parsed.date()).isEqualTo("2019-02-25");
        assertThat(parsed.service()).isEqualTo("trtc");
        assertThat(parsed.signedHeaders()).isEqualTo("content-type;host");
        assertThat(parsed.signature()).isEqualTo(s.signature());
        assertThat(parsed.toString()).doesNotContain(s.signature());
        assertThat(Tc3Authorization.parse("Basic abc")).isEmpty();
        assertThat(Tc3Authorization.parse("TC3-HMAC-SHA256 Credential=a/b/c, Signature=x")).isEmpty();
        assertThat(Tc3Authorization.parse(null)).isEmpty();
    }

    @Test
    void signature_derivedKeyIsReusedOnlyForTheSameKeyDateAndService() throws Exception {
        String a1 = Tc3Signer.signature("keyA", "2026-11-21", "trtc", "payload");
        String b = Tc3Signer.signature("keyB", "2026-11-21", "trtc", "payload");
        String a2 = Tc3Signer.signature("keyA", "2026-11-22", "trtc", "payload");
        String a3 = Tc3Signer.signature("keyA", "2026-11-21", "trtc", "payload");

        assertThat(a1).isEqualTo(a3).isEqualTo(independent("keyA", "2026-11-21", "trtc", "payload"));
        assertThat(b).isEqualTo(independent("keyB", "2026-11-21", "trtc", "payload"));
        assertThat(a2).isEqualTo(independent("keyA", "2026-11-22", "trtc", "payload"));
        assertThat(Tc3Signer.signature("keyA", "2026-11-21", "live", "payload"))
                .isEqualTo(independent("keyA", "2026-11-21", "live", "payload"));
    }

    /** The TC3 derivation written out with the JDK alone. */
    private static String independent(String key, String date, String service, String message) throws Exception {
        byte[] k = ("TC3" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String part : new String[] {date, service, "tc3_request", message}) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256"));
            k = mac.doFinal(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(k);
    }

    @Test
    void signature_keysOfRotatedCredentials_areDroppedOnceUnusedForTheIdleTime() {
        long[] now = {System.nanoTime()};
        LongSupplier real = Tc3Signer.clock;
        Tc3Signer.clock = () -> now[0];
        try {
            Tc3Signer.evictIdleKeys(Duration.ZERO);
            String first = Tc3Signer.signature("rotated-0", "2026-01-01", "trtc", "x");
            for (int i = 1; i < 20; i++) {
                Tc3Signer.signature("rotated-" + i, "2026-01-01", "trtc", "x");
            }
            assertThat(Tc3Signer.cachedKeyCount()).isEqualTo(20);

            now[0] += Tc3Signer.KEY_IDLE_TIME.toNanos() - TimeUnit.SECONDS.toNanos(1);
            Tc3Signer.signature("kept", "2026-01-01", "trtc", "x");
            assertThat(Tc3Signer.cachedKeyCount()).as("nothing idle for the idle time yet").isEqualTo(21);

            now[0] += TimeUnit.MINUTES.toNanos(1); // the rotated keys are past the idle time; "kept" is not
            Tc3Signer.signature("kept", "2026-01-01", "trtc", "x");
            assertThat(Tc3Signer.cachedKeyCount()).as("only the key still in use").isEqualTo(1);
            assertThat(Tc3Signer.signature("rotated-0", "2026-01-01", "trtc", "x"))
                    .as("a dropped key is derived again").isEqualTo(first);
            assertThat(Tc3Signer.evictIdleKeys(Duration.ZERO)).isZero();
        } finally {
            Tc3Signer.clock = real;
        }
    }
}
