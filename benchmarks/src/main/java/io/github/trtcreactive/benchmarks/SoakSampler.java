package io.github.trtcreactive.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The client soak's readings of what a leak would make grow (threads, pending timers, open
 * connections), taken every few seconds and summed up per row by their median: one reading of a
 * count that comes and goes with the traffic (a connection being replaced, a timer armed for the call
 * in flight) is a moment, not a trend, and the median of a row's readings is not moved by a few such
 * moments. Only the program's main thread reads and drains it.
 */
final class SoakSampler {

    /**
     * One reading.
     *
     * @param threads live threads
     * @param reactorTimers tasks waiting on Reactor's scheduler executors
     * @param loopTimers timers waiting on the client's event loops (-1: unreadable)
     * @param connections client connections open at the emulator
     * @param callbackConnections connections open at the callback receiver
     */
    record Reading(int threads, long reactorTimers, long loopTimers, long connections, long callbackConnections) {

        /** {@return timers of both kinds (event loops counted as none when unreadable)} */
        long timers() {
            return reactorTimers + Math.max(0, loopTimers);
        }
    }

    /**
     * The medians of one row's readings.
     *
     * @param readings how many readings the row had
     * @param threads live threads
     * @param timers pending timers, Reactor executors and event loops together
     * @param loopTimers the event loops' part of them (-1: unreadable)
     * @param connections client connections open at the emulator
     * @param callbackConnections connections open at the callback receiver
     */
    record Medians(int readings, double threads, double timers, double loopTimers, double connections,
            double callbackConnections) {}

    private final LongSupplier connections;
    private final LongSupplier callbackConnections;
    private final List<Reading> row = new ArrayList<>();

    /**
     * A sampler of the process and of two connection counters.
     *
     * @param connections client connections open at the emulator
     * @param callbackConnections connections open at the callback receiver
     */
    SoakSampler(LongSupplier connections, LongSupplier callbackConnections) {
        this.connections = connections;
        this.callbackConnections = callbackConnections;
    }

    /** Takes one reading for the current row. */
    void read() {
        row.add(new Reading(ManagementFactory.getThreadMXBean().getThreadCount(), PendingTimers.reactor(),
                PendingTimers.eventLoops(), connections.getAsLong(), callbackConnections.getAsLong()));
    }

    /** {@return the medians of the current row's readings (taking one first if it has none), starting a new row} */
    Medians drain() {
        if (row.isEmpty()) {
            read();
        }
        Medians medians = new Medians(row.size(), median(Reading::threads), median(Reading::timers),
                median(Reading::loopTimers), median(Reading::connections), median(Reading::callbackConnections));
        row.clear();
        return medians;
    }

    private double median(ToDoubleFunction<Reading> quantity) {
        return median(row.stream().mapToDouble(quantity).toArray());
    }

    /** {@return the median of some values: the middle one, or the mean of the two middle ones} */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
