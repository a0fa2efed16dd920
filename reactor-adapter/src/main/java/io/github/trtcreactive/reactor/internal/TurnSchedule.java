package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.core.error.TrtcClientException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Shares one action's background budget fairly among the things a poller follows (tasks, metric
 * series). Each follower holds a {@link Ticket} and asks it for turns; a turn is one poll. Instead of
 * every follower waiting on its own timer and then queueing for a rate-limit permit (first come,
 * first served, so the queue of polls grows without bound when followers want more than the budget),
 * the schedule lets only a small window of polls wait for permits at a time and picks each next poll
 * when a place in that window frees:
 *
 * <ul>
 *   <li>only followers whose turn is due (one interval after their previous turn) are picked, the one
 *       due the longest first, so when N followers share B polls a second each is polled about every
 *       {@code max(interval, N / B)} seconds, in turn, and none starves;
 *   <li>urgent followers (a task in a transitional status, one that just changed, a first poll, a
 *       retry) come before steady ones, while steady ones keep at least a quarter of the turns;
 *   <li>steady turns are spread evenly over the interval (no more often than the followers' combined
 *       rate), so many followers started at once do not poll in bursts forever after.
 * </ul>
 *
 * <p>The rate itself is the limiter's: the window keeps a few polls waiting for permits, so the
 * budget is used whole, while each choice is made at most a window's worth of permits early. The
 * turns are a {@link WaiterQueue} with a slot per place in the window, so a turn given up before it is
 * queued, while queued, as it is given or while it runs never keeps its place. Never blocks: picking runs
 * under a short lock, waiting on one timer of the given scheduler; callers are told after it. Thread-safe.
 */
public final class TurnSchedule {

    /**
     * How many turns may run (wait for their permit or their answer) at once under a rate limiter:
     * enough to keep 20 permits a second busy at a 400 ms round trip.
     */
    public static final int DEFAULT_WINDOW = 8;
    /** The window without a rate limiter: only the connections bound the polls then. */
    public static final int UNLIMITED_WINDOW = 1024;
    /** The share of turns steady followers keep while urgent ones are due. */
    private static final double STEADY_SHARE = 0.25;

    private static final Comparator<Request> DUE_FIRST = Comparator.<Request>comparingLong(r -> r.due)
            .thenComparingLong(r -> r.seq);

    private final Scheduler scheduler;
    private final Object lock = new Object();
    private final WaiterQueue<Request, Request> turns;
    private final PriorityQueue<Request> urgent = new PriorityQueue<>(DUE_FIRST);
    private final PriorityQueue<Request> steady = new PriorityQueue<>(DUE_FIRST);
    // guarded by lock:
    private long seq;
    private long lastGrant = Long.MIN_VALUE / 2;
    /** The followers' combined rate, turns per nanosecond. */
    private double rate;
    private double steadyClaim;
    private Disposable timer;
    private long timerAt = Long.MAX_VALUE;
    /** The timer ran inline, under the lock (a virtual-time scheduler): pump once the lock is let go. */
    private boolean wokenUnderLock;
    private int tickets;

