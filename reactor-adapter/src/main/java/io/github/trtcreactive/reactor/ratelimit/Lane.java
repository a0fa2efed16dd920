package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.reactor.internal.Outbox;
import io.github.trtcreactive.reactor.internal.WaiterQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One bucket and the calls waiting on it: interactive calls first come first served, then background
 * ones within their guaranteed share (see {@link CallPriority}). A single timer on the scheduler
 * wakes the bucket when its next permit is due. The waiters are a {@link WaiterQueue}: one that
 * cancels is skipped, so its permit goes to the next in line, a permit granted to one that left before
 * it arrived is given back, and callers and the listener are told only after the lock.
 *
 * <p>Besides the bucket, the lane remembers when its last N permits were used (N the limit), as late
 * as the service could have counted them (see {@link Use}), and no permit is granted before the
 * N-th latest use is a full window old. A request that left late (a slow new connection) or
 * reached the service late (a pause on the way) so delays the next ones instead of crowding a
 * window; an answer wakes the lane, since it may free the next permit.
 */
final class Lane {

    /**
     * When a permit was used, as late as the service could have counted it: its grant; then its
     * write, when reported; then, once answered, the answer time less the smallest round trip seen
     * so far (the service counted the request before answering, and at least that long before the
     * answer arrived). The estimate is recomputed from the raw times on every look, so it tightens
     * as the smallest round trip shrinks (the first round trips of a cold process are slow). While
     * written but unanswered it counts as used now, less the smallest round trip.
     */
    private final class Use implements Permit {
        final long grantedAt;
        /** The grant until written: any long is a moment (a clock may read negative), so flags say what happened. */
        long writtenAt;
        long answeredAt;
        boolean written;
        boolean answered;
        boolean inFlight;

        Use(long grantedAt) {
            this.grantedAt = grantedAt;
            this.writtenAt = grantedAt;
        }

        @Override
        public void sent() {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            synchronized (Lane.this) {
                writtenAt = now;
                written = true;
                inFlight = true;
            }
        }

        @Override
        public void answered() {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            Outbox out = waiters.outbox();
            synchronized (Lane.this) {
                if (!inFlight) {
                    return;
                }
                inFlight = false;
                answeredAt = now;
                answered = true;
                minRoundTrip = Math.min(minRoundTrip, now - writtenAt);
                if (margin.record(now - writtenAt)) {
                    windowNanos = periodNanos + margin.nanos();
                    bucket.window(windowNanos);
                }
                if (waiters.waiting() > 0) {
                    schedule(now, out);
                }
            }
            out.send();
        }

        /**
         * Caller holds the lock. Never later than the write plus the longest one-way delay: a reply
         * that takes long was slow to be processed, not to arrive, so a slow service does not make
         * the limiter a concurrency limit.
         */
        long latest(long now) {
            long at = Math.max(grantedAt, writtenAt);
            long arrivedBy = written ? writtenAt + maxOneWayNanos : Long.MAX_VALUE;
            if (inFlight) {
                return Math.max(at, Math.min(now - minRoundTrip, arrivedBy));
            }
            return answered ? Math.max(at, Math.min(answeredAt - minRoundTrip, arrivedBy)) : at;
        }
    }

    /** A call waiting for its permit. */
    private final class Waiter extends WaiterQueue.Waiter<Permit> {
        final long since = scheduler.now(TimeUnit.NANOSECONDS);
        final boolean background;
        final long maxWaitNanos;

        Waiter(boolean background, long maxWaitNanos) {
            this.background = background;
            this.maxWaitNanos = maxWaitNanos;
        }

        CallPriority priority() {
            return background ? CallPriority.BACKGROUND : CallPriority.INTERACTIVE;
        }
    }

    /** The lane's side of its waiter queue; runs under the lane's lock. */
    private final class Waiters implements WaiterQueue.Owner<Waiter> {
        @Override
        public void arrive(Waiter waiter, Outbox out) {
            Lane.this.arrive(waiter, out);
        }

        @Override
        public void left(Waiter waiter, boolean cancelled, Outbox out) {
            order.left(waiter.background);
            out.add(() -> listener.onLeftQueue(action, false));
        }

        @Override
        public void returned(Waiter waiter, Outbox out) {
            // Granted as its caller left: the permit was never used, so the next caller may have it.
            if (waiter.granted() instanceof Use use && recent.remove(use)) {
                long now = scheduler.now(TimeUnit.NANOSECONDS);
                bucket.giveBack(now);
                if (waiters.waiting() > 0) {
                    schedule(now, out);
                }
            }
        }
    }

