package io.github.trtcreactive.reactor.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Where a call's timers are kept: on the event loop the call is started from, when it is one of the
 * client's loops (setting and cancelling a timer there takes no lock and wakes no other thread),
 * else on a Reactor scheduler (so calls started from a test under virtual time are timed virtually).
 * Thread-safe.
 */
public final class LoopTimer {

    private final EventExecutor[] loops;
    private final Scheduler fallback;

    /**
     * Keeps timers on the given event loops, or on the fallback scheduler.
     *
     * @param loops the client's event loops (may be empty)
     * @param fallback the scheduler for calls started elsewhere
     */
    public LoopTimer(Iterable<EventExecutor> loops, Scheduler fallback) {
        List<EventExecutor> all = new ArrayList<>();
        loops.forEach(all::add);
        this.loops = all.toArray(EventExecutor[]::new);
        this.fallback = fallback;
    }

    /**
     * Runs the task after the delay, unless the returned handle is disposed first.
     *
     * @param task the task
     * @param delayNanos the delay
     * @return disposes the timer (idempotent)
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler is shut down
     */
    public Disposable schedule(Runnable task, long delayNanos) {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop() && !loop.isShuttingDown()) {
                Future<?> timer = onLoop(loop, task, delayNanos);
                return () -> timer.cancel(false);
            }
        }
        return fallback.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Sets a timer on an event loop.
     *
     * @param loop the event loop
     * @param task the task
     * @param delayNanos the delay
     * @return the timer
     */
    public static Future<?> onLoop(EventExecutor loop, Runnable task, long delayNanos) {
        return loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
}
