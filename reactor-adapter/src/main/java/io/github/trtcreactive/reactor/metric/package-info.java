/**
 * Metric streams: {@link io.github.trtcreactive.reactor.metric.MetricStreams} turns the monitoring
 * actions into live {@code Flux}es of {@link io.github.trtcreactive.reactor.metric.MetricPoint}s.
 */
package io.github.trtcreactive.reactor.metric;
