package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The background calls of one key waiting to ask the shared store: the first asks, the others
 * wait in line behind it, each until its deadline. A place in line is given up however the caller
 * leaves (cancelled before it was queued, while queued, at the moment it is let through, or
 * after): the line never stays busy for a caller who is gone. Signals are sent outside the lock.
 */
final class BackgroundLine {

    /** One caller's place. Its fields are guarded by the line. */
    private static final class Place {
        MonoSink<Place> sink;
        boolean through;
        boolean started;
        boolean gone;
        boolean handedOn;
    }

    private final Scheduler scheduler;
    private final ArrayDeque<Place> waiting = new ArrayDeque<>();
    private boolean busy; // guarded by this

    BackgroundLine(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Runs {@code asking} when this caller's turn in line comes, before the deadline.
     *
     * @param deadline the scheduler's nanoTime by which the turn must come
     * @param tooLate the error when it does not
     * @param asking what to run in turn
     * @param <T> its value
     * @return its outcome, on subscription
     */
    <T> Mono<T> run(long deadline, Supplier<? extends RuntimeException> tooLate, Supplier<Mono<T>> asking) {
        return Mono.defer(() -> {
            Place p = new Place();
            return place(p, deadline, tooLate)
                    .flatMap(through -> {
                        synchronized (this) {
                            if (p.gone) {
                                return Mono.<T>empty(); // it left as it was let through: the turn went on
                            }
                            p.started = true;
                        }
                        return Mono.defer(asking).doFinally(signal -> next());
                    })
                    // However it ends: a place given after its caller stopped listening is handed on.
                    .doFinally(signal -> leave(p));
        });
    }

    private Mono<Place> place(Place p, long deadline, Supplier<? extends RuntimeException> tooLate) {
        Mono<Place> place = Mono.create(sink -> {
            p.sink = sink;
            sink.onCancel(() -> leave(p)); // first: a cancel from now on is seen
            boolean mine;
            synchronized (this) {
                if (p.gone) {
                    return;
                }
                mine = !busy;
                if (mine) {
                    busy = true;
                    p.through = true;
                } else {
                    waiting.add(p);
                }
            }
            if (mine) {
                sink.success(p);
            }
        });
        long left = deadline - scheduler.now(TimeUnit.NANOSECONDS);
        return place.timeout(Duration.ofNanos(Math.max(1, left)), scheduler)
                .onErrorMap(TimeoutException.class, e -> tooLate.get());
    }

    /** {@return whether a caller is asking now} */
    synchronized boolean busy() {
        return busy;
    }

    private void leave(Place p) {
        boolean passOn;
        synchronized (this) {
            p.gone = true;
            if (waiting.remove(p)) {
                return;
            }
            // Let through but not started: nobody else will hand the turn on (and only once).
            passOn = p.through && !p.started && !p.handedOn;
            p.handedOn |= passOn;
        }
        if (passOn) {
            next();
        }
    }

    private void next() {
        Place following;
        synchronized (this) {
            following = waiting.poll();
            if (following == null) {
                busy = false;
                return;
            }
            following.through = true;
        }
        following.sink.success(following);
    }
}
