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
        StringBuilder json = new StringBuilder("{\"code\":").append(status).append(",\"message\":\"");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c >= ' ' && c != 0x7f) {
                json.append(c);
            }
        }
        return new CallbackReply(status, json.append("\"}").toString());
    }

    /** {@return whether the event was accepted (now or before)} */
    public boolean accepted() {
        return status == 200;
    }
}
