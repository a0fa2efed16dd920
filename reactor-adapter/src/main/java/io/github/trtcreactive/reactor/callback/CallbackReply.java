package io.github.trtcreactive.reactor.callback;

/**
 * What to answer the service's callback request: 200 with {@code {"code":0}} once the event is
 * safely handed on (or was already), else an error status the service treats as a failure and
 * retries (for up to a minute). The body never echoes the request, its signature or the key.
 *
 * @param status the HTTP status
 * @param body the JSON body (well under the documented 2,000-byte limit of an answer)
 */
public record CallbackReply(int status, String body) {

    static final CallbackReply OK = new CallbackReply(200, "{\"code\":0}");

    static CallbackReply error(int status, String message) {
        return new CallbackReply(status, "{\"code\":" + status + ",\"message\":\"" + message + "\"}");
    }

    /** {@return whether the event was accepted (now or before)} */
    public boolean accepted() {
        return status == 200;
    }
}
