package io.github.trtcreactive.reactor.callback;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One subscriber's rooms not yet delivered, latest state only: a room that changes again before
 * the subscriber asks for it is replaced in place, so a slow subscriber holds at most one snapshot
 * per room, never the history of changes. Offers may come from any thread; delivery is serialized
 * by a drain loop and never runs under this object's lock.
 */
final class LatestRooms {

    private final Map<String, RoomView.Room> pending = new LinkedHashMap<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile FluxSink<RoomView.Room> sink;
    private volatile boolean done;

    /** {@return the rooms as the subscriber asks for them} */
    Flux<RoomView.Room> flux() {
        return Flux.create(s -> {
            sink = s;
            s.onRequest(n -> drain());
            drain();
        });
    }

    void offer(RoomView.Room room) {
        synchronized (pending) {
            pending.put(room.roomId(), room);
        }
        drain();
    }

    void complete() {
        done = true;
        drain();
    }

    /** {@return rooms waiting for the subscriber} */
    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            FluxSink<RoomView.Room> s = sink;
            if (s != null && !s.isCancelled()) {
                while (s.requestedFromDownstream() > 0) {
                    RoomView.Room next = take();
                    if (next == null) {
                        break;
                    }
                    s.next(next);
                }
                if (done && pendingCount() == 0) {
                    s.complete();
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private RoomView.Room take() {
        synchronized (pending) {
            Iterator<RoomView.Room> it = pending.values().iterator();
            if (!it.hasNext()) {
                return null;
            }
            RoomView.Room next = it.next();
            it.remove();
            return next;
        }
    }
}
