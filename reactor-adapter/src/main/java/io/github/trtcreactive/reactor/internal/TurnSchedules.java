package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.scheduler.Scheduler;

/**
 * A poller's {@link TurnSchedule}s, one per key (an action and an account), each forgotten once it
 * has been idle for the idle time ({@link #IDLE_TIME} by default): no follower holds a ticket, no
 * turn is asked for or running, no wake timer is pending and no turn was given for that long. With
 * rotating temporary credentials each SecretId is an account, so without this the map would keep a
 * schedule for every SecretId it ever saw. A schedule's next follower after that starts a new one.
 *
 * <p>Followers join through {@link #join}, never by holding a schedule: a schedule is retired and a
 * follower joins it under the same lock (its entry's), so a join never lands in a schedule that was
 * just removed; one that finds it retired removes it and takes a new one. The sweep runs on the given
 * scheduler every quarter of the idle time, only while some schedule is held; its lock is held for a
 * few field reads and it calls no user code. Thread-safe.
 */
public final class TurnSchedules {

    /** How long a schedule must be idle before it is forgotten. */
    public static final Duration IDLE_TIME = Duration.ofMinutes(10);

    /** A schedule, and whether the sweep retired it. */
    private static final class Entry {
        final TurnSchedule schedule;
        private boolean retired; // guarded by this

        Entry(TurnSchedule schedule) {
            this.schedule = schedule;
        }
    }

    private final Map<String, Entry> schedules = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final int window;
    private final long idleNanos;
    private final IdleSweeper sweeper;

    /**
     * The schedules of a client's polls, forgotten after {@link #IDLE_TIME}.
     *
     * @param scheduler the clock and the timers of the schedules and of the sweep
     * @param limiter the client's limiter, which sets the schedules' window
     */
    public TurnSchedules(Scheduler scheduler, TrtcRateLimiter limiter) {
        this(scheduler, limiter.isEnabled() ? TurnSchedule.DEFAULT_WINDOW : TurnSchedule.UNLIMITED_WINDOW,
                IDLE_TIME);
    }

    /**
     * Schedules with a window and an idle time of their own.
     *
     * @param scheduler the clock and the timers of the schedules and of the sweep
     * @param window how many turns of one schedule may run at once
     * @param idle how long a schedule must be idle before it is forgotten
     */
    public TurnSchedules(Scheduler scheduler, int window, Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle must be positive, was " + idle);
        }
        this.scheduler = scheduler;
        this.window = window;
        this.idleNanos = idle.toNanos();
        this.sweeper = new IdleSweeper(scheduler, Math.max(1_000_000L, idleNanos / 4), this::forgetIdle, schedules::isEmpty);
    }

    /**
     * A new follower in the key's schedule, made when there is none (or it was retired).
     *
     * @param key the action and the account
     * @param interval how often the follower wants a turn
     * @return its ticket; dispose it when the follower ends
     */
    public TurnSchedule.Ticket join(String key, Duration interval) {
        while (true) {
            Entry entry = schedules.computeIfAbsent(key, k -> new Entry(new TurnSchedule(scheduler, window)));
            TurnSchedule.Ticket ticket = null;
            synchronized (entry) {
                if (!entry.retired) {
                    ticket = entry.schedule.join(interval);
                }
            }
            if (ticket != null) {
                sweeper.start();
                return ticket;
            }
            schedules.remove(key, entry); // retired by a sweep under way: take a new one
        }
    }

    /** {@return how many schedules are held now} */
    public int size() {
        return schedules.size();
    }

    /** Sweeps now (and goes on sweeping while entries remain). */
    void sweep() {
        sweeper.sweepNow();
    }

    /** Forgets the idle entries. */
    private void forgetIdle() {
        schedules.forEach((key, entry) -> {
            boolean retired;
            synchronized (entry) {
                retired = entry.retired || (entry.retired = entry.schedule.isIdle(idleNanos));
            }
            if (retired) {
                schedules.remove(key, entry);
            }
        });
    }
}
