package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One request the emulator received, for assertions in tests. Secrets are already redacted: the
 * Authorization and X-TC-Token headers and every secret member of the body read {@code ***}.
 *
 * @param action the X-TC-Action header, or {@code null}
 * @param headers the received headers, names in lower case, secrets redacted
 * @param body the JSON body with secret members redacted, or {@code null} when it was not JSON
 * @param receivedAt when it arrived, by the emulator's clock
 * @param requestId the RequestId the emulator answered with, or {@code null} when it did not answer
 * @param errorCode the error code it answered with, or {@code null} for success or no answer
 * @param fault the injected fault, or {@code null}
 */
public record RecordedRequest(String action, Map<String, String> headers, JsonNode body, Instant receivedAt,
        String requestId, String errorCode, String fault) {

    /**
     * A received header.
     *
     * @param name the header name, any case
     * @return its value, or {@code null}
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** {@return whether the emulator answered with a success envelope} */
    public boolean succeeded() {
        return requestId != null && errorCode == null;
    }
}
