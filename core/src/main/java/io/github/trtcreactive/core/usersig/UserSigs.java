package io.github.trtcreactive.core.usersig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Generates and verifies UserSigs (version 2.0) for one application: its SDKAppID and the secret
 * key the application's UserSigs are signed with (not the API SecretKey). The clock is injectable so
 * expiry can be tested. Thread-safe.
 */
public final class UserSigs {

    private static final int MAX_SIG_LENGTH = 16 * 1024;

    private final long sdkAppId;
    private final byte[] appKey;
    private final Clock clock;

    private UserSigs(long sdkAppId, String appKey, Clock clock) {
        if (sdkAppId <= 0) {
            throw new IllegalArgumentException("sdkAppId must be positive, was " + sdkAppId);
        }
        if (Objects.requireNonNull(appKey, "appKey").isEmpty()) {
            throw new IllegalArgumentException("appKey must not be empty");
        }
        this.sdkAppId = sdkAppId;
        this.appKey = appKey.getBytes(StandardCharsets.UTF_8);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * UserSigs of one application, timed by the system clock.
     *
     * @param sdkAppId the application's SDKAppID
     * @param appKey the application's UserSig secret key
     * @return the generator and verifier
     */
    public static UserSigs of(long sdkAppId, String appKey) {
        return new UserSigs(sdkAppId, appKey, Clock.systemUTC());
    }

    /**
     * The same application, timed by another clock.
     *
     * @param clock the clock
     * @return a new instance
     */
    public UserSigs withClock(Clock clock) {
        return new UserSigs(sdkAppId, new String(appKey, StandardCharsets.UTF_8), clock);
    }

    /** {@return the SDKAppID} */
    public long sdkAppId() {
        return sdkAppId;
    }

    /**
     * Generates a UserSig for a user.
     *
     * @param userId the user (identifier) the ticket is for
     * @param validity how long it stays valid, at least one second
     * @return the UserSig
     */
    public String generate(String userId, Duration validity) {
        return sign(userId, validity, null);
    }

    /**
     * Generates a PrivateMapKey: a UserSig carrying which room the user may enter and with which
     * privileges.
     *
     * @param userId the user
     * @param roomId the numeric room, or 0 with a string room
     * @param strRoomId the string room, or {@code null} for a numeric room
     * @param privileges the privilege bits ({@code 255} grants all)
     * @param validity how long it stays valid
     * @return the PrivateMapKey
     */
    public String generatePrivateMapKey(String userId, long roomId, String strRoomId, int privileges,
            Duration validity) {
        long expiry = clock.instant().getEpochSecond() + validity.toSeconds();
        return sign(userId, validity, privilegeBuffer(userId, roomId, strRoomId, privileges, expiry));
    }

    private String sign(String userId, Duration validity, byte[] userBuf) {
        Objects.requireNonNull(userId, "userId");
        if (validity.toSeconds() < 1) {
            throw new IllegalArgumentException("validity must be at least one second, was " + validity);
        }
        long now = clock.instant().getEpochSecond();
        long expire = validity.toSeconds();
        String buf = userBuf == null ? null : Base64.getEncoder().encodeToString(userBuf);
        ObjectNode json = TrtcProtocol.mapper().createObjectNode()
                .put("TLS.ver", "2.0")
                .put("TLS.identifier", userId)
                .put("TLS.sdkappid", sdkAppId)
                .put("TLS.expire", expire)
                .put("TLS.time", now);
        if (buf != null) {
            json.put("TLS.userbuf", buf);
        }
        json.put("TLS.sig", hmac(userId, now, expire, buf));
        return encode(deflate(json.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks a UserSig presented for a user.
     *
     * @param userId the user the request says the ticket belongs to
     * @param userSig the ticket
     * @return the outcome; only {@link UserSigCheck#VALID} is acceptable
     */
    public UserSigCheck verify(String userId, String userSig) {
        JsonNode json = decode(userSig);
        if (json == null || !json.path("TLS.sig").isTextual() || !json.path("TLS.time").canConvertToLong()
                || !json.path("TLS.expire").canConvertToLong()) {
            return UserSigCheck.MALFORMED;
        }
        if (!json.path("TLS.identifier").asText().equals(userId)) {
            return UserSigCheck.IDENTIFIER_MISMATCH;
        }
        if (json.path("TLS.sdkappid").asLong() != sdkAppId) {
            return UserSigCheck.SDK_APP_ID_MISMATCH;
        }
        long time = json.get("TLS.time").asLong();
        long expire = json.get("TLS.expire").asLong();
        String buf = json.has("TLS.userbuf") ? json.get("TLS.userbuf").asText() : null;
        byte[] expected = hmac(userId, time, expire, buf).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, json.get("TLS.sig").asText().getBytes(StandardCharsets.US_ASCII))) {
            return UserSigCheck.SIGNATURE_MISMATCH;
        }
        return clock.instant().getEpochSecond() > time + expire ? UserSigCheck.EXPIRED : UserSigCheck.VALID;
    }

    /**
     * Checks a PrivateMapKey presented for a user entering a room: a ticket signed like a UserSig
     * whose privilege map names this user and this room and has not expired.
     *
     * @param userId the user the request says the ticket belongs to
     * @param privateMapKey the ticket
     * @param roomId the numeric room, or 0 for a string room
     * @param strRoomId the string room, or {@code null} for a numeric room
     * @return the outcome; only {@link UserSigCheck#VALID} is acceptable
     */
    public UserSigCheck verifyPrivateMapKey(String userId, String privateMapKey, long roomId, String strRoomId) {
        UserSigCheck signature = verify(userId, privateMapKey);
        if (signature != UserSigCheck.VALID) {
            return signature;
        }
        JsonNode json = decode(privateMapKey);
        byte[] buf;
        try {
            buf = Base64.getDecoder().decode(json.path("TLS.userbuf").asText(""));
        } catch (IllegalArgumentException e) {
            return UserSigCheck.MALFORMED;
        }
        byte[] expected = privilegeBuffer(userId, roomId, strRoomId, 0, 0);
        // Same layout: compare all but the expiry and privilege words, then check the expiry.
        int account = userId.getBytes(StandardCharsets.UTF_8).length;
        int roomEnd = 1 + 2 + account + 4 + 4;
        if (buf.length != expected.length || buf[0] != expected[0]
                || !java.util.Arrays.equals(buf, 0, roomEnd, expected, 0, roomEnd)
                || !java.util.Arrays.equals(buf, roomEnd + 12, buf.length, expected, roomEnd + 12, expected.length)) {
            return UserSigCheck.ROOM_MISMATCH;
        }
        long expiry = Integer.toUnsignedLong(ByteBuffer.wrap(buf, roomEnd, 4).getInt());
        return clock.instant().getEpochSecond() > expiry ? UserSigCheck.EXPIRED : UserSigCheck.VALID;
    }

    private String hmac(String userId, long time, long expire, String userBuf) {
        String content = "TLS.identifier:" + userId + "\n" + "TLS.sdkappid:" + sdkAppId + "\n" + "TLS.time:" + time
                + "\n" + "TLS.expire:" + expire + "\n" + (userBuf == null ? "" : "TLS.userbuf:" + userBuf + "\n");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The PrivateMapKey buffer: big-endian fields as the privilege-map format lays them out. */
    byte[] privilegeBuffer(String userId, long roomId, String strRoomId, int privileges, long expiry) {
        byte[] account = userId.getBytes(StandardCharsets.UTF_8);
        byte[] room = strRoomId == null ? new byte[0] : strRoomId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + account.length + 5 * 4 + (strRoomId == null ? 0 : 2 + room.length));
        b.put((byte) (strRoomId == null ? 0 : 1));
        b.putShort((short) account.length).put(account);
        b.putInt((int) sdkAppId);
        b.putInt((int) roomId);
        b.putInt((int) expiry);
        b.putInt(privileges);
        b.putInt(0); // account type
        if (strRoomId != null) {
            b.putShort((short) room.length).put(room);
        }
        return b.array();
    }

    private static String encode(byte[] compressed) {
        return Base64.getEncoder().encodeToString(compressed).replace('+', '*').replace('/', '-').replace('=', '_');
    }

    private static JsonNode decode(String userSig) {
        if (userSig == null || userSig.isEmpty() || userSig.length() > MAX_SIG_LENGTH) {
            return null;
        }
        try {
            byte[] compressed = Base64.getDecoder().decode(
                    userSig.replace('*', '+').replace('-', '/').replace('_', '='));
            return TrtcProtocol.mapper().readTree(inflate(compressed));
        } catch (IllegalArgumentException | DataFormatException | java.io.IOException e) {
            return null;
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated");
                }
                out.write(chunk, 0, n);
                if (out.size() > 64 * 1024) {
                    throw new DataFormatException("too large");
                }
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
