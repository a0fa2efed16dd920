package io.github.trtcreactive.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The client soak's rows and verdicts: one row per interval with what a leak would make grow, then
 * each target with PASS, FAIL or n/a.
 *
 * <p>The flatness rule. Threads, pending timers and open connections are read every few seconds
 * ({@link SoakSampler}) and each row shows the median of its readings; the live heap is read once per
 * row, after one forced full collection (one, not several back to back: each is a pause of the whole
 * process). A flatness target compares the last row with the second (the first two minutes are
 * warm-up) and fails only on growth: when the last row's value exceeds the second's by more than
 * 10%, or by more than an absolute slack for small counts (2 threads, 2 timers, 2 connections),
 * whichever is larger. A pool that shrinks or fewer timers pending is not a leak. The targets need at
 * least three rows and three minutes, and are n/a otherwise.
 */
final class SoakReport {

    /** Growth beyond this fraction of the second row's value fails a flatness target. */
    static final double GROWTH = 0.10;
    /** The absolute growth every small count may have whatever its size. */
    static final double COUNT_SLACK = 2;

    /**
     * One row.
     *
     * @param seconds seconds since the workload started
     * @param liveHeapMib heap in use after the row's one full collection
     * @param sampled the medians of the row's readings of threads, timers and connections
     * @param redisAccounts accounts registered in Redis (its {@code {account}:processes} keys; -1: Redis down)
     * @param lanes the limiter's lanes
     * @param pollers pollers running
     * @param succeeded calls answered so far
     * @param injectedFailures failed calls put down to injected faults so far
     * @param redisFailures failed calls put down to the Redis restart so far
     * @param otherFailures failed calls with no injected cause so far
     * @param stuckPollers pollers that went three intervals without a poll so far
     */
    record Row(long seconds, double liveHeapMib, double bufferPoolMib, SoakSampler.Medians sampled, long redisAccounts, int lanes,
            int pollers, long succeeded, long injectedFailures, long redisFailures, long otherFailures,
            int stuckPollers) {}

    /** One verdict. */
    record Target(String name, String measured, String verdict) {
        boolean failed() {
            return "FAIL".equals(verdict);
        }
    }

    /** The legend and the columns' heads. */
    static final List<String> HEADER = List.of(
            "threads, timers (Reactor executors + event loops; loop t.: the loops' part), conns (client to"
                    + " emulator) and cb c. (to the callback receiver): medians of the row's readings, one every 5 s;",
            "all of them this process's: the client, its receiver and its Redis client (the emulator runs in"
                    + " another process; its connection count is its own);",
            "live MiB: the bytes of the objects left after one full collection at the row's end (the class"
                    + " histogram), less Netty's buffer pool, pool MiB: the heap its chunks hold (I/O buffers"
                    + " kept for reuse, bounded by Netty, shared by every connection); accounts: accounts registered in"
                    + " Redis (one per SecretId seen: the limiter keys its budget by SecretId);",
            "flatness: last row against the second, growth only, beyond 10% or +2 (threads, timers, connections);"
                    + " shrinking is no leak",
            "",
            String.format(Locale.ROOT, "%6s %9s %8s %7s %8s %7s %6s %6s %8s %5s %7s %9s %8s %6s %6s %6s",
                    "min", "live MiB", "pool MiB", "threads", "timers", "loop t.", "conns", "cb c.", "accounts", "lanes",
                    "pollers", "calls ok", "injected", "redis", "other", "stuck"));

    private SoakReport() {}

    static String format(Row r) {
        SoakSampler.Medians m = r.sampled();
        return String.format(Locale.ROOT, "%6.1f %9.1f %8.1f %7s %8s %7s %6s %6s %8d %5d %7d %9d %8d %6d %6d %6d",
                r.seconds() / 60.0, r.liveHeapMib(), r.bufferPoolMib(), number(m.threads()), number(m.timers()), number(m.loopTimers()),
                number(m.connections()), number(m.callbackConnections()), r.redisAccounts(), r.lanes(), r.pollers(),
                r.succeeded(), r.injectedFailures(), r.redisFailures(), r.otherFailures(), r.stuckPollers());
    }

