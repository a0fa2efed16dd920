package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The restarts of the SDK's background loops as one counter, {@code trtc.background.restarts},
 * tagged by loop (a handful of fixed names, such as {@code callbacks.relay}): shared by the callback
 * and poll meters, which each hear their own loops.
 */
final class BackgroundMeters {

    /** The counter's name. */
    static final String RESTARTS = "trtc.background.restarts";

    private BackgroundMeters() {}

    /** Counts one restart of the loop the status names. */
    static void restarted(MeterRegistry registry, BackgroundStatus status) {
        Counter.builder(RESTARTS)
                .description("Restarts of a background loop after it failed or ended while still needed")
                .tag("loop", status.name())
                .register(registry)
                .increment();
    }
}
