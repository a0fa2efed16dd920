package io.github.trtcreactive.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The client soak's rows and verdicts: one row per interval with what a leak would make grow, then
 * each target with PASS, FAIL or n/a (a flatness target needs at least three rows and three minutes:
 * the first two minutes are warm-up, and the last row is compared with the second).
 */
final class SoakReport {

    /**
     * One row.
     *
     * @param seconds seconds since the workload started
     * @param liveHeapMib heap in use after a full collection
     * @param threads live threads
     * @param reactorTimers tasks waiting on Reactor's scheduler executors
     * @param loopTimers timers waiting on the client's event loops (-1: unreadable)
     * @param connections client connections open at the emulator
     * @param callbackConnections connections open at the callback receiver
     * @param redisAccounts accounts registered in Redis (its {@code {account}:processes} keys; -1: Redis down)
     * @param lanes the limiter's lanes
     * @param pollers pollers running
     * @param succeeded calls answered so far
     * @param injectedFailures failed calls put down to injected faults so far
     * @param redisFailures failed calls put down to the Redis restart so far
     * @param otherFailures failed calls with no injected cause so far
     * @param stuckPollers pollers that went three intervals without a poll so far
     */
    record Row(long seconds, double liveHeapMib, int threads, long reactorTimers, long loopTimers, long connections,
            long callbackConnections, long redisAccounts, int lanes, int pollers, long succeeded,
            long injectedFailures, long redisFailures, long otherFailures, int stuckPollers) {}

    /** One verdict. */
    record Target(String name, String measured, String verdict) {
        boolean failed() {
            return "FAIL".equals(verdict);
        }
    }

    static final String HEADER = String.format(Locale.ROOT,
            "%6s %9s %7s %8s %7s %6s %6s %8s %5s %7s %9s %8s %6s %6s %6s",
            "min", "live MiB", "threads", "timers", "loop t.", "conns", "cb c.", "accounts", "lanes", "pollers",
            "calls ok", "injected", "redis", "other", "stuck");

    private SoakReport() {}

    static String format(Row r) {
        return String.format(Locale.ROOT, "%6.1f %9.1f %7d %8d %7d %6d %6d %8d %5d %7d %9d %8d %6d %6d %6d",
                r.seconds() / 60.0, r.liveHeapMib(), r.threads(), r.reactorTimers(), r.loopTimers(), r.connections(),
                r.callbackConnections(), r.redisAccounts(), r.lanes(), r.pollers(), r.succeeded(),
                r.injectedFailures(), r.redisFailures(), r.otherFailures(), r.stuckPollers());
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
        targets.add(flat("live heap flat after 2 min (last row within 10% of the second)", rows, flatCheck,
                Row::liveHeapMib, 0, "%.1f MiB"));
        targets.add(flat("threads flat (within 10%, or 1)", rows, flatCheck, Row::threads, 1, "%.0f"));
        targets.add(flat("pending timers flat (Reactor executors + event loops; within 10%, or 1)", rows, flatCheck,
                r -> r.reactorTimers() + Math.max(0, r.loopTimers()), 1, "%.0f"));
        targets.add(flat("open connections flat (client to emulator; within 10%, or 1)", rows, flatCheck,
                Row::connections, 1, "%.0f"));
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
            double slack, String format) {
        if (!check) {
            return new Target(name, "needs a run of 3 minutes or more", "n/a");
        }
        double second = value.applyAsDouble(rows.get(1));
        double last = value.applyAsDouble(rows.get(rows.size() - 1));
        boolean ok = Math.abs(last - second) <= Math.max(0.10 * second, slack);
        String measured = String.format(Locale.ROOT, format + " at min %.0f, " + format + " at min %.0f (%+.1f%%)",
                second, rows.get(1).seconds() / 60.0, last, rows.get(rows.size() - 1).seconds() / 60.0,
                second == 0 ? 0 : 100 * (last - second) / second);
        return new Target(name, measured, ok ? "PASS" : "FAIL");
    }

    static String format(Target t) {
        return String.format(Locale.ROOT, "%-4s  %-80s %s", t.verdict(), t.name(), t.measured());
    }
}
