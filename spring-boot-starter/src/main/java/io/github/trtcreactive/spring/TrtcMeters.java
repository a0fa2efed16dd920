package io.github.trtcreactive.spring;

import io.github.trtcreactive.micrometer.TrtcMicrometer;
import io.github.trtcreactive.reactor.callback.CallbackListener;
import io.github.trtcreactive.reactor.poll.PollListener;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/** The application's meter registry, when there is one, as the SDK's listeners. */
record TrtcMeters(ObjectProvider<MeterRegistry> registry) {

    RateLimitListener rateLimits() {
        MeterRegistry r = registry.getIfAvailable();
        return r == null ? RateLimitListener.NONE : TrtcMicrometer.rateLimitMetrics(r);
    }

    PollListener polls() {
        MeterRegistry r = registry.getIfAvailable();
        return r == null ? PollListener.NONE : TrtcMicrometer.pollMetrics(r);
    }

    CallbackListener callbacks() {
        MeterRegistry r = registry.getIfAvailable();
        return r == null ? CallbackListener.NONE : TrtcMicrometer.callbackMetrics(r);
    }
}
