package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.observe.CallObserver;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * trtc-reactive on Micrometer: an observation per call for metrics and traces, and the rate
 * limiter's meters.
 *
 * <pre>{@code
 * TrtcAsyncClient client = TrtcAsyncClient.builder()
 *     .observer(TrtcMicrometer.observer(observationRegistry))
 *     .rateLimiter(TrtcRateLimiter.builder().listener(TrtcMicrometer.rateLimitMetrics(meterRegistry)).build())
 *     .build();
 * }</pre>
 */
public final class TrtcMicrometer {

    private TrtcMicrometer() {}

    /**
     * One observation {@code trtc.client.call} per logical call, with one child
     * {@code trtc.client.attempt} per attempt; see {@link CallObservations} for their key values.
     *
     * @param registry the observation registry (with a meter handler, its timers are
     *     {@code trtc.client.call} and {@code trtc.client.attempt}; with a tracing handler, spans)
     * @return the observer to give the client builder
     */
    public static CallObserver observer(ObservationRegistry registry) {
        return new MicrometerCallObserver(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * The rate limiter's meters: {@code trtc.ratelimit.wait} (timer by action and priority),
     * {@code trtc.ratelimit.queued} (gauge by action, as last reported), {@code trtc.ratelimit.rejected}
     * (counter by action), {@code trtc.ratelimit.throttled} (counter by action: the limiter slowed down
     * after the service refused a call as over its limit), and, with a shared store,
     * {@code trtc.ratelimit.store.latency} (timer) and {@code trtc.ratelimit.store.available} (1 while
     * it answers, 0 while the limiter counts alone).
     *
     * @param registry the meter registry
     * @return the listener to give the limiter builder
     */
    public static RateLimitListener rateLimitMetrics(MeterRegistry registry) {
        return new RateLimitMeters(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * The pollers' meters: {@code trtc.poll.followed} (gauge by action), {@code trtc.poll.polls}
     * (counter by action and outcome: success, gone, retried, failed) and
     * {@code trtc.poll.status_changes} (counter by family, phase and source: poll or callback), and
     * {@code trtc.background.restarts} (counter by loop: {@code pollers.callback-routing} restarted
     * after it failed).
     *
     * @param registry the meter registry
     * @return the listener to give {@code TaskPollers.builder(client).listener(...)}
     */
    public static io.github.trtcreactive.reactor.poll.PollListener pollMetrics(MeterRegistry registry) {
        return new PollMeters(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * The callback receiver's meters: {@code trtc.callback.events} (counter by event group, type,
     * outcome: accepted, duplicate, refused, and the HTTP status answered) and
     * {@code trtc.background.restarts} (counter by loop: {@code callbacks.relay} restarted after
     * reading the relay failed).
     *
     * @param registry the meter registry
     * @return the listener to give {@code TrtcCallbacks.builder().listener(...)}
     */
    public static io.github.trtcreactive.reactor.callback.CallbackListener callbackMetrics(MeterRegistry registry) {
        return new CallbackMeters(Objects.requireNonNull(registry, "registry"));
    }
}
