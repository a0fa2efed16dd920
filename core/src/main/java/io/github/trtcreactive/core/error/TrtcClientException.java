package io.github.trtcreactive.core.error;

import java.util.OptionalInt;

/**
 * The call failed on our side of the envelope: the connection failed, the reply was not a TRTC
 * envelope, or it could not be decoded. Carries the HTTP status and a short excerpt of the body
 * when there was a reply.
 */
public class TrtcClientException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /** The action called. */
    private final String action;
    /** The reply's HTTP status, or 0 when none came. */
    private final int httpStatus;
    /** The start of the reply's body, or empty. */
    private final String bodyExcerpt;
    /** Whether the request may have reached the service. */
    private final boolean requestSent;

    /**
     * Creates the exception.
     *
     * @param action the action that was called
     * @param message what happened
     * @param httpStatus the HTTP status, or {@code -1} when no reply arrived
     * @param bodyExcerpt the start of the reply body, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public TrtcClientException(String action, String message, int httpStatus, String bodyExcerpt, Throwable cause) {
        this(action, message, httpStatus, bodyExcerpt, cause, httpStatus >= 0);
    }

    /**
     * Creates the exception, saying whether the request had been written.
     *
     * @param action the action that was called
     * @param message what happened
     * @param httpStatus the HTTP status, or {@code -1} when no reply arrived
     * @param bodyExcerpt the start of the reply body, or {@code null}
     * @param cause the underlying failure, or {@code null}
     * @param requestSent whether the request was written (so the service may have executed it)
     */
    public TrtcClientException(String action, String message, int httpStatus, String bodyExcerpt, Throwable cause,
            boolean requestSent) {
        super(describe(action, message, httpStatus, bodyExcerpt), cause);
        this.action = action;
        this.httpStatus = httpStatus;
        this.bodyExcerpt = bodyExcerpt;
        this.requestSent = requestSent;
    }

    private static String describe(String action, String message, int status, String excerpt) {
        StringBuilder text = new StringBuilder(action).append(": ").append(message);
        if (status >= 0) {
            text.append(" (HTTP ").append(status).append(')');
        }
        if (excerpt != null && !excerpt.isEmpty()) {
            text.append("; body starts with: ").append(excerpt);
        }
        return text.toString();
    }

    /** {@return the action that was called} */
    public String action() {
        return action;
    }

    /** {@return the HTTP status of the reply, empty when no reply arrived} */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /**
     * Whether the request had been written when the call failed. If so, and no envelope came back,
     * the service may or may not have executed it: the outcome is unknown.
     *
     * @return whether the request was sent
     */
    public boolean requestSent() {
        return requestSent;
    }

    /** {@return the start of the reply body (at most a few hundred characters), or {@code null}} */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
