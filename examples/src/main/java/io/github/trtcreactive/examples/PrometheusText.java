package io.github.trtcreactive.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The dashboard's meters in Prometheus' text format, written by hand from a {@link MeterRegistry}
 * (the example needs no Prometheus library): counters as {@code _total}, timers as
 * {@code _seconds_count}, {@code _seconds_sum} and {@code _seconds_max}, gauges as they are.
 */
final class PrometheusText {

    private PrometheusText() {}

    static String of(MeterRegistry registry) {
        StringBuilder out = new StringBuilder();
        registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> labels(m)))
                .forEach(meter -> {
                    String name = meter.getId().getName().replace('.', '_');
                    String labels = labels(meter);
                    if (meter instanceof Timer t) {
                        line(out, name + "_seconds_count", labels, t.count());
                        line(out, name + "_seconds_sum", labels, t.totalTime(TimeUnit.SECONDS));
                        line(out, name + "_seconds_max", labels, t.max(TimeUnit.SECONDS));
                    } else if (meter instanceof Counter c) {
                        line(out, name + "_total", labels, c.count());
                    } else if (meter instanceof Gauge g) {
                        line(out, name, labels, g.value());
                    }
                });
        return out.toString();
    }

    private static String labels(Meter meter) {
        return meter.getId().getTags().stream()
                .sorted(Comparator.comparing(Tag::getKey))
                .map(t -> t.getKey().replace('.', '_') + "=\"" + t.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static void line(StringBuilder out, String name, String labels, double value) {
        out.append(name).append("{}".equals(labels) ? "" : labels).append(' ')
                .append(String.format(Locale.ROOT, "%s", value)).append('\n');
    }
}
