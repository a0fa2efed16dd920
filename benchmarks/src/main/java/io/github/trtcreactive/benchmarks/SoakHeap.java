package io.github.trtcreactive.benchmarks;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The soak's live heap, exactly: the JVM's class histogram of the objects left after a full
 * collection (what {@code jcmd PID GC.class_histogram} prints), taken in-process through the
 * diagnostic command MBean. The heap "used" figure after {@code System.gc()} counts the collector's
 * regions, not objects, and moves by a few MiB from one collection to the next; this does not.
 */
final class SoakHeap {

    /**
     * One histogram.
     *
     * @param totalBytes the bytes of every live object
     * @param bytesByClass the bytes of each class's live instances
     */
    record Histogram(long totalBytes, Map<String, Long> bytesByClass) {}

    private SoakHeap() {}

    /** {@return the live objects now, after a full collection the command runs first} */
    static Histogram take() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the class histogram is not available in this JVM", e);
        }
        return parse(text);
    }

    /** Reads the command's text: a line per class ({@code N: instances bytes name}) and a total line. */
    static Histogram parse(String text) {
        Map<String, Long> byClass = new HashMap<>();
        long total = 0;
        for (String line : text.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                byClass.merge(cells[3], Long.parseLong(cells[2]), Long::sum);
            } else if (cells.length == 3 && cells[0].equals("Total")) {
                total = Long.parseLong(cells[2]);
            }
        }
        return new Histogram(total, byClass);
    }

    /**
     * The heap Netty's shared buffer pool holds now: chunks it keeps to carve I/O buffers from (the
     * client's replies are read into them), reused from one call to the next and bounded by Netty,
     * whose size follows the busiest moments so far rather than the state the client keeps.
     *
     * @return bytes, 0 when the default allocator does not say
     */
    static long bufferPoolHeapBytes() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider pool
                ? Math.max(0, pool.metric().usedHeapMemory()) : 0;
    }

    /**
     * The classes whose live bytes grew most from one histogram to another.
     *
     * @param from the earlier histogram
     * @param to the later one
     * @param most how many lines at most
     * @return one line per class, largest growth first
     */
    static List<String> growth(Histogram from, Histogram to, int most) {
        Set<String> names = new HashSet<>(from.bytesByClass().keySet());
        names.addAll(to.bytesByClass().keySet());
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (String name : names) {
            long change = to.bytesByClass().getOrDefault(name, 0L) - from.bytesByClass().getOrDefault(name, 0L);
            if (change > 0) {
                grown.add(Map.entry(name, change));
            }
        }
        grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> entry : grown.subList(0, Math.min(most, grown.size()))) {
            lines.add(String.format(Locale.ROOT, "  %+9.1f KiB  %s", entry.getValue() / 1024.0, entry.getKey()));
        }
        return lines;
    }
}
