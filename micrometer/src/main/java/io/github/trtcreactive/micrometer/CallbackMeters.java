package io.github.trtcreactive.micrometer;

import io.github.trtcreactive.reactor.callback.CallbackListener;
import io.github.trtcreactive.reactor.callback.TrtcEvent;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The callback receiver's work as meters (see {@link TrtcMicrometer#callbackMetrics}). */
final class CallbackMeters implements CallbackListener {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    CallbackMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onAccepted(TrtcEvent event) {
        count(Integer.toString(event.groupId()), Integer.toString(event.type()), "accepted", "200");
    }

    @Override
    public void onDuplicate(TrtcEvent event) {
        count(Integer.toString(event.groupId()), Integer.toString(event.type()), "duplicate", "200");
    }

    @Override
    public void onRefused(int status, String reason) {
        count("none", "none", "refused", Integer.toString(status));
    }

    private void count(String group, String type, String outcome, String status) {
        counters.computeIfAbsent(group + "/" + type + "/" + outcome + "/" + status, k -> Counter
                .builder("trtc.callback.events")
                .description("Callback requests, by event group, type and outcome")
                .tag("trtc.event_group", group).tag("trtc.event_type", type).tag("outcome", outcome)
                .tag("http.response.status_code", status).register(registry)).increment();
    }

    @Override
    public void onBackgroundRestart(BackgroundStatus status) {
        BackgroundMeters.restarted(registry, status);
    }
}
