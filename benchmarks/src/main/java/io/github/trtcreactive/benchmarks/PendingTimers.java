package io.github.trtcreactive.benchmarks;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * Counts the timers waiting in this JVM's two kinds of timer queue the client uses: the executors of
 * Reactor's schedulers (parallel, single, bounded elastic: the limiter's waits, the pollers' and
 * metric streams' intervals, the Redis store's heartbeats), seen through an executor decorator that
 * must be installed before the first scheduler is created; and the scheduled-task queues of Reactor
 * Netty's shared client event loops (each call's response timeout and deadline), read by reflection.
 * Both queues drop a cancelled timer at once (Reactor's executors remove on cancel; Netty removes a
 * cancelled task from its loop), so the counts are timers still to fire, not garbage.
 */
final class PendingTimers {

    private static final String KEY = "client-soak-pending-timers";
    private static final Set<ScheduledThreadPoolExecutor> EXECUTORS = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private PendingTimers() {}

    /** Starts watching every executor Reactor's schedulers create from now on. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        Schedulers.addExecutorServiceDecorator(KEY, (scheduler, executor) -> {
            if (executor instanceof ScheduledThreadPoolExecutor pool) {
                EXECUTORS.add(pool);
            }
            return executor;
        });
        installed = true;
    }

    /** {@return timers and queued tasks waiting on Reactor's scheduler executors} */
    static long reactor() {
        long pending = 0;
        for (ScheduledThreadPoolExecutor pool : EXECUTORS) {
            if (pool.isShutdown()) {
                EXECUTORS.remove(pool); // a bounded-elastic worker that retired
            } else {
                pending += pool.getQueue().size();
            }
        }
        return pending;
    }

    /** {@return timers waiting on the shared client event loops; -1 when they cannot be read} */
    static long eventLoops() {
        try {
            EventLoopGroup group = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE);
            Field queue = AbstractScheduledEventExecutor.class.getDeclaredField("scheduledTaskQueue");
            queue.setAccessible(true);
            long pending = 0;
            for (EventExecutor loop : group) {
                Object tasks = queue.get(loop);
                pending += tasks instanceof Collection<?> c ? c.size() : 0;
            }
            return pending;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
