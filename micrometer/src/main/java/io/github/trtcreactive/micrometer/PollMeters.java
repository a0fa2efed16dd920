package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.poll.PollListener;
import io.github.trtcreactive.reactor.poll.TaskUpdate;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The pollers' work as meters (see {@link TrtcMicrometer#pollMetrics}). */
final class PollMeters implements PollListener {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> followed = new ConcurrentHashMap<>();
    private final Map<String, Counter> polls = new ConcurrentHashMap<>();
    private final Map<String, Counter> changes = new ConcurrentHashMap<>();

    PollMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onFollowed(String describeAction, int delta) {
        followed.computeIfAbsent(describeAction, a -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("trtc.poll.followed", value, AtomicInteger::get)
                    .description("Tasks followed now").tag("trtc.action", a).register(registry);
            return value;
        }).addAndGet(delta);
    }

    @Override
    public void onPoll(String describeAction, String outcome) {
        polls.computeIfAbsent(describeAction + "/" + outcome, k -> Counter.builder("trtc.poll.polls")
                .description("Describe calls of the pollers, by outcome")
                .tag("trtc.action", describeAction).tag("outcome", outcome).register(registry)).increment();
    }

    @Override
    public void onStatusChange(TaskUpdate<?> update) {
        String family = update.status().family().name().toLowerCase(Locale.ROOT);
        String phase = update.status().phase().name().toLowerCase(Locale.ROOT);
        String source = update.event().isPresent() ? "callback" : "poll";
        changes.computeIfAbsent(family + "/" + phase + "/" + source, k -> Counter.builder("trtc.poll.status_changes")
                .description("New task statuses observed, by family, phase and source")
                .tag("trtc.family", family).tag("trtc.phase", phase).tag("source", source).register(registry))
                .increment();
    }

    @Override
    public void onBackgroundRestart(BackgroundStatus status) {
        BackgroundMeters.restarted(registry, status);
    }
}
