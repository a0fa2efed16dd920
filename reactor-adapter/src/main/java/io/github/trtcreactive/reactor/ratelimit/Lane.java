package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * One bucket and the calls waiting on it: interactive calls first come first served, then background
 * ones within their guaranteed share (see {@link CallPriority}). A single timer on the scheduler
 * wakes the bucket when its next permit is due; waiters that cancel are skipped, so their permit goes
 * to the next in line. Sinks are signalled outside the lock.
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
        long writtenAt = -1;
        long answeredAt = -1;
        boolean inFlight;

        Use(long grantedAt) {
            this.grantedAt = grantedAt;
        }

        @Override
        public void sent() {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            synchronized (Lane.this) {
                writtenAt = now;
                inFlight = true;
            }
        }

        @Override
        public void answered() {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            synchronized (Lane.this) {
                if (!inFlight) {
                    return;
                }
                inFlight = false;
                answeredAt = now;
                minRoundTrip = Math.min(minRoundTrip, now - writtenAt);
                if (margin.record(now - writtenAt)) {
                    windowNanos = periodNanos + margin.nanos();
                    bucket.window(windowNanos);
                }
                if (active > 0) {
                    schedule(now);
                }
            }
        }

        /**
         * Caller holds the lock. Never later than the write plus the longest one-way delay: a reply
         * that takes long was slow to be processed, not to arrive, so a slow service does not make
         * the limiter a concurrency limit.
         */
        long latest(long now) {
            long at = Math.max(grantedAt, writtenAt);
            long arrivedBy = writtenAt < 0 ? Long.MAX_VALUE : writtenAt + maxOneWayNanos;
            if (inFlight) {
                return Math.max(at, Math.min(now - minRoundTrip, arrivedBy));
            }
            return answeredAt < 0 ? at : Math.max(at, Math.min(answeredAt - minRoundTrip, arrivedBy));
        }
    }

    private static final class Waiter {
        final MonoSink<Permit> sink;
        final long since;
        final boolean background;
        volatile boolean cancelled;

        Waiter(MonoSink<Permit> sink, long since, boolean background) {
            this.sink = sink;
            this.since = since;
            this.background = background;
        }
    }

    final String secretId;
    final String action;
    private final TokenBucket bucket;
    private final Scheduler scheduler;
    private final RateLimitListener listener;
    private final int maxQueue;
    private final double backgroundShare;
    /** Interactive waiters, first come first served. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Background waiters, first come first served, after interactive ones within their share. */
    private final ArrayDeque<Waiter> backgroundQueue = new ArrayDeque<>();
    /** How many of the waiters are interactive. */
    private int activeInteractive;
    /**
     * Background's claim while both kinds wait: each such grant adds the share, and background is
     * served when the claim reaches one, so it gets its share of the grants and no more.
     */
    private double backgroundClaim;
    private final ArrayDeque<Use> recent = new ArrayDeque<>();
    private final long maxOneWayNanos;
    private long lastActivity;
    private boolean retired;
    private long minRoundTrip = Long.MAX_VALUE / 4;
    private final long periodNanos;
    /** The margin added to the period; follows the round trips' jitter unless the user fixed it. */
    private final JitterMargin margin;
    private long windowNanos;
    private int active;
    private Disposable timer;
    private long timerDue;

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
        this.backgroundShare = backgroundShare;
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
        return Mono.create(sink -> arrive(sink, background, maxWaitNanos));
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
        java.util.Arrays.sort(latest);
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

    private enum Outcome { GRANTED, QUEUED, TOO_LONG, TOO_MANY, RETIRED }

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
        if (active > 0 || now - lastActivity < idleNanos) {
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

    /**
     * Caller holds the lock. How many grants a new waiter stands behind: an interactive one behind
     * the interactive waiters and background's share of the grants; a background one behind every
     * waiter (later interactive arrivals may still pass it).
     */
    private int position(boolean background) {
        if (background) {
            return active + 1;
        }
        if (active == activeInteractive) {
            return activeInteractive + 1;
        }
        return (int) Math.min(active + 1, Math.ceil((activeInteractive + 1) / (1 - backgroundShare)));
    }

    private void arrive(MonoSink<Permit> sink, boolean background, long maxWaitNanos) {
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        Waiter waiter = new Waiter(sink, now, background);
        Outcome outcome;
        long wait = 0;
        int queued = 0;
        Use use = null;
        synchronized (this) {
            lastActivity = now;
            if (retired) {
                outcome = Outcome.RETIRED;
            } else if (active == 0 && nextGrant(now) <= now) {
                use = take(now, now);
                outcome = Outcome.GRANTED;
            } else {
                wait = Math.max(bucket.grantTime(position(background), now), nextGrant(now)) - now;
                if (wait > maxWaitNanos) {
                    outcome = Outcome.TOO_LONG;
                } else if (active >= maxQueue) {
                    outcome = Outcome.TOO_MANY;
                } else {
                    sink.onCancel(() -> leave(waiter));
                    (background ? backgroundQueue : queue).addLast(waiter);
                    if (!background) {
                        activeInteractive++;
                    }
                    queued = ++active;
                    schedule(now);
                    outcome = Outcome.QUEUED;
                }
            }
        }
        // Callers first, then the listener: a listener can never keep a caller from its permit.
        switch (outcome) {
            case GRANTED -> {
                sink.success(use);
                listener.onGranted(action, background ? CallPriority.BACKGROUND : CallPriority.INTERACTIVE, Duration.ZERO);
            }
            case QUEUED -> listener.onQueued(action, Duration.ofNanos(wait), queued);
            case RETIRED -> sink.error(Retired.INSTANCE);
            default -> {
                Duration needed = Duration.ofNanos(wait);
                sink.error(new TrtcRateLimitException(action, needed, outcome == Outcome.TOO_LONG
                        ? "more than the maximum wait of " + maxWaitNanos / 1_000_000 + " ms for "
                                + (background ? "background" : "interactive") + " calls"
                        : "and " + maxQueue + " calls already wait (the maximum queue)"));
                listener.onRejected(action, needed);
            }
        }
    }

    private void leave(Waiter waiter) {
        synchronized (this) {
            if (waiter.cancelled) {
                return;
            }
            waiter.cancelled = true;
            active--;
            if (!waiter.background) {
                activeInteractive--;
            }
        }
        listener.onLeftQueue(action, false);
    }

    /** Caller holds the lock. Makes sure a timer fires when the next permit is due. */
    private void schedule(long now) {
        long due = nextGrant(now);
        if (timer != null && timerDue <= due) {
            return;
        }
        if (timer != null) {
            timer.dispose();
        }
        timerDue = due;
        try {
            timer = scheduler.schedule(this::drain, Math.max(0, due - now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timer = null;
            failAll(e);
        }
    }

    private void drain() {
        List<Waiter> granted = new ArrayList<>();
        List<Use> uses = new ArrayList<>();
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        synchronized (this) {
            timer = null;
            Waiter next;
            while (active > 0 && nextGrant(now) <= now && (next = next()) != null) {
                next.cancelled = true; // no longer cancellable: its permit is taken
                active--;
                if (!next.background) {
                    activeInteractive--;
                }
                uses.add(take(Math.min(now, Math.max(bucket.due(now), next.since)), now));
                granted.add(next);
            }
            dropCancelled(queue);
            dropCancelled(backgroundQueue);
            if (active > 0) {
                schedule(now);
            }
        }
        for (int i = 0; i < granted.size(); i++) {
            granted.get(i).sink.success(uses.get(i));
        }
        for (Waiter w : granted) {
            listener.onGranted(action, w.background ? CallPriority.BACKGROUND : CallPriority.INTERACTIVE,
                    Duration.ofNanos(now - w.since));
            listener.onLeftQueue(action, true);
        }
    }

    /**
     * Caller holds the lock. The waiter to serve next: interactive first, except that background is
     * served whenever its claim reaches one while both kinds wait (its guaranteed share), and
     * whenever nothing interactive waits (work-conserving).
     */
    private Waiter next() {
        dropCancelled(queue);
        dropCancelled(backgroundQueue);
        if (queue.isEmpty()) {
            backgroundClaim = 0;
            return backgroundQueue.pollFirst();
        }
        if (backgroundQueue.isEmpty()) {
            return queue.pollFirst();
        }
        backgroundClaim += backgroundShare;
        if (backgroundClaim >= 1 - 1e-9) {
            backgroundClaim -= 1;
            return backgroundQueue.pollFirst();
        }
        return queue.pollFirst();
    }

    private static void dropCancelled(ArrayDeque<Waiter> waiters) {
        while (!waiters.isEmpty() && waiters.peekFirst().cancelled) {
            waiters.pollFirst();
        }
    }

    private void failAll(RejectedExecutionException e) {
        for (ArrayDeque<Waiter> waiters : List.of(queue, backgroundQueue)) {
            for (Waiter w : waiters) {
                if (!w.cancelled) {
                    w.cancelled = true;
                    w.sink.error(e);
                    listener.onLeftQueue(action, false);
                }
            }
            waiters.clear();
        }
        active = 0;
        activeInteractive = 0;
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
        return new BucketSnapshot(secretId, action, bucket.ratePerSecond(now), bucket.permits(), active,
                Duration.ofNanos(margin.nanos()));
    }
}
