package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcTimeoutException;

/**
 * The names and key values of the observations, following OpenTelemetry's RPC and HTTP client
 * conventions where they map.
 *
 * <table>
 * <caption>trtc.client.call (one per logical call)</caption>
 * <tr><th>key</th><th>cardinality</th><th>value</th></tr>
 * <tr><td>trtc.action (and rpc.method)</td><td>low</td><td>the action</td></tr>
 * <tr><td>trtc.region</td><td>low</td><td>the region signed for</td></tr>
 * <tr><td>rpc.system, rpc.service</td><td>low</td><td>{@code tencentcloud}, {@code trtc}</td></tr>
 * <tr><td>trtc.priority</td><td>low</td><td>interactive or background</td></tr>
 * <tr><td>outcome</td><td>low</td><td>success, service_error, client_error, timeout, rate_limited, cancelled</td></tr>
 * <tr><td>error.code</td><td>low</td><td>the service's error code, the error's class for others, or {@code none}</td></tr>
 * <tr><td>trtc.request_id</td><td>high</td><td>the service's RequestId of the last attempt</td></tr>
 * <tr><td>trtc.attempts</td><td>high</td><td>how many attempts were made</td></tr>
 * </table>
 *
 * <p>{@code trtc.client.attempt} (a child per attempt) has {@code trtc.action},
 * {@code http.request.method} (POST), {@code server.address}, {@code server.port},
 * {@code http.response.status_code} (0 without a reply), {@code outcome} and {@code error.code}
 * low-cardinality, and {@code trtc.request_id} and {@code trtc.attempt} high-cardinality.
 */
public final class CallObservations {

    /** The observation of a logical call. */
    public static final String CALL = "trtc.client.call";
    /** The observation of one attempt. */
    public static final String ATTEMPT = "trtc.client.attempt";

    private CallObservations() {}

    /**
     * The outcome of an ended call or attempt.
     *
     * @param error null on success
     * @return the outcome's key value
     */
    static String outcome(Throwable error) {
        if (error == null) {
            return "success";
        }
        if (error instanceof TrtcRateLimitException) {
            return "rate_limited";
        }
        if (error instanceof TrtcTimeoutException) {
            return "timeout";
        }
        if (error instanceof TrtcServiceException) {
            return "service_error";
        }
        return "client_error";
    }

    /**
     * The error code of an error: the service's, else the error's simple class name.
     *
     * @param error null on success
     * @return the code, or {@code none}
     */
    static String errorCode(Throwable error) {
        if (error == null) {
            return "none";
        }
        if (error instanceof TrtcServiceException s) {
            return s.errorCode();
        }
        return error.getClass().getSimpleName();
    }
}
