package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The rate limiter's events as meters (see {@link TrtcMicrometer#rateLimitMetrics}). */
final class RateLimitMeters implements RateLimitListener {

    private final MeterRegistry registry;
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> throttled = new ConcurrentHashMap<>();
    private final AtomicInteger storeAvailable = new AtomicInteger(1);
    private final Timer storeLatency;

    RateLimitMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("trtc.ratelimit.store.available", storeAvailable, AtomicInteger::get)
                .description("1 while the shared limit store answers, 0 while the limiter counts alone")
                .register(registry);
        this.storeLatency = Timer.builder("trtc.ratelimit.store.latency")
                .description("How long the shared limit store took to answer a request for a permit")
                .register(registry);
    }

    @Override
    public void onStoreAnswered(Duration latency) {
        storeLatency.record(latency);
    }

    @Override
    public void onGranted(String action, CallPriority priority, Duration waited) {
        String p = priority.name().toLowerCase(Locale.ROOT);
        waits.computeIfAbsent(action + "/" + p, k -> Timer.builder("trtc.ratelimit.wait")
                .description("How long calls waited for their rate-limit permit")
                .tag("trtc.action", action).tag("trtc.priority", p).register(registry)).record(waited);
    }

    @Override
    public void onQueued(String action, Duration expectedWait, int queuedNow) {
        queued(action).incrementAndGet();
    }

    @Override
    public void onLeftQueue(String action, boolean granted) {
        queued(action).decrementAndGet();
    }

    /** Counted up and down (every account's lane of the action together), so reports may come in any order. */
    private AtomicInteger queued(String action) {
        return queued.computeIfAbsent(action, a -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("trtc.ratelimit.queued", value, AtomicInteger::get)
                    .description("Calls waiting now for a rate-limit permit")
                    .tag("trtc.action", a).register(registry);
            return value;
        });
    }

    @Override
    public void onRejected(String action, Duration neededWait) {
        rejected.computeIfAbsent(action, a -> Counter.builder("trtc.ratelimit.rejected")
                .description("Calls refused because their permit would have come too late")
                .tag("trtc.action", a).register(registry)).increment();
    }

    @Override
    public void onThrottled(String action, double ratePerSecond) {
        throttled.computeIfAbsent(action, a -> Counter.builder("trtc.ratelimit.throttled")
                .description("Times the limiter slowed down after the service refused a call as over its limit")
                .tag("trtc.action", a).register(registry)).increment();
    }

    @Override
    public void onStoreUnavailable(Throwable cause) {
        storeAvailable.set(0);
    }

    @Override
    public void onStoreRestored() {
        storeAvailable.set(1);
    }
}