    /**
     * Checks the targets.
     *
     * @param rows the rows, oldest first
     * @param runSeconds how long the workload ran
     * @param completed whether the run ended as planned (every part stopped, the client closed)
     * @param redisRecoveredSeconds seconds from the Redis restart to the limiter's first write to the new
     *     server; negative when it never came; NaN when Redis was not restarted
     * @return the verdicts
     */
    static List<Target> targets(List<Row> rows, long runSeconds, boolean completed, double redisRecoveredSeconds) {
        List<Target> targets = new ArrayList<>();
        boolean flatCheck = rows.size() >= 3 && runSeconds >= 180;
        targets.add(flat("live heap does not grow after 2 min (after GC; last row <= second + 10%)", rows,
                flatCheck, Row::liveHeapMib, 0, " MiB"));
        targets.add(flat("threads do not grow (median; <= second + max(10%, 2))", rows, flatCheck,
                r -> r.sampled().threads(), COUNT_SLACK, ""));
        Target timers = flat("pending timers do not grow (median; <= second + max(10%, 2))", rows, flatCheck,
                r -> r.sampled().timers(), COUNT_SLACK, "");
        if (flatCheck) {
            // The Redis store keeps a registration heartbeat (a Reactor timer) per account it has seen:
            // shown beside the verdict, which it is part of, not taken out of it.
            Row second = rows.get(1);
            Row last = rows.get(rows.size() - 1);
            timers = new Target(timers.name(), timers.measured() + String.format(Locale.ROOT,
                    "; accounts in Redis %d -> %d, one heartbeat timer each (without them about %s -> %s)",
                    second.redisAccounts(), last.redisAccounts(),
                    number(second.sampled().timers() - Math.max(0, second.redisAccounts())),
                    number(last.sampled().timers() - Math.max(0, last.redisAccounts()))), timers.verdict());
        }
        targets.add(timers);
        targets.add(flat("open connections do not grow (client to emulator, median; <= second + max(10%, 2))",
                rows, flatCheck, r -> r.sampled().connections(), COUNT_SLACK, ""));
        Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        int stuck = last == null ? 0 : last.stuckPollers();
        targets.add(new Target("0 stuck pollers (no poll for 3 intervals)", Integer.toString(stuck),
                last != null && stuck == 0 ? "PASS" : "FAIL"));
        long other = last == null ? 0 : last.otherFailures();
        targets.add(new Target("0 failures outside injected faults", last == null ? "no rows" : String.format(
                Locale.ROOT, "%d (put down to faults: %d, to the Redis restart: %d; answered: %d)", other,
                last.injectedFailures(), last.redisFailures(), last.succeeded()),
                last != null && other == 0 ? "PASS" : "FAIL"));
        targets.add(new Target("the run completed", completed ? "yes" : "no", completed ? "PASS" : "FAIL"));
        if (Double.isNaN(redisRecoveredSeconds)) {
            targets.add(new Target("Redis restart recovered (limiter writes again within 30 s)",
                    "not restarted (external Redis)", "n/a"));
        } else {
            boolean recovered = redisRecoveredSeconds >= 0 && redisRecoveredSeconds <= 30;
            targets.add(new Target("Redis restart recovered (limiter writes again within 30 s)",
                    redisRecoveredSeconds < 0 ? "never" : String.format(Locale.ROOT, "after %.1f s",
                            redisRecoveredSeconds), recovered ? "PASS" : "FAIL"));
        }
        return targets;
    }

    private static Target flat(String name, List<Row> rows, boolean check, ToDoubleFunction<Row> value,
            double slack, String unit) {
        if (!check) {
            return new Target(name, "needs a run of 3 minutes or more", "n/a");
        }
        double second = value.applyAsDouble(rows.get(1));
        double last = value.applyAsDouble(rows.get(rows.size() - 1));
        double bound = second + Math.max(GROWTH * second, slack);
        String measured = String.format(Locale.ROOT, "%s%s at min %.0f, %s%s at min %.0f (%+.1f%%; bound %s%s)",
                number(second), unit, rows.get(1).seconds() / 60.0, number(last), unit,
                rows.get(rows.size() - 1).seconds() / 60.0, second == 0 ? 0 : 100 * (last - second) / second,
                number(bound), unit);
        return new Target(name, measured, last <= bound ? "PASS" : "FAIL");
    }

    /** {@return a whole number without decimals, else one decimal} */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String format(Target t) {
        return String.format(Locale.ROOT, "%-4s  %-80s %s", t.verdict(), t.name(), t.measured());
    }
}
