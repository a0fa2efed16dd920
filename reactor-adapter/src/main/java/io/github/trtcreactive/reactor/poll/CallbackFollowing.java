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
        byTask.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(listener);
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
            listeners.forEach(l -> l.accept(event));
        }
    }

    void stop() {
        routing.stop();
    }
}
