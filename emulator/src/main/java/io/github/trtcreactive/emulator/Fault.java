package io.github.trtcreactive.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the emulator can inject instead of (or before) its normal answer. Schedule faults with
 * {@link Faults}.
 */
public final class Fault {

    /** What the fault does. */
    public enum Kind {
        /** Wait, then answer normally. */
        DELAY,
        /** Answer with an HTTP error status and a non-JSON body. */
        HTTP_STATUS,
        /** Send the headers and part of the body, then reset the connection. */
        RESET_MID_RESPONSE,
        /** Read the request and never answer. */
        NO_RESPONSE,
        /** Answer HTTP 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** Answer with a service error envelope, without executing the call. */
        SERVICE_ERROR,
        /** Answer normally, but send the body one byte at a time with a pause before each. */
        TRICKLE
    }

    private final Kind kind;
    private final Duration delay;
    private final int status;
    private final String code;
    private final String message;

    private Fault(Kind kind, Duration delay, int status, String code, String message) {
        this.kind = kind;
        this.delay = delay;
        this.status = status;
        this.code = code;
        this.message = message;
    }

    /**
     * Delays the answer.
     *
     * @param delay how long to wait before processing the request normally
     * @return the fault
     */
    public static Fault delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Fault(Kind.DELAY, delay, 0, null, null);
    }

    /**
     * Answers with an HTTP status, such as 502 or 503, and an HTML body.
     *
     * @param status an HTTP status from 400 to 599
     * @return the fault
     */
    public static Fault httpStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), was " + status);
        }
        return new Fault(Kind.HTTP_STATUS, Duration.ZERO, status, null, null);
    }

    /**
     * Answers normally, but slowly: the headers at once, then the body one byte at a time, each after
     * a pause (a reply that never stalls long enough to trip an idle timeout, yet takes long).
     *
     * @param pause the pause before each byte
     * @return the fault
     */
    public static Fault trickle(Duration pause) {
        if (pause.isNegative() || pause.isZero()) {
            throw new IllegalArgumentException("pause must be positive, was " + pause);
        }
        return new Fault(Kind.TRICKLE, pause, 0, null, null);
    }

    /** {@return a fault that resets the connection in the middle of the answer} */
    public static Fault resetMidResponse() {
        return new Fault(Kind.RESET_MID_RESPONSE, Duration.ZERO, 0, null, null);
    }

    /** {@return a fault that never answers (the connection stays open until the client closes it)} */
    public static Fault noResponse() {
        return new Fault(Kind.NO_RESPONSE, Duration.ZERO, 0, null, null);
    }

    /** {@return a fault that answers HTTP 200 with truncated JSON} */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, Duration.ZERO, 0, null, null);
    }

    /**
     * Answers with an error envelope, without executing the call.
     *
     * @param code the error code, for example {@code InternalError}
     * @param message the error message
     * @return the fault
     */
    public static Fault serviceError(String code, String message) {
        return new Fault(Kind.SERVICE_ERROR, Duration.ZERO, 0, Objects.requireNonNull(code, "code"),
                Objects.requireNonNull(message, "message"));
    }

    /** {@return {@code InternalError}, as the service answers when it fails internally} */
    public static Fault internalError() {
        return serviceError("InternalError", "An internal error has occurred. Retry your request.");
    }

    /** {@return {@code RequestLimitExceeded}, as if another client had used up the account's limit} */
    public static Fault requestLimitExceeded() {
        return serviceError("RequestLimitExceeded",
                "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` "
                        + "for a second. Please reduce the frequency of calls.");
    }

    /** {@return what the fault does} */
    public Kind kind() {
        return kind;
    }

    Duration delayDuration() {
        return delay;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String message() {
        return message;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DELAY -> "delay " + delay.toMillis() + " ms";
            case TRICKLE -> "trickle, a byte every " + delay.toMillis() + " ms";
            case HTTP_STATUS -> "HTTP " + status;
            case SERVICE_ERROR -> "error " + code;
            default -> kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }
}