    final String secretId;
    final String action;
    private final TokenBucket bucket;
    private final Scheduler scheduler;
    private final RateLimitListener listener;
    private final int maxQueue;
    private final WaiterQueue<Waiter, Permit> waiters = WaiterQueue.spentOnDelivery(this, new Waiters());
    private final PriorityOrder<Waiter> order;
    private final ArrayDeque<Use> recent = new ArrayDeque<>();
    private final long maxOneWayNanos;
    private long lastActivity;
    private boolean retired;
    private long minRoundTrip = Long.MAX_VALUE / 4;
    private final long periodNanos;
    /** The margin added to the period; follows the round trips' jitter unless the user fixed it. */
    private final JitterMargin margin;
    private long windowNanos;
    private Disposable timer;
    private long timerDue;
    /** The timer ran inline, under the lock (a virtual-time scheduler): drain once the lock is let go. */
    private boolean wokenUnderLock;

    Lane(String secretId, String action, TokenBucket bucket, long periodNanos, JitterMargin margin,
            Scheduler scheduler, RateLimitListener listener, double backgroundShare, int maxQueue, Duration maxOneWay) {
        this.maxOneWayNanos = maxOneWay.toNanos();
        this.lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
        this.periodNanos = periodNanos;
        this.margin = margin;
        this.windowNanos = periodNanos + margin.nanos();
        bucket.window(windowNanos);
        this.secretId = secretId;
        this.action = action;
        this.bucket = bucket;
        this.scheduler = scheduler;
        this.listener = listener;
        this.order = new PriorityOrder<>(backgroundShare);
        this.maxQueue = maxQueue;
    }

    /**
     * Emits the permit when the caller may send; cancel to leave the queue.
     *
     * @param priority the call's priority
     * @param maxWait the longest the call may wait; a call that would wait longer fails at once
     */
    Mono<Permit> acquire(CallPriority priority, Duration maxWait) {
        boolean background = priority == CallPriority.BACKGROUND;
        long maxWaitNanos = maxWait.toNanos();
        return waiters.enter(() -> new Waiter(background, maxWaitNanos));
    }

    /**
     * Caller holds the lock. The earliest time a permit may be granted, by the bucket and by recent
     * uses: no earlier than a full window after the N-th latest use (N the limit). Uses are compared
     * by when the service may have counted them, which need not follow the order they were granted
     * in, so the log keeps up to 4N uses and drops only those a full window old.
     */
    private long nextGrant(long now) {
        long byBucket = bucket.nextGrant(now);
        int permits = bucket.permits();
        while (!recent.isEmpty() && (recent.size() > 4 * permits || recent.peekFirst().latest(now) + windowNanos <= now)) {
            recent.pollFirst();
        }
        if (recent.size() < permits) {
            return byBucket;
        }
        long[] latest = new long[recent.size()];
        int i = 0;
        for (Use use : recent) {
            latest[i++] = use.latest(now);
        }
        Arrays.sort(latest);
        long byUses = latest[latest.length - permits] + windowNanos;
        return Math.max(byBucket, byUses);
    }

    /**
     * Caller holds the lock. Takes a permit used at {@code now}, charging the bucket at {@code charge}:
     * for a queued call, when its permit fell due on the bucket's schedule (never before the call
     * began to wait), so neither a late timer nor a wait for the use log makes the schedule slip;
     * the use itself is recorded when it really happens.
     */
    private Use take(long charge, long now) {
        bucket.consume(charge);
        Use use = new Use(now);
        recent.addLast(use);
        return use;
    }

    /** The lane was evicted while idle: look the bucket up again (a new lane takes its place). */
    static final class Retired extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Retired INSTANCE = new Retired();

