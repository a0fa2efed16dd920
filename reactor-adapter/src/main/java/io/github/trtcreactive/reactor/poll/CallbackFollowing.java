package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcEvent;
import io.github.trtcreactive.reactor.internal.SupervisedLoop;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Routes a receiver's events to the poll loops of the tasks they name, and says whether events
 * flow: one subscription to {@link TrtcCallbacks#events()} for all the loops of a {@link
 * TaskPollers}, started with the first loop. The routing is a supervised loop: when it fails (a
 * listener threw) or ends while the receiver is open, it subscribes again after a pause (see
 * {@link SupervisedLoop}); events emitted meanwhile wait in the receiver's buffer when nothing else
 * subscribes. Thread-safe.
 */
final class CallbackFollowing {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackFollowing.class);

    private final Scheduler scheduler;
    private final Duration safetyInterval;
    private final Duration silence;
    private final Map<String, CopyOnWriteArrayList<Consumer<TrtcEvent>>> byTask = new ConcurrentHashMap<>();
    /** Per EventGroupId, when its last event arrived (scheduler nanoseconds). */
    private final Map<Integer, Long> lastEvent = new ConcurrentHashMap<>();
    private final SupervisedLoop routing;

    CallbackFollowing(TrtcCallbacks callbacks, Scheduler scheduler, Duration safetyInterval, Duration silence,
            Consumer<BackgroundStatus> onRestart) {
        this.scheduler = scheduler;
        this.safetyInterval = safetyInterval;
        this.silence = silence;
        this.routing = new SupervisedLoop("pollers.callback-routing", () -> callbacks.events().doOnNext(this::route),
                callbacks::isClosed, scheduler, onRestart);
    }

    /** {@return how the routing does} */
    BackgroundStatus status() {
        return routing.status();
    }

    /** {@return the slow cadence of a task whose events arrive} */
    Duration safetyInterval() {
        return safetyInterval;
    }

    /** Hands a task's events to a listener until the returned handle is disposed. */
    Disposable listen(String taskId, Consumer<TrtcEvent> listener) {
        routing.start();
        // Added inside the map's operation: a dispose emptying the list meanwhile cannot drop this one.
        byTask.compute(taskId, (k, list) -> {
            CopyOnWriteArrayList<Consumer<TrtcEvent>> listeners = list == null ? new CopyOnWriteArrayList<>() : list;
            listeners.add(listener);
            return listeners;
        });
        return () -> byTask.computeIfPresent(taskId, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * Whether events of a family flow: the receiver got one of its groups' events within the silence
     * limit (the console may send some families' callbacks and not others).
     *
     * @param groups the family's EventGroupIds
     * @return whether they flow
     */
    boolean flowing(Set<Integer> groups) {
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        for (Integer group : groups) {
            Long last = lastEvent.get(group);
            if (last != null && now - last <= silence.toNanos()) {
                return true;
            }
        }
        return false;
    }

    private void route(TrtcEvent event) {
        lastEvent.put(event.groupId(), scheduler.now(TimeUnit.NANOSECONDS));
        String taskId = event.taskId();
        if (taskId == null) {
            return;
        }
        var listeners = byTask.get(taskId);
        if (listeners != null) {
            for (Consumer<TrtcEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    // One task's follower failing costs neither the other followers nor the routing.
                    LOG.debug("a follower of task events threw {}; the others still get the event",
                            e.getClass().getName());
                }
            }
        }
    }

    /** {@return how many listeners a task has now} */
    int listenerCount(String taskId) {
        var listeners = byTask.get(taskId);
        return listeners == null ? 0 : listeners.size();
    }

    void stop() {
        routing.stop();
    }
}
