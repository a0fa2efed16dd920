package io.github.trtcreactive.core.signer;

import io.github.trtcreactive.core.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TC3-HMAC-SHA256 signature of Tencent Cloud API 3.0, as pure functions: the same inputs always
 * give the same headers. Only {@code content-type} and {@code host} are signed, as the service's own
 * SDKs do; the date in the credential scope is the UTC date of the timestamp.
 */
public final class Tc3Signer {

    /** The algorithm name that starts the Authorization header and the string to sign. */
    public static final String ALGORITHM = "TC3-HMAC-SHA256";

    /** The headers every request signs. */
    public static final String SIGNED_HEADERS = "content-type;host";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC_SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });

    /**
     * The signing key last derived. It depends only on the secret key, the date and the service, so
     * three of the four HMACs of a signature are done once a day per account, not once per call.
     * Holds secret material: no toString.
     */
    private static final class SigningKey {
        final String secretKey;
        final String date;
        final String service;
        final byte[] key;
        /** When it last signed, by {@link #clock}. */
        volatile long lastUsed;

        SigningKey(String secretKey, String date, String service, byte[] key) {
            this.secretKey = secretKey;
            this.date = date;
            this.service = service;
            this.key = key;
        }

        boolean isFor(String secretKey, String date, String service) {
            return this.date.equals(date) && this.service.equals(service) && this.secretKey.equals(secretKey);
        }
    }

    /**
     * The signing keys last derived, per secret key and service (a process may sign for several
     * accounts); cleared when it grows past {@link #MAX_KEYS}, so it stays small whatever happens, and
     * rid of keys unused for {@link #KEY_IDLE_TIME}, so the derived keys of rotated credentials do
     * not stay in memory.
     */
    private static final ConcurrentHashMap<String, SigningKey> KEYS = new ConcurrentHashMap<>();
    private static final int MAX_KEYS = 64;

    /**
     * How long a derived signing key may go unused before the signer drops it (10 minutes). The
     * signer looks for such keys at most once a minute, as it signs; {@link #evictIdleKeys(Duration)}
     * drops them at once.
     */
    public static final Duration KEY_IDLE_TIME = Duration.ofMinutes(10);
    private static final long SWEEP_EVERY = TimeUnit.MINUTES.toNanos(1);
    private static final AtomicLong LAST_SWEEP = new AtomicLong(System.nanoTime());
    /** The clock of last uses; replaced by this package's tests only. */
    static volatile LongSupplier clock = System::nanoTime;

    /** A UTC day and its {@code yyyy-MM-dd}. */
    private record Day(long epochDay, String text) {}

    private static volatile Day lastDay;

    private Tc3Signer() {}

    /**
     * Signs one POST request.
     *
     * @param credentials the key pair (and token) to sign with
     * @param service the service in the credential scope, {@code trtc} for TRTC
     * @param host the Host header exactly as sent, with the port when it is not the scheme's default
     * @param timestamp the Unix time in seconds sent as {@code X-TC-Timestamp}
     * @param contentType the Content-Type exactly as sent
     * @param payload the body bytes exactly as sent
     * @return the signature, its intermediate values and the headers to send
     */
    public static Tc3Signature sign(Credentials credentials, String service, String host, long timestamp,
            String contentType, byte[] payload) {
        Objects.requireNonNull(credentials, "credentials");
        String date = date(timestamp);
        String canonical = canonicalRequest("POST", "", contentType, host, payload);
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonical);
        String signature = signature(credentials.secretKey(), date, service, stringToSign);
        String authorization = ALGORITHM + " Credential=" + credentials.secretId() + "/" + scope
                + ", SignedHeaders=" + SIGNED_HEADERS + ", Signature=" + signature;
        return new Tc3Signature(canonical, stringToSign, signature, authorization, timestamp, contentType, host,
                credentials.sessionToken().orElse(null));
    }

    /**
     * Builds the canonical request for the two signed headers.
     *
     * @param method {@code POST} or {@code GET}
     * @param query the canonical query string, empty for POST
     * @param contentType the Content-Type as sent
     * @param host the Host as sent
     * @param payload the body bytes
     * @return the canonical request
     */
    public static String canonicalRequest(String method, String query, String contentType, String host,
            byte[] payload) {
        return method + "\n/\n" + query + "\n"
                + "content-type:" + contentType.strip().toLowerCase(Locale.ROOT) + "\n"
                + "host:" + host.strip().toLowerCase(Locale.ROOT) + "\n\n"
                + SIGNED_HEADERS + "\n" + sha256Hex(payload);
    }

    /**
     * Derives the signing key from the secret key and signs the string to sign.
     *
     * @param secretKey the SecretKey
     * @param date the UTC date of the credential scope, {@code yyyy-MM-dd}
     * @param service the service of the credential scope
     * @param stringToSign the string to sign
     * @return the lower-case hex signature
     */
    public static String signature(String secretKey, String date, String service, String stringToSign) {
        long now = clock.getAsLong();
        SigningKey signing = KEYS.get(secretKey);
        if (signing == null || !signing.isFor(secretKey, date, service)) {
            byte[] secretDate = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
            byte[] secretService = hmac(secretDate, service);
            signing = new SigningKey(secretKey, date, service, hmac(secretService, "tc3_request"));
            signing.lastUsed = now;
            if (KEYS.size() >= MAX_KEYS) {
                KEYS.clear();
            }
            KEYS.put(secretKey, signing);
        }
        signing.lastUsed = now;
        long last = LAST_SWEEP.get();
        if (now - last >= SWEEP_EVERY && LAST_SWEEP.compareAndSet(last, now)) {
            dropUnusedSince(now - KEY_IDLE_TIME.toNanos());
        }
        return HEX.formatHex(hmac(signing.key, stringToSign));
    }

    /**
     * Drops the derived signing keys unused for at least a given time (the signer does so by itself
     * for keys unused for {@link #KEY_IDLE_TIME}); a key dropped is derived again when next needed.
     * Non-blocking: it visits at most a few dozen keys.
     *
     * @param idle how long a key must have gone unused; zero drops every key
     * @return how many keys remain
     * @throws IllegalArgumentException when {@code idle} is negative
     */
    public static int evictIdleKeys(Duration idle) {
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle must not be negative, was " + idle);
        }
        dropUnusedSince(clock.getAsLong() - idle.toNanos());
        return KEYS.size();
    }

    /** {@return how many derived signing keys the signer holds now, for tests and observability} */
    public static int cachedKeyCount() {
        return KEYS.size();
    }

    private static void dropUnusedSince(long since) {
        KEYS.values().removeIf(k -> k.lastUsed - since <= 0);
    }

    /**
     * The UTC date of a timestamp, as the credential scope writes it.
     *
     * @param timestamp Unix seconds
     * @return {@code yyyy-MM-dd}
     */
    public static String date(long timestamp) {
        long epochDay = Math.floorDiv(timestamp, 86_400L);
        Day day = lastDay;
        if (day == null || day.epochDay() != epochDay) {
            day = new Day(epochDay, DATE.format(Instant.ofEpochSecond(timestamp)));
            lastDay = day;
        }
        return day.text();
    }

    /**
     * The lower-case hex SHA-256 of a string's UTF-8 bytes.
     *
     * @param text the text
     * @return the digest
     */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The lower-case hex SHA-256 of some bytes.
     *
     * @param bytes the bytes
     * @return the digest
     */
    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(SHA_256.get().digest(bytes));
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = HMAC_SHA_256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 key rejected", e);
        }
    }
}
