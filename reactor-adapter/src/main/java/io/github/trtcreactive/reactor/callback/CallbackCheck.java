package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.callback.CallbackFormatException;
import io.github.trtcreactive.core.callback.CallbackSignature;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Checks one callback request, in the order that costs an attacker the most: size, signature,
 * shape, then age. Stateless and thread-safe.
 */
final class CallbackCheck {

    private final String key;
    private final int maxBodySize;
    private final Duration maxEventAge;
    private final ReceiverSettings settings;

    CallbackCheck(ReceiverSettings settings) {
        this.settings = settings;
        this.key = settings.key();
        this.maxBodySize = settings.maxBodySize();
        this.maxEventAge = settings.maxEventAge();
    }

    /**
     * The outcome: an event to hand on, or the status and reason to refuse with.
     *
     * @param event the verified event, or null when refused
     * @param status the refusal's status
     * @param reason the refusal's reason, in a few words (never the request's content)
     */
    record Outcome(CallbackEvent event, int status, String reason) {
        static Outcome refuse(int status, String reason) {
            return new Outcome(null, status, reason);
        }
    }

    Outcome check(Map<String, String> rawHeaders, byte[] body) {
        if (body == null || body.length == 0) {
            return Outcome.refuse(400, "empty body");
        }
        if (body.length > maxBodySize) {
            return Outcome.refuse(413, "body over " + maxBodySize + " bytes");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (rawHeaders != null) {
            rawHeaders.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k, v);
                }
            });
        }
        if (key != null && !CallbackSignature.verify(key, body, headers.get("Sign"))) {
            return Outcome.refuse(401, headers.containsKey("Sign") ? "bad signature" : "missing Sign header");
        }
        long app = sdkAppId(headers.get("SdkAppId"));
        if (settings.sdkAppId() != 0 && app != settings.sdkAppId()) {
            return Outcome.refuse(401, "the SdkAppId header does not name this receiver's application");
        }
        CallbackEvent event;
        try {
            event = CallbackEvent.parse(body, app,
                    Instant.ofEpochMilli(settings.scheduler().now(TimeUnit.MILLISECONDS)));
        } catch (CallbackFormatException e) {
            return Outcome.refuse(400, e.getMessage());
        }
        return fresh(event, settings.clock().millis());
    }

    private Outcome fresh(CallbackEvent event, long nowMillis) {
        if (maxEventAge == null) {
            return new Outcome(event, 200, null);
        }
        Instant sent = event.callbackTime();
        if (sent == null) {
            return Outcome.refuse(400, "no CallbackTs or CallbackMsTs: the event's age cannot be checked");
        }
        // Compared this way round so that no timestamp, however extreme, overflows.
        long sentMillis = sent.toEpochMilli();
        if (sentMillis < nowMillis - maxEventAge.toMillis()) {
            return Outcome.refuse(401, "stale event: its CallbackTs is older than the receiver's maxEventAge ("
                    + maxEventAge.toSeconds() + " s)");
        }
        if (sentMillis > nowMillis + ReceiverSettings.FUTURE_TOLERANCE.toMillis()) {
            return Outcome.refuse(401, "its CallbackTs is more than a minute ahead of the receiver's clock");
        }
        return new Outcome(event, 200, null);
    }

    private static long sdkAppId(String header) {
        if (header == null || !header.trim().matches("\\d{1,18}")) {
            return 0;
        }
        return Long.parseLong(header.trim());
    }
}
