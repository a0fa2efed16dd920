package io.github.trtcreactive.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

/** Reads the trace id of an observation's span; only loaded when micrometer-tracing is present. */
final class Traces {

    private Traces() {}

    static String traceId(Observation observation) {
        TracingObservationHandler.TracingContext tracing = observation.getContext()
                .get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        if (span == null || span.isNoop()) {
            return null;
        }
        String id = span.context().traceId();
        return id == null || id.isEmpty() ? null : id;
    }
}
