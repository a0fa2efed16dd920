package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.observe.AttemptObservation;
import io.github.trtcreactive.reactor.observe.CallInfo;
import io.github.trtcreactive.reactor.observe.CallObservation;
import io.github.trtcreactive.reactor.observe.CallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import reactor.util.context.ContextView;

/**
 * The call observer on Micrometer's Observation API: an observation per call, the child of the
 * observation the caller's Reactor Context carries (or of the current one), and one child per
 * attempt. With micrometer-tracing on the class path, each attempt sends its trace id as
 * {@code X-TC-TraceId}.
 */
final class MicrometerCallObserver implements CallObserver {

    private static final boolean TRACING = present("io.micrometer.tracing.handler.TracingObservationHandler");

    private final ObservationRegistry registry;

    MicrometerCallObserver(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CallObservation start(CallInfo call, ContextView context) {
        if (registry.isNoop()) {
            return CallObservation.NONE;
        }
        Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (parent == null) {
            parent = registry.getCurrentObservation();
        }
        Observation observation = Observation.createNotStarted(CallObservations.CALL, registry)
                .contextualName("trtc " + call.action())
                .parentObservation(parent)
                .lowCardinalityKeyValue("trtc.action", call.action())
                .lowCardinalityKeyValue("rpc.method", call.action())
                .lowCardinalityKeyValue("rpc.system", "tencentcloud")
                .lowCardinalityKeyValue("rpc.service", "trtc")
                .lowCardinalityKeyValue("trtc.region", call.region())
                .lowCardinalityKeyValue("trtc.priority", call.priority().name().toLowerCase(Locale.ROOT))
                .start();
        return new Call(observation, call);
    }

    private final class Call implements CallObservation {
        private final Observation observation;
        private final CallInfo call;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        Call(Observation observation, CallInfo call) {
            this.observation = observation;
            this.call = call;
        }

        @Override
        public void permitGranted(Duration waited) {
            observation.event(Observation.Event.of("trtc.permit", "permit granted after " + waited.toMillis() + " ms"));
        }

        @Override
        public AttemptObservation attempt(int number) {
            Observation attempt = Observation.createNotStarted(CallObservations.ATTEMPT, registry)
                    .contextualName("POST " + call.action())
                    .parentObservation(observation)
                    .lowCardinalityKeyValue("trtc.action", call.action())
                    .lowCardinalityKeyValue("http.request.method", "POST")
                    .lowCardinalityKeyValue("server.address", call.serverAddress())
                    .lowCardinalityKeyValue("server.port", Integer.toString(call.serverPort()))
                    .highCardinalityKeyValue("trtc.attempt", Integer.toString(number))
                    .start();
            return new Attempt(attempt);
        }

        @Override
        public void succeeded(String requestId, int attempts) {
            end(null, requestId, attempts, "success");
        }

        @Override
        public void failed(Throwable error, String requestId, int attempts) {
            end(error, requestId, attempts, CallObservations.outcome(error));
        }

        @Override
        public void cancelled(int attempts) {
            end(null, null, attempts, "cancelled");
        }

        private void end(Throwable error, String requestId, int attempts, String outcome) {
            if (!ended.compareAndSet(false, true)) {
                return; // the first end is the call's (a cancel after an error changes nothing)
            }
            observation.lowCardinalityKeyValue("outcome", outcome)
                    .lowCardinalityKeyValue("error.code", CallObservations.errorCode(error))
                    .highCardinalityKeyValue("trtc.request_id", requestId == null ? "none" : requestId)
                    .highCardinalityKeyValue("trtc.attempts", Integer.toString(attempts));
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
    }

    private static final class Attempt implements AttemptObservation {
        private final Observation observation;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        Attempt(Observation observation) {
            this.observation = observation;
        }

        @Override
        public Map<String, String> requestHeaders() {
            String traceId = TRACING ? Traces.traceId(observation) : null;
            return traceId == null ? Map.of() : Map.of("X-TC-TraceId", traceId);
        }

        @Override
        public void ended(int httpStatus, String requestId, Throwable error) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            observation.lowCardinalityKeyValue("http.response.status_code", Integer.toString(httpStatus))
                    .lowCardinalityKeyValue("outcome", CallObservations.outcome(error))
                    .lowCardinalityKeyValue("error.code", CallObservations.errorCode(error))
                    .highCardinalityKeyValue("trtc.request_id", requestId == null ? "none" : requestId);
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }

        @Override
        public void cancelled() {
            if (!ended.compareAndSet(false, true)) {
                return; // it had ended already: the cancel only tore the exchange down
            }
            observation.lowCardinalityKeyValue("http.response.status_code", "0")
                    .lowCardinalityKeyValue("outcome", "cancelled")
                    .lowCardinalityKeyValue("error.code", "none")
                    .highCardinalityKeyValue("trtc.request_id", "none");
            observation.stop();
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MicrometerCallObserver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
