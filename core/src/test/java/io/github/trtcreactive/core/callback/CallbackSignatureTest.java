package io.github.trtcreactive.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The callback signature against the documentation's test vector. */
class CallbackSignatureTest {

    /** The documented event 204 body: pretty-printed with real newlines and tabs, 207 bytes. */
    static final String VECTOR_BODY = "{\n" + "\t\"EventGroupId\":\t2,\n" + "\t\"EventType\":\t204,\n"
            + "\t\"CallbackTs\":\t1664209748188,\n" + "\t\"EventInfo\":\t{\n" + "\t\t\"RoomId\":\t8489,\n"
            + "\t\t\"EventTs\":\t1664209748,\n" + "\t\t\"EventMsTs\":\t1664209748180,\n"
            + "\t\t\"UserId\":\t\"user_85034614\",\n" + "\t\t\"Reason\":\t0\n" + "\t}\n" + "}";
    static final String VECTOR_KEY = "123654";
    static final String VECTOR_SIGN = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";

    @Test
    void theDocumentedVector_verifies() throws Exception {
        byte[] body = VECTOR_BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(207);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                .isEqualTo("4c4c52193bebe962a47d3736aec7a27e81fba536f3a8ecfa04ba306b0edcb2f6");

        assertThat(CallbackSignature.sign(VECTOR_KEY, body)).isEqualTo(VECTOR_SIGN);
        assertThat(CallbackSignature.verify(VECTOR_KEY, body, VECTOR_SIGN)).isTrue();
    }

    @Test
    void aCompactReSerialisation_anotherKey_oraMissingOrAlteredSign_doNotVerify() {
        byte[] compact = ("{\"EventGroupId\":2,\"EventType\":204,\"CallbackTs\":1664209748188,\"EventInfo\":"
                + "{\"RoomId\":8489,\"EventTs\":1664209748,\"EventMsTs\":1664209748180,\"UserId\":\"user_85034614\","
                + "\"Reason\":0}}").getBytes(StandardCharsets.UTF_8);
        byte[] body = VECTOR_BODY.getBytes(StandardCharsets.UTF_8);

        assertThat(CallbackSignature.sign(VECTOR_KEY, compact)).isEqualTo("anzyZII7pPNA7OhLIykuCYYviTmAgduUch5n7HSFggc=");
        assertThat(CallbackSignature.verify(VECTOR_KEY, compact, VECTOR_SIGN)).isFalse();
        assertThat(CallbackSignature.verify("123655", body, VECTOR_SIGN)).isFalse();
        assertThat(CallbackSignature.verify(VECTOR_KEY, body, null)).isFalse();
        assertThat(CallbackSignature.verify(VECTOR_KEY, body, "")).isFalse();
        assertThat(CallbackSignature.verify(VECTOR_KEY, body, VECTOR_SIGN.replace('k', 'K'))).isFalse();
    }

    @Test
    void theSecondDocumentedBody_signsAsComputedIndependently() {
        String body = "{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t101,\n\t\"CallbackTs\":\t1608086882372,\n"
                + "\t\"EventInfo\":\t{\n\t\t\"RoomId\":\t20222,\n\t\t\"EventTs\":\t1608086882,\n"
                + "\t\t\"UserId\":\t\"222222_phone\"\n\t}\n}";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(162);
        assertThat(CallbackSignature.sign("789", body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("t2Yq1R4wilV/RIMRyygkgdhxWO8dgTdXXrfNVtz7V3k=");
    }

    @Test
    void aKeyOutsideTheConsolesRule_isRefused_withoutRepeatingIt() {
        assertThat(CallbackSignature.checkKey("abcDEF123")).isEqualTo("abcDEF123");
        assertThatThrownBy(() -> CallbackSignature.checkKey("with-a-dash"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 32 letters and digits").hasMessageNotContaining("with-a-dash");
        assertThatThrownBy(() -> CallbackSignature.checkKey("a".repeat(33))).hasMessageContaining("33 characters");
        assertThatThrownBy(() -> CallbackSignature.checkKey("")).isInstanceOf(IllegalArgumentException.class);
    }
}