    /**
     * Creates a schedule of turns.
     *
     * @param scheduler the clock and the timer of due turns
     * @param window how many turns may run at once (1 or more)
     */
    public TurnSchedule(Scheduler scheduler, int window) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.turns = WaiterQueue.withSlots(lock, window, new Picker());
    }

    /**
     * A new follower.
     *
     * @param interval how often it wants a turn
     * @return its ticket; dispose it when the follower ends
     */
    public Ticket join(Duration interval) {
        Ticket ticket = new Ticket(interval.toNanos());
        synchronized (lock) {
            rate += 1.0 / ticket.interval;
            tickets++;
        }
        return ticket;
    }

    /** {@return how many followers hold a ticket} */
    public int followers() {
        synchronized (lock) {
            return tickets;
        }
    }

    /** {@return how many turns are asked for and not yet given} */
    public int waiting() {
        synchronized (lock) {
            return turns.waiting();
        }
    }

    /** {@return how many turns run now} */
    public int running() {
        synchronized (lock) {
            return turns.held();
        }
    }

    /** Whether no follower, turn asked for or running, or wake timer is left, and no turn was given for a while. */
    boolean isIdle(long idleNanos) {
        synchronized (lock) {
            return tickets == 0 && turns.waiting() == 0 && turns.held() == 0 && timer == null
                    && scheduler.now(TimeUnit.NANOSECONDS) - lastGrant >= idleNanos;
        }
    }

    /**
     * Fails every turn asked for and not yet given, and each asked for later, with the error; turns
     * that run keep their places until they end.
     *
     * @param error what the followers see
     */
    public void close(RuntimeException error) {
        turns.close(error);
    }

    /** A follower's place in the schedule. Not for concurrent use by one follower: one turn at a time. */
    public final class Ticket implements Disposable {

        private volatile long interval;
        /** The turn it waits for, if any. Guarded by the schedule's lock. */
        private Request pending;
        private volatile boolean urgentNext = true;
        private volatile boolean disposed;
        /** When its last turn was given, in the scheduler's nanoseconds; MIN_VALUE before the first. */
        private volatile long lastTurn = Long.MIN_VALUE;

        private Ticket(long interval) {
            if (interval <= 0) {
                throw new IllegalArgumentException("interval must be positive, was " + interval + " ns");
            }
            this.interval = interval;
        }

        /**
         * Runs work at the ticket's next turn: at once for the first, else one interval after the last.
         *
         * @param <T> the work's value
         * @param work one poll
         * @return the work's outcome, on subscription; cancelling gives the turn up
         */
        public <T> Mono<T> next(Mono<T> work) {
            return Mono.defer(() -> {
                long last = lastTurn;
                long now = scheduler.now(TimeUnit.NANOSECONDS);
                return turn(last == Long.MIN_VALUE ? now : last + interval, urgentNext, work);
            });
        }

        /**
         * Runs work at a turn no earlier than a delay from now, ahead of steady followers (a retry).
         *
         * @param <T> the work's value
         * @param delay how long from now at the earliest
         * @param work one poll
         * @return the work's outcome, on subscription; cancelling gives the turn up
         */
        public <T> Mono<T> after(Duration delay, Mono<T> work) {
            return Mono.defer(() -> turn(scheduler.now(TimeUnit.NANOSECONDS) + delay.toNanos(), true, work));
        }

        /**
         * Changes how often the follower wants a turn (a task followed by callbacks needs fewer
         * polls); a turn it waits for moves to one new interval after its last turn.
         *
         * @param newInterval the new interval
         */
        public void interval(Duration newInterval) {
            long nanos = newInterval.toNanos();
            if (nanos <= 0) {
                throw new IllegalArgumentException("interval must be positive, was " + newInterval);
            }
            boolean moved = false;
            synchronized (lock) {
                if (nanos == interval) {
                    return;
                }
                if (!disposed) {
                    rate = Math.max(0, rate - 1.0 / interval) + 1.0 / nanos;
                }
                interval = nanos;
                Request waiting = pending;
                if (waiting != null && waiting.isWaiting() && lastTurn != Long.MIN_VALUE) {
                    moved = requeue(waiting, lastTurn + nanos, waiting.urgent);
                }
            }
            if (moved) {
                pump();
            }
        }

        /** Brings the turn it waits for forward to now, as an urgent one (something changed and a poll should confirm it). */
        public void hurry() {
            boolean moved = false;
            synchronized (lock) {
                Request waiting = pending;
                if (waiting != null && waiting.isWaiting()) {
                    moved = requeue(waiting, scheduler.now(TimeUnit.NANOSECONDS), true);
                }
            }
            if (moved) {
                pump();
            }
        }

        /**
         * Marks the follower's next turns urgent (transitional) or steady.
         *
         * @param urgent whether they come before steady followers' turns
         */
        public void urgent(boolean urgent) {
            this.urgentNext = urgent;
        }

        private <T> Mono<T> turn(long due, boolean urgent, Mono<T> work) {
            return turns.withSlot(() -> new Request(this, due, urgent), granted -> work);
        }

        /** Leaves the schedule: its rate no longer counts. A turn it still waits for is cancelled by its subscriber. */
        @Override
        public void dispose() {
            synchronized (lock) {
                if (disposed) {
                    return;
                }
                disposed = true;
                rate = Math.max(0, rate - 1.0 / interval);
                tickets--;
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /** One asked-for turn; where it stands (waiting, given, gone) is the queue's. */
    private static final class Request extends WaiterQueue.Waiter<Request> {
        final Ticket ticket;
        long due; // guarded by lock
        boolean urgent; // guarded by lock
        long seq; // guarded by lock

        Request(Ticket ticket, long due, boolean urgent) {
            this.ticket = ticket;
            this.due = due;
            this.urgent = urgent;
        }
    }

    /** Orders the turns and gives them; runs under the lock. */
    private final class Picker implements WaiterQueue.Owner<Request> {
        @Override
        public void arrive(Request request, Outbox out) {
            request.seq = seq++;
            request.ticket.pending = request;
            (request.urgent ? urgent : steady).add(request);
            turns.queue(request);
            pump(out);
        }

        @Override
        public void left(Request request, boolean cancelled, Outbox out) {
            (request.urgent ? urgent : steady).remove(request);
            if (request.ticket.pending == request) {
                request.ticket.pending = null;
            }
            if (urgent.isEmpty() && steady.isEmpty() && timer != null) { // nothing left to wake for
                timer.dispose();
                timer = null;
                timerAt = Long.MAX_VALUE;
            }
        }

        @Override
        public void freed(Outbox out) {
            pump(out);
        }
    }

    /** Moves a waiting request to another due time and queue. Caller holds the lock. */
    private boolean requeue(Request request, long due, boolean asUrgent) {
        if (!(request.urgent ? urgent : steady).remove(request)) {
            return false;
        }
        request.due = due;
        request.urgent = asUrgent;
        (asUrgent ? urgent : steady).add(request);
        return true;
    }

    /** Gives every turn that is due while the window has room, and sets the timer for the next. */
    private void pump() {
        Outbox out = turns.outbox();
        synchronized (lock) {
            pump(out);
        }
        out.send();
    }

    /** Caller holds the lock. As {@link #pump()}, telling the callers through the outbox. */
    private void pump(Outbox out) {
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        long wakeAt = Long.MAX_VALUE;
        while (turns.hasFreeSlot()) {
            Request u = urgent.peek();
            Request s = steady.peek();
            boolean urgentDue = u != null && u.due <= now;
            long steadyAt = s == null ? Long.MAX_VALUE : Math.max(s.due, lastGrant + spacing());
            boolean steadyDue = steadyAt <= now;
            Request pick;
            if (urgentDue && (!steadyDue || steadyClaim < 1)) {
                pick = urgent.poll();
                if (steadyDue) {
                    steadyClaim = Math.min(1, steadyClaim + STEADY_SHARE / (1 - STEADY_SHARE));
                }
            } else if (steadyDue) {
                pick = steady.poll();
                steadyClaim = Math.max(0, steadyClaim - 1);
            } else {
                wakeAt = Math.min(u == null ? Long.MAX_VALUE : u.due, steadyAt);
                break;
            }
            if (!pick.isWaiting()) {
                continue; // left the queue: it was removed then, but never give a turn to one that is not waiting
            }
            pick.ticket.lastTurn = now;
            if (pick.ticket.pending == pick) {
                pick.ticket.pending = null;
            }
            lastGrant = now;
            turns.grant(pick, pick, out);
        }
        if (wakeAt < timerAt) {
            wakeAt(wakeAt, now, out);
        }
    }

    /** Caller holds the lock. Sets the timer; a scheduler that refuses it fails the waiting turns. */
    private void wakeAt(long at, long now, Outbox out) {
        if (timer != null) {
            timer.dispose();
        }
        timerAt = at;
        try {
            timer = scheduler.schedule(this::wake, Math.max(0, at - now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timer = null;
            timerAt = Long.MAX_VALUE;
            turns.failWaiting(new TrtcClientException("poll", "not sent: the scheduler refused the timer of the"
                    + " next turn (was it disposed?)", -1, null, e, false), out);
            return;
        }
        if (wokenUnderLock) {
            wokenUnderLock = false;
            timer = null;
            timerAt = Long.MAX_VALUE;
            out.add(this::pump);
        }
    }

    private void wake() {
        if (Thread.holdsLock(lock)) { // run inline by wakeAt(), under the lock: pump after it
            wokenUnderLock = true;
            return;
        }
        synchronized (lock) {
            timerAt = Long.MAX_VALUE;
            timer = null;
        }
        pump();
    }

    /** The pause between steady turns that spreads the followers evenly: one over their combined rate. */
    private long spacing() {
        return rate <= 0 ? 0 : (long) Math.min(Long.MAX_VALUE / 4, 1 / rate);
    }
}
