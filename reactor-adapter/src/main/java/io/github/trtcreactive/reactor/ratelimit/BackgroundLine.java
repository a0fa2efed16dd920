package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.reactor.internal.Outbox;
import io.github.trtcreactive.reactor.internal.WaiterQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The background calls of one key waiting to ask the shared store: the first asks, the others
 * wait in line behind it, each until its deadline. The line is a {@link WaiterQueue} of one slot, so
 * a place is given up however the caller leaves (cancelled before it was queued, while queued, at
 * the moment it is let through, or after): the line never stays busy for a caller who is gone.
 * Signals are sent outside the lock.
 */
final class BackgroundLine {

    /** One caller's place. */
    private static final class Place extends WaiterQueue.Waiter<Place> {}

    /** First come, first served, one at a time; runs under the line's lock. */
    private final class Fifo implements WaiterQueue.Owner<Place> {
        @Override
        public void arrive(Place place, Outbox out) {
            if (line.hasFreeSlot()) {
                line.grant(place, place, out);
            } else {
                line.queue(place);
            }
        }

        @Override
        public void freed(Outbox out) {
            Place next = line.first();
            if (next != null) {
                line.grant(next, next, out);
            }
        }
    }

    private final Scheduler scheduler;
    private final WaiterQueue<Place, Place> line = WaiterQueue.withSlots(this, 1, new Fifo());

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
            long left = deadline - scheduler.now(TimeUnit.NANOSECONDS);
            return line.withSlot(Place::new,
                    turn -> turn.timeout(Duration.ofNanos(Math.max(1, left)), scheduler)
                            .onErrorMap(TimeoutException.class, e -> tooLate.get()),
                    place -> Mono.defer(asking));
        });
    }

    /** {@return whether a caller is asking now} */
    synchronized boolean busy() {
        return line.held() > 0;
    }
}
