package io.github.trtcreactive.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this JVM every 10 ms while a measurement runs: live threads, heap in use and resident set
 * size, keeping the peaks. The sampler is one daemon thread, the same for every side measured.
 */
final class ProcessStats implements AutoCloseable {

    private static final Path STATM = Path.of("/proc/self/statm");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakLiveHeap = new AtomicLong();
    private final java.util.List<java.lang.management.MemoryPoolMXBean> heapPools = ManagementFactory
            .getMemoryPoolMXBeans().stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
            .toList();
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicLong peakThreads = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private final long cpuStart = cpuNanos();
    private final long allocatedStart;

    private ProcessStats() {
        threads.resetPeakThreadCount();
        sampler = new Thread(this::sample, "process-stats");
        sampler.setDaemon(true);
        allocatedStart = allocatedByOthers();
        sampler.start();
    }

    /** Heap bytes allocated so far by the live threads but the sampler (the measured threads live through a run). */
    private long allocatedByOthers() {
        com.sun.management.ThreadMXBean all = (com.sun.management.ThreadMXBean) threads;
        long[] ids = all.getAllThreadIds();
        long[] bytes = all.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != sampler.getId()) {
                total += Math.max(0, bytes[i]);
            }
        }
        return total;
    }

    /** @return heap bytes the JVM's threads (the sampler left out) allocated since the sampler started */
    long allocatedBytes() {
        return allocatedByOthers() - allocatedStart;
    }

    /** @return a sampler that has started */
    static ProcessStats start() {
        return new ProcessStats();
    }

    private void sample() {
        while (running) {
            peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            peakLiveHeap.accumulateAndGet(liveHeap(), Math::max);
            peakRss.accumulateAndGet(rss(), Math::max);
            peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
            try {
                Thread.sleep(10); // the sampler's own thread, not a measured one
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long rss() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** @return CPU time this JVM used since the sampler started (all threads, JIT and GC included), in ms */
    double cpuMillis() {
        return (cpuNanos() - cpuStart) / 1e6;
    }

    /** @return the most threads alive at once, by the JVM's own peak counter and the samples */
    long peakThreads() {
        return Math.max(threads.getPeakThreadCount(), peakThreads.get());
    }

    /** What the heap held after the last collection of each pool: the live set, garbage left out. */
    private long liveHeap() {
        long live = 0;
        for (java.lang.management.MemoryPoolMXBean pool : heapPools) {
            java.lang.management.MemoryUsage after = pool.getCollectionUsage();
            live += after == null ? 0 : after.getUsed();
        }
        return live;
    }

    /** @return the largest heap left after a collection, in MiB: what the measured work keeps alive */
    double peakLiveHeapMib() {
        return peakLiveHeap.get() / 1048576.0;
    }

    /** @return the largest heap in use seen, in MiB */
    double peakHeapMib() {
        return peakHeap.get() / 1048576.0;
    }

    /** @return the largest resident set seen, in MiB */
    double peakRssMib() {
        return peakRss.get() / 1048576.0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
