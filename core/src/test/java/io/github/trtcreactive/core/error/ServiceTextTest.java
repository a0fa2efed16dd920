package io.github.trtcreactive.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a service's text may not smuggle into a message or a log: line breaks that forge a log line,
 * terminal escape sequences, bidi overrides, broken surrogates, and unbounded length.
 */
class ServiceTextTest {

    /** Characters with no business in a message: each must be gone from the result. */
    private static final String UNSAFE = "\u0000\u0007\u001b\u007f\u0085\u009b\r\n\t\u2028\u2029\u202e\u2066\u200f\u061c";

    @Test
    void sanitize_whenTextHasControlCharacters_replacesEveryOne() {
        String forged = "denied\u001b[31m\r\n2026-01-01 INFO all good\tand\u2028more\u202Egnp.exe";

        String safe = ServiceText.sanitize(forged);

        assertThat(safe).isEqualTo("denied\uFFFD[31m  2026-01-01 INFO all good and more\uFFFDgnp.exe");
        assertThat(ServiceText.sanitize(UNSAFE)).doesNotContainPattern("[\\p{Cntrl}\\u0080-\\u009f\\u2028\\u2029"
                + "\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c]").hasSize(UNSAFE.length());
    }

    @Test
    void sanitize_whenTextIsPlain_keepsIt() {
        assertThat(ServiceText.sanitize("签名过期 (signature expired), see https://cloud.tencent.com 😀"))
                .isEqualTo("签名过期 (signature expired), see https://cloud.tencent.com 😀");
        assertThat(ServiceText.sanitize(null)).isNull();
        assertThat(ServiceText.sanitize("")).isEmpty();
    }

    @Test
    void sanitize_whenTextIsLong_cutsItToTheLimitWithoutSplittingASurrogatePair() {
        assertThat(ServiceText.sanitize("x".repeat(100_000))).hasSize(ServiceText.MAX_LENGTH).endsWith("x…");
        assertThat(ServiceText.sanitize("x".repeat(ServiceText.MAX_LENGTH))).isEqualTo("x".repeat(256));

        String emoji = "x".repeat(ServiceText.MAX_LENGTH - 2) + "😀😀";
        assertThat(ServiceText.sanitize(emoji)).isEqualTo("x".repeat(254) + "…");
        assertThat(ServiceText.sanitize("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
        assertThatThrownBy(() -> ServiceText.sanitize("x", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be at least 2, was 1");
    }

    @Test
    void serviceException_whenTheServiceMessageHasControlCharacters_carriesItSanitizedEverywhere() {
        String reply = "{\"Response\":{\"Error\":{\"Code\":\"FailedOperation\\u001b[2J\",\"Message\":\"room busy\\u001b[31m"
                + "\\nFAKE LOG LINE\\u2028" + "y".repeat(1000) + "\"},\"RequestId\":\"req\\r\\n-1\"}}";

        TrtcServiceException e = catchThrowableOfType(TrtcServiceException.class, () -> TrtcProtocol.decodeTree(
                "DismissRoom", 200, reply.getBytes(StandardCharsets.UTF_8)));

        assertThat(e.getMessage()).doesNotContain("\u001b", "\n", "\r", "\u2028")
                .startsWith("DismissRoom failed with FailedOperation\uFFFD[2J: room busy\uFFFD[31m FAKE LOG LINE y")
                .endsWith("y… (RequestId req  -1, HTTP 200)");
        assertThat(e.errorMessage()).hasSize(ServiceText.MAX_LENGTH).doesNotContain("\u001b", "\n");
        assertThat(e.requestId()).isEqualTo("req  -1");
        assertThat(e.errorCode()).isEqualTo("FailedOperation\uFFFD[2J");
    }

    @Test
    void clientExceptionExcerpt_whenTheBodyHasControlCharacters_isSanitizedToo() {
        TrtcClientException e = catchThrowableOfType(TrtcClientException.class, () -> TrtcProtocol.decodeTree(
                "DismissRoom", 502, "<html>\u001b[2J\nbad\u2028gateway".getBytes(StandardCharsets.UTF_8)));

        assertThat(e.getMessage()).contains("<html>\uFFFD[2J bad gateway").doesNotContain("\u001b", "\n", "\u2028");
    }
}
