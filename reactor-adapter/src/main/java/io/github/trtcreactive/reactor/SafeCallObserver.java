package io.github.trtcreactive.reactor;

import io.github.trtcreactive.reactor.internal.HookGuard;
import io.github.trtcreactive.reactor.observe.AttemptObservation;
import io.github.trtcreactive.reactor.observe.CallInfo;
import io.github.trtcreactive.reactor.observe.CallObservation;
import io.github.trtcreactive.reactor.observe.CallObserver;
import java.time.Duration;
import java.util.Map;
import reactor.util.context.ContextView;

/**
 * Calls a user's {@link CallObserver}, and the observations it returns, so that none can change a
 * call's outcome or strand it (see {@link HookGuard}): a hook that throws is logged and skipped, a
 * null observation is replaced by one that records nothing.
 */
final class SafeCallObserver implements CallObserver {

    private final CallObserver delegate;
    private final HookGuard guard;

    private SafeCallObserver(CallObserver delegate) {
        this.delegate = delegate;
        this.guard = new HookGuard("CallObserver", delegate);
    }

    static CallObserver of(CallObserver observer) {
        return observer == CallObserver.NONE || observer instanceof SafeCallObserver ? observer
                : new SafeCallObserver(observer);
    }

    @Override
    public CallObservation start(CallInfo call, ContextView context) {
        CallObservation[] started = {CallObservation.NONE};
        guard.run("start", call.action(), () -> started[0] = delegate.start(call, context));
        return started[0] == null ? CallObservation.NONE : new Call(started[0], call.action());
    }

    private final class Call implements CallObservation {
        private final CallObservation observation;
        private final String action;

        Call(CallObservation observation, String action) {
            this.observation = observation;
            this.action = action;
        }

        @Override
        public void permitGranted(Duration waited) {
            guard.run("permitGranted", action, () -> observation.permitGranted(waited));
        }

        @Override
        public AttemptObservation attempt(int number) {
            AttemptObservation[] started = {AttemptObservation.NONE};
            guard.run("attempt", action, () -> started[0] = observation.attempt(number));
            return started[0] == null ? AttemptObservation.NONE : new Attempt(started[0], action);
        }

        @Override
        public void succeeded(String requestId, int attempts) {
            guard.run("succeeded", action, () -> observation.succeeded(requestId, attempts));
        }

        @Override
        public void failed(Throwable error, String requestId, int attempts) {
            guard.run("failed", action, () -> observation.failed(error, requestId, attempts));
        }

        @Override
        public void cancelled(int attempts) {
            guard.run("cancelled", action, () -> observation.cancelled(attempts));
        }
    }

    private final class Attempt implements AttemptObservation {
        private final AttemptObservation attempt;
        private final String action;

        Attempt(AttemptObservation attempt, String action) {
            this.attempt = attempt;
            this.action = action;
        }

        @Override
        public Map<String, String> requestHeaders() {
            @SuppressWarnings("unchecked")
            Map<String, String>[] headers = new Map[] {Map.of()};
            guard.run("requestHeaders", action, () -> headers[0] = attempt.requestHeaders());
            return headers[0] == null ? Map.of() : headers[0];
        }

        @Override
        public void ended(int httpStatus, String requestId, Throwable error) {
            guard.run("ended", action, () -> attempt.ended(httpStatus, requestId, error));
        }

        @Override
        public void cancelled() {
            guard.run("cancelled", action, attempt::cancelled);
        }
    }
}
