package io.github.trtcreactive.reactor.observe;

import io.github.trtcreactive.reactor.ratelimit.CallPriority;

/**
 * What a call is: the low-cardinality facts a metric may be tagged with.
 *
 * @param action the action, for example {@code DescribeCloudRecording}
 * @param region the region the call is signed for
 * @param serverAddress the endpoint's host
 * @param serverPort the endpoint's port
 * @param priority interactive or background
 */
public record CallInfo(String action, String region, String serverAddress, int serverPort, CallPriority priority) {}
