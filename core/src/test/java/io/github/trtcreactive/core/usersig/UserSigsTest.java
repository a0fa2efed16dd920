package io.github.trtcreactive.core.usersig;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class UserSigsTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);
    private final UserSigs sigs = UserSigs.of(1400188366L, "app-secret-key").withClock(Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void generateThenVerify_isValidUntilExpiry() {
        String sig = sigs.generate("robot-1", Duration.ofHours(1));

        assertThat(sig).doesNotContain("+", "/", "=");
        assertThat(sigs.verify("robot-1", sig)).isEqualTo(UserSigCheck.VALID);
        UserSigs later = sigs.withClock(Clock.fixed(T0.plusSeconds(3601), ZoneOffset.UTC));
        assertThat(later.verify("robot-1", sig)).isEqualTo(UserSigCheck.EXPIRED);
        assertThat(sigs.withClock(Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC)).verify("robot-1", sig))
                .isEqualTo(UserSigCheck.VALID);
    }

    @Test
    void verify_acceptsASigMadeByAnotherImplementation() {
        // Made outside Java (Python hmac, json and zlib at level 9, other key order) for robot-py at T0, valid one day.
        String foreign = "eNqrVgrxCdYrzkxXslJKMysOSPUqS8os90tOSXKyCAvyjggqdMtKDU6L8HZPMUtxNUoritLPMDfPtlXSAWssycxNVbIyNDeA"
                + "AohoakVBZhFQ3MLMBCaUmZKaV5KZlplaBLSoKD8pv0S3oBJqSHFKdmJBQWYK0CCgekMLC2MzM4hMGVi5kZ6BUi0ALkYyJg__";

        assertThat(sigs.verify("robot-py", foreign)).isEqualTo(UserSigCheck.VALID);
        assertThat(sigs.withClock(Clock.fixed(T0.plusSeconds(86401), ZoneOffset.UTC)).verify("robot-py", foreign))
                .isEqualTo(UserSigCheck.EXPIRED);
    }

    @Test
    void verify_distinguishesEveryFailure() {
        String sig = sigs.generate("robot-1", Duration.ofHours(1));

        assertThat(sigs.verify("robot-2", sig)).isEqualTo(UserSigCheck.IDENTIFIER_MISMATCH);
        assertThat(UserSigs.of(1400000001L, "app-secret-key").verify("robot-1", sig))
                .isEqualTo(UserSigCheck.SDK_APP_ID_MISMATCH);
        assertThat(UserSigs.of(1400188366L, "another-key").verify("robot-1", sig))
                .isEqualTo(UserSigCheck.SIGNATURE_MISMATCH);
        assertThat(sigs.verify("robot-1", "not a sig")).isEqualTo(UserSigCheck.MALFORMED);
        assertThat(sigs.verify("robot-1", "")).isEqualTo(UserSigCheck.MALFORMED);
        assertThat(sigs.verify("robot-1", sig.substring(0, sig.length() / 2))).isEqualTo(UserSigCheck.MALFORMED);
    }

    @Test
    void generate_producesTheDocumentedJson() throws Exception {
        String sig = sigs.generate("robot-1", Duration.ofSeconds(600));

        var json = TrtcProtocol.mapper().readTree(inflate(sig));
        assertThat(json.get("TLS.ver").asText()).isEqualTo("2.0");
        assertThat(json.get("TLS.sdkappid").asLong()).isEqualTo(1400188366L);
        assertThat(json.get("TLS.time").asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(json.get("TLS.expire").asLong()).isEqualTo(600);
        assertThat(json.has("TLS.userbuf")).isFalse();
    }

    @Test
    void privateMapKey_carriesRoomPrivilegesAndExpiry() throws Exception {
        String key = sigs.generatePrivateMapKey("robot-1", 0, "room-a", 255, Duration.ofSeconds(300));

        assertThat(sigs.verify("robot-1", key)).isEqualTo(UserSigCheck.VALID);
        byte[] buf = Base64.getDecoder().decode(TrtcProtocol.mapper().readTree(inflate(key)).get("TLS.userbuf").asText());
        ByteBuffer b = ByteBuffer.wrap(buf);
        assertThat(b.get()).isEqualTo((byte) 1);
        byte[] account = new byte[b.getShort()];
        b.get(account);
        assertThat(new String(account, StandardCharsets.UTF_8)).isEqualTo("robot-1");
        assertThat(b.getInt()).isEqualTo((int) 1400188366L);
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isEqualTo((int) (T0.getEpochSecond() + 300));
        assertThat(b.getInt()).isEqualTo(255);
        assertThat(b.getInt()).isZero();
        byte[] room = new byte[b.getShort()];
        b.get(room);
        assertThat(new String(room, StandardCharsets.UTF_8)).isEqualTo("room-a");
        assertThat(b.hasRemaining()).isFalse();
    }

    private static byte[] inflate(String sig) throws Exception {
        byte[] data = Base64.getDecoder().decode(sig.replace('*', '+').replace('-', '/').replace('_', '='));
        Inflater inflater = new Inflater();
        inflater.setInput(data);
        byte[] out = new byte[4096];
        int n = inflater.inflate(out);
        inflater.end();
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void verifyPrivateMapKey_acceptsOnlyTheGrantedUserAndRoom_untilItExpires() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        UserSigs sigs = UserSigs.of(1400000001L, "app-key").withClock(Clock.fixed(t0, ZoneOffset.UTC));
        String numeric = sigs.generatePrivateMapKey("robot", 1001, null, 255, Duration.ofMinutes(10));
        String named = sigs.generatePrivateMapKey("robot", 0, "lobby", 255, Duration.ofMinutes(10));

        assertThat(sigs.verifyPrivateMapKey("robot", numeric, 1001, null)).isEqualTo(UserSigCheck.VALID);
        assertThat(sigs.verifyPrivateMapKey("robot", numeric, 1002, null)).isEqualTo(UserSigCheck.ROOM_MISMATCH);
        assertThat(sigs.verifyPrivateMapKey("robot", numeric, 0, "1001")).isEqualTo(UserSigCheck.ROOM_MISMATCH);
        assertThat(sigs.verifyPrivateMapKey("robot", named, 0, "lobby")).isEqualTo(UserSigCheck.VALID);
        assertThat(sigs.verifyPrivateMapKey("robot", named, 0, "lobby2")).isEqualTo(UserSigCheck.ROOM_MISMATCH);
        assertThat(sigs.verifyPrivateMapKey("other", numeric, 1001, null)).isEqualTo(UserSigCheck.IDENTIFIER_MISMATCH);
        assertThat(sigs.verifyPrivateMapKey("robot", sigs.generate("robot", Duration.ofMinutes(10)), 1001, null))
                .as("a plain UserSig grants no room").isEqualTo(UserSigCheck.ROOM_MISMATCH);
        assertThat(sigs.withClock(Clock.fixed(t0.plusSeconds(601), ZoneOffset.UTC))
                .verifyPrivateMapKey("robot", numeric, 1001, null)).isEqualTo(UserSigCheck.EXPIRED);
    }
}
