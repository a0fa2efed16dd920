package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcPoolExhaustedException;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.reactor.observe.CallInfo;
import io.github.trtcreactive.reactor.observe.CallObservation;
import io.github.trtcreactive.reactor.observe.CallObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.util.context.ContextView;

/**
 * What the client soak counts: calls answered and failed, each failure put down either to a fault
 * the soak injected (within a budget of one failed call per injected fault of that action, and only
 * for the kinds of failure such a fault can cause), to the Redis restart (limiter refusals of calls
 * that lived through any part of the outage, up to 5 s after the limiter writes to Redis again), or to
 * nothing the soak did; and, per poller, when it last sent a
 * Describe call (seen by a {@link CallObserver} through the poller's Reactor Context), from which
 * pollers that stopped polling are found. Thread-safe.
 */
final class SoakStats implements CallObserver {

    private static final Logger LOG = LoggerFactory.getLogger(SoakStats.class);

    /** The Reactor Context key under which each poller subscribes with its own id. */
    static final String POLLER = "client-soak-poller";

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder injectedFailures = new LongAdder();
    private final LongAdder redisFailures = new LongAdder();
    private final LongAdder otherFailures = new LongAdder();
    private final LongAdder faultsInjected = new LongAdder();
    private final Map<String, AtomicLong> faultBudget = new ConcurrentHashMap<>();
    private final List<String> otherSamples = new ArrayList<>();
    private final Map<Long, Poller> pollers = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> stuck = new ConcurrentHashMap<>();
    private final long stuckAfterNanos;
    private volatile long redisOutageFrom = Long.MAX_VALUE;
    private volatile long redisOutageTo = Long.MAX_VALUE;

    /** One running poller: when it started and when its last Describe call started. */
    private static final class Poller {
        final long startedAt;
        volatile long lastPollAt;

        Poller(long now) {
            this.startedAt = now;
            this.lastPollAt = now;
        }
    }

    /**
     * Counts for one run.
     *
     * @param stuckAfterNanos how long a poller may go without a Describe call before it counts as stuck
     */
    SoakStats(long stuckAfterNanos) {
        this.stuckAfterNanos = stuckAfterNanos;
    }

    void succeeded() {
        succeeded.increment();
    }

    /** Records that a fault was scheduled on the emulator for the next {@code times} calls of an action. */
    void injected(String action, int times) {
        faultsInjected.add(times);
        faultBudget.computeIfAbsent(action, a -> new AtomicLong()).addAndGet(times);
    }

    /** Marks the Redis outage: from the kill until a few seconds after the store writes again. */
    void redisOutage(long fromNanos, long toNanos) {
        redisOutageFrom = fromNanos;
        redisOutageTo = toNanos;
    }

    /**
     * Records a failed call (or a stream ended by an error) and puts it down to its cause.
     *
     * @param action the action that failed
     * @param error the error
     * @param startedAt when the call (or stream) was subscribed, by {@link System#nanoTime()}
     */
    void failed(String action, Throwable error, long startedAt) {
        long now = System.nanoTime();
        if (error instanceof TrtcClientClosedException) {
            return; // the end of the run, not a failure of the client
        }
        // A limiter refusal of a call that lived through any part of the outage (it may have waited
        // for its permit since before the kill, or been granted by the fallback share).
        if (startedAt <= redisOutageTo && now >= redisOutageFrom && error instanceof TrtcRateLimitException) {
            redisFailures.increment();
            return;
        }
        if (faultCanCause(error) && takeBudget(action)) {
            injectedFailures.increment();
            return;
        }
        otherFailures.increment();
        LOG.warn("{} failed outside the injected faults: {}", action, error.toString());
        synchronized (otherSamples) {
            if (otherSamples.size() < 20) {
                otherSamples.add(action + ": " + error);
            }
        }
    }

    /** Failures an injected reset, trickle or throttle can end a call with. */
    private static boolean faultCanCause(Throwable error) {
        if (error instanceof TrtcServiceException s) {
            return s.isThrottle();
        }
        // Timeouts are client exceptions too; a full pool is never an injected fault's doing.
        return error instanceof TrtcClientException && !(error instanceof TrtcPoolExhaustedException);
    }

    private boolean takeBudget(String action) {
        AtomicLong budget = faultBudget.get(action);
        if (budget == null) {
            return false;
        }
        for (long left = budget.get(); left > 0; left = budget.get()) {
            if (budget.compareAndSet(left, left - 1)) {
                return true;
            }
        }
        return false;
    }

    /** A poller was subscribed. */
    void pollerStarted(long id) {
        pollers.put(id, new Poller(System.nanoTime()));
    }

    /** A poller was cancelled or ended. */
    void pollerEnded(long id) {
        pollers.remove(id);
    }

    /** Marks every poller that has gone longer than the bound without a Describe call; each counts once. */
    void checkPollers() {
        long now = System.nanoTime();
        pollers.forEach((id, p) -> {
            if (now - p.lastPollAt > stuckAfterNanos && stuck.putIfAbsent(id, Boolean.TRUE) == null) {
                LOG.warn("poller {} sent no Describe call for {} s (running {} s)", id,
                        (now - p.lastPollAt) / 1_000_000_000L, (now - p.startedAt) / 1_000_000_000L);
            }
        });
    }

    @Override
    public CallObservation start(CallInfo call, ContextView context) {
        if (context.hasKey(POLLER)) {
            Poller p = pollers.get(context.<Long>get(POLLER));
            if (p != null) {
                p.lastPollAt = System.nanoTime();
            }
        }
        return CallObservation.NONE;
    }

    long succeededCount() {
        return succeeded.sum();
    }

    long injectedFailureCount() {
        return injectedFailures.sum();
    }

    long redisFailureCount() {
        return redisFailures.sum();
    }

    long otherFailureCount() {
        return otherFailures.sum();
    }

    long faultsInjectedCount() {
        return faultsInjected.sum();
    }

    int runningPollers() {
        return pollers.size();
    }

    int stuckPollers() {
        return stuck.size();
    }

    List<String> otherSamples() {
        synchronized (otherSamples) {
            return List.copyOf(otherSamples);
        }
    }
}