        private Retired() {
            super("rate-limit lane retired", null, false, false);
        }
    }

    /** When a granted permit was granted, in the scheduler's nanoseconds; MIN_VALUE for another permit. */
    static long grantedAt(Permit permit) {
        return permit instanceof Use use ? use.grantedAt : Long.MIN_VALUE;
    }

    /**
     * Retires the lane if nothing waits, nothing is in flight or recent, and it has been quiet for
     * {@code idleNanos}; a retired lane refuses arrivals with {@link Retired}.
     */
    synchronized boolean retireIfIdle(long now, long idleNanos) {
        if (waiters.waiting() > 0 || now - lastActivity < idleNanos) {
            return false;
        }
        for (Use use : recent) {
            if (use.inFlight || use.latest(now) + windowNanos > now) {
                return false;
            }
        }
        retired = true;
        return true;
    }

    /** Caller holds the lock. Grants, queues or refuses a new call; callers first, then the listener. */
    private void arrive(Waiter waiter, Outbox out) {
        long now = waiter.since;
        lastActivity = now;
        boolean background = waiter.background;
        if (retired) {
            waiters.fail(waiter, Retired.INSTANCE, out);
        } else if (waiters.waiting() == 0 && nextGrant(now) <= now) {
            waiters.grant(waiter, take(now, now), out);
            out.add(() -> listener.onGranted(action, waiter.priority(), Duration.ZERO));
        } else {
            long wait = Math.max(bucket.grantTime(order.position(background, waiters.waiting()), now), nextGrant(now)) - now;
            if (wait > waiter.maxWaitNanos || waiters.waiting() >= maxQueue) {
                Duration needed = Duration.ofNanos(wait);
                waiters.fail(waiter, new TrtcRateLimitException(action, needed, wait > waiter.maxWaitNanos
                        ? "more than the maximum wait of " + waiter.maxWaitNanos / 1_000_000 + " ms for "
                                + (background ? "background" : "interactive") + " calls"
                        : "and " + maxQueue + " calls already wait (the maximum queue)"), out);
                out.add(() -> listener.onRejected(action, needed));
                return;
            }
            waiters.queue(waiter);
            order.add(waiter, background);
            int queued = waiters.waiting();
            schedule(now, out);
            if (waiter.isWaiting()) { // not failed by a timer the scheduler refused
                out.add(() -> listener.onQueued(action, Duration.ofNanos(wait), queued));
            }
        }
    }

    /**
     * Caller holds the lock. Makes sure a timer fires when the next permit is due; a scheduler that
     * refuses the timer (shut down) fails every waiter, told after the lock.
     */
    private void schedule(long now, Outbox out) {
        long due = nextGrant(now);
        if (timer != null && timerDue <= due) {
            return;
        }
        if (timer != null) {
            timer.dispose();
        }
        timerDue = due;
        try {
            timer = scheduler.schedule(this::wake, Math.max(0, due - now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timer = null;
            waiters.failWaiting(new TrtcClientException(action, "not sent: the rate limiter's scheduler refused"
                    + " its timer (was it disposed?)", -1, null, e, false), out);
            order.dropGone();
            return;
        }
        if (wokenUnderLock) {
            wokenUnderLock = false;
            timer = null;
            out.add(this::drain);
        }
    }

    private void wake() {
        if (Thread.holdsLock(this)) { // run inline by schedule(), under the lock: drain after it
            wokenUnderLock = true;
            return;
        }
        drain();
    }

    private void drain() {
        List<Runnable> heard = new ArrayList<>();
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        Outbox out = waiters.outbox();
        synchronized (this) {
            timer = null;
            Waiter next;
            while (waiters.waiting() > 0 && nextGrant(now) <= now && (next = order.next()) != null) {
                waiters.grant(next, take(Math.min(now, Math.max(bucket.due(now), next.since)), now), out);
                CallPriority priority = next.priority();
                Duration waited = Duration.ofNanos(now - next.since);
                heard.add(() -> {
                    listener.onGranted(action, priority, waited);
                    listener.onLeftQueue(action, true);
                });
            }
            order.dropGone();
            heard.forEach(out::add); // callers first, then the listener
            if (waiters.waiting() > 0) {
                schedule(now, out);
            }
        }
        out.send();
    }

    /**
     * The service refused a call as over the limit.
     *
     * @param statedLimit the limit its message states, or 0
     * @param refusedGrantedAt when the refused call's permit was granted
     */
    void throttled(int statedLimit, long refusedGrantedAt) {
        double rate;
        synchronized (this) {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            lastActivity = now;
            if (!bucket.throttled(now, statedLimit, refusedGrantedAt)) {
                return;
            }
            rate = bucket.ratePerSecond(now);
        }
        listener.onThrottled(action, rate);
    }

    synchronized BucketSnapshot snapshot() {
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        return new BucketSnapshot(secretId, action, bucket.ratePerSecond(now), bucket.permits(), waiters.waiting(),
                Duration.ofNanos(margin.nanos()));
    }
}
