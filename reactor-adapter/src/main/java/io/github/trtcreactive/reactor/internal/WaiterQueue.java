package io.github.trtcreactive.reactor.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Callers waiting for a grant (a permit, a turn, a place in line), each with the life of one
 * {@link Mono}: the one piece of bookkeeping the rate limiter's lanes, the pollers' turns and the
 * fleet's background line share, so a cancellation is handled the same way wherever it lands.
 *
 * <ul>
 *   <li>cancelled before it is queued: it is never queued nor granted;
 *   <li>cancelled while queued: it leaves the queue ({@link Owner#left});
 *   <li>cancelled at the grant, before the value reached it: the grant is taken back
 *       ({@link Owner#returned}) and a held slot is freed ({@link Owner#freed});
 *   <li>after the value reached it: the holder gives a held slot back with {@link #release}.
 * </ul>
 *
 * <p>The owner decides who is granted and when, in its own order, while holding the queue's lock
 * (the owner's own monitor, passed in, so its state and the queue change in one step). Everything a
 * step must tell someone, a sink or a listener, is collected in an {@link Outbox} and sent after the
 * lock is let go: no subscriber and no user code ever runs under the lock. {@link #close} fails
 * every waiting caller, and each later one, with the given error. Thread-safe.
 *
 * @param <W> the owner's waiter type
 * @param <G> what a waiter is granted
 */
public final class WaiterQueue<W extends WaiterQueue.Waiter<G>, G> {

    /**
     * The owner's side of a queue. Every method runs under the queue's lock and must not signal
     * anything itself: what it has to tell goes into the outbox.
     *
     * @param <W> the owner's waiter type
     */
    public interface Owner<W> {

        /**
         * A new caller arrives: the owner must {@link WaiterQueue#grant grant}, {@link WaiterQueue#queue
         * queue} or {@link WaiterQueue#fail fail} it before returning.
         *
         * @param waiter the caller
         * @param out where to put what must be told after the lock
         */
        void arrive(W waiter, Outbox out);

        /**
         * A queued caller left the queue, cancelled or failed: drop it from the owner's order.
         *
         * @param waiter the caller
         * @param cancelled whether it was cancelled (else it was failed)
         * @param out where to put what must be told after the lock
         */
        default void left(W waiter, boolean cancelled, Outbox out) {}

        /**
         * A grant never reached its caller (it was cancelled at the grant): give back what the grant took.
         *
         * @param waiter the caller
         * @param out where to put what must be told after the lock
         */
        default void returned(W waiter, Outbox out) {}

        /**
         * A held slot came free: grant the next caller, if any.
         *
         * @param out where to put what must be told after the lock
         */
        default void freed(Outbox out) {}
    }

    /**
     * One caller. Owners extend it with what they order callers by; its state is guarded by the
     * queue's lock. One waiter serves one subscription.
     *
     * @param <G> what it is granted
     */
    public abstract static class Waiter<G> {
        static final int NEW = 0;
        static final int WAITING = 1;
        static final int GRANTED = 2;
        static final int GONE = 3;

        MonoSink<G> sink;
        int state = NEW;
        G grant;

        /** Creates a waiter not yet queued. */
        protected Waiter() {}

        /** {@return whether it waits in the queue now} Caller holds the lock. */
        public final boolean isWaiting() {
            return state == WAITING;
        }

        /** {@return what it was granted, or null before the grant} Caller holds the lock. */
        public final G granted() {
            return grant;
        }
    }

    private final Object lock;
    private final Owner<W> owner;
    /** How many grants may be held at once; 0 when a grant is spent as it is delivered. */
    private final int slots;
    // guarded by lock:
    private final LinkedHashSet<W> waiting = new LinkedHashSet<>();
    private int held;
    private Throwable closed;

    private WaiterQueue(Object lock, int slots, Owner<W> owner) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.slots = slots;
    }

    /**
     * A queue whose grants each hold one of a number of slots until {@link #release released}.
     *
     * @param <W> the owner's waiter type
     * @param <G> what a waiter is granted
     * @param lock the owner's lock, which guards the queue too
     * @param slots how many grants may be held at once (1 or more)
     * @param owner who orders and grants the waiters
     * @return the queue
     */
    public static <W extends Waiter<G>, G> WaiterQueue<W, G> withSlots(Object lock, int slots, Owner<W> owner) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        }
        return new WaiterQueue<>(lock, slots, owner);
    }

    /**
     * A queue whose grants are spent as they are delivered (a permit): nothing to release.
     *
     * @param <W> the owner's waiter type
     * @param <G> what a waiter is granted
     * @param lock the owner's lock, which guards the queue too
     * @param owner who orders and grants the waiters
     * @return the queue
     */
    public static <W extends Waiter<G>, G> WaiterQueue<W, G> spentOnDelivery(Object lock, Owner<W> owner) {
        return new WaiterQueue<>(lock, 0, owner);
    }

    /**
     * Emits the grant when it comes. Each subscription is a new waiter; cancelling gives its place or
     * its undelivered grant up.
     *
     * @param newWaiter makes the subscription's waiter
     * @return the grant, on subscription; the owner's or the close's error when it is failed
     */
    public Mono<G> enter(Supplier<? extends W> newWaiter) {
        return Mono.create(sink -> {
            W waiter = newWaiter.get();
            waiter.sink = sink;
            // First: a cancel from here on is seen (one that came earlier runs at once, and leaves the
            // waiter GONE before it is ever queued).
            sink.onCancel(() -> cancel(waiter));
            Outbox out = Outbox.under(lock);
            synchronized (lock) {
                if (waiter.state != Waiter.NEW) {
                    return;
                }
                if (closed != null) {
                    fail(waiter, closed, out);
                } else {
                    owner.arrive(waiter, out);
                    if (waiter.state == Waiter.NEW) {
                        throw new IllegalStateException("the owner neither granted, queued nor failed a waiter");
                    }
                }
            }
            out.send();
        });
    }

    /**
     * Runs work while holding a slot: the slot is released however the work ends, or when it is
     * cancelled, and an undelivered grant is taken back.
     *
     * @param <T> the work's value
     * @param newWaiter makes the subscription's waiter
     * @param work what to run with the slot
     * @return the work's outcome, on subscription; the owner's or the close's error when it is failed
     */
    public <T> Mono<T> withSlot(Supplier<? extends W> newWaiter, Function<? super W, ? extends Mono<T>> work) {
        return withSlot(newWaiter, UnaryOperator.identity(), work);
    }

    /**
     * Runs work while holding a slot, as {@link #withSlot(Supplier, Function)}, with the wait for
     * the slot bounded or otherwise changed first (a timeout: its cancel gives the place up).
     *
     * @param <T> the work's value
     * @param newWaiter makes the subscription's waiter
     * @param waiting applied to the wait for the grant alone
     * @param work what to run with the slot
     * @return the work's outcome, on subscription; the owner's, the close's or the wait's error
     */
    public <T> Mono<T> withSlot(Supplier<? extends W> newWaiter, UnaryOperator<Mono<G>> waiting,
            Function<? super W, ? extends Mono<T>> work) {
        // The release wraps the whole: a grant delivered as the caller left may be dropped between
        // operators (flatMap discards a value that comes after its cancel), and is released all the same.
        return Mono.using(AtomicReference<W>::new,
                mine -> waiting.apply(enter(() -> {
                    W waiter = newWaiter.get();
                    mine.set(waiter);
                    return waiter;
                })).flatMap(granted -> work.apply(mine.get())),
                mine -> {
                    W waiter = mine.get();
                    if (waiter != null) {
                        release(waiter);
                    }
                });
    }

    /**
     * Queues a new waiter. Caller holds the lock.
     *
     * @param waiter a waiter in {@link Owner#arrive}
     */
    public void queue(W waiter) {
        if (waiter.state != Waiter.NEW) {
            throw new IllegalStateException("only a new waiter is queued");
        }
        waiter.state = Waiter.WAITING;
        waiting.add(waiter);
    }

    /**
     * Grants a new or waiting waiter (taking a slot, when grants hold one); the value is delivered
     * after the lock. Caller holds the lock.
     *
     * @param waiter the waiter
     * @param grant its grant
     * @param out the step's outbox
     * @throws IllegalStateException when the waiter is not new or waiting, or no slot is free
     */
    public void grant(W waiter, G grant, Outbox out) {
        if (waiter.state != Waiter.NEW && waiter.state != Waiter.WAITING) {
            throw new IllegalStateException("only a new or waiting waiter is granted");
        }
        if (slots > 0 && held >= slots) {
            throw new IllegalStateException("no free slot");
        }
        waiting.remove(waiter);
        waiter.state = Waiter.GRANTED;
        waiter.grant = grant;
        if (slots > 0) {
            held++;
        }
        MonoSink<G> sink = waiter.sink;
        out.add(() -> sink.success(grant));
    }

    /**
     * Fails a new or waiting waiter; a waiting one leaves the queue. Caller holds the lock.
     *
     * @param waiter the waiter
     * @param error its error
     * @param out the step's outbox
     */
    public void fail(W waiter, Throwable error, Outbox out) {
        int was = waiter.state;
        if (was != Waiter.NEW && was != Waiter.WAITING) {
            return;
        }
        waiter.state = Waiter.GONE;
        MonoSink<G> sink = waiter.sink;
        out.add(() -> sink.error(error)); // the caller first, then whatever the owner tells
        if (was == Waiter.WAITING) {
            waiting.remove(waiter);
            owner.left(waiter, false, out);
        }
    }

    /**
     * Fails every waiting waiter; the queue stays open. Caller holds the lock.
     *
     * @param error their error
     * @param out the step's outbox
     */
    public void failWaiting(Throwable error, Outbox out) {
        for (W waiter : new ArrayList<>(waiting)) {
            fail(waiter, error, out);
        }
    }

    /**
     * Fails every waiting waiter, and each that arrives later, with the error. Grants already made
     * are delivered (or taken back) as usual, and their holders still release them.
     *
     * @param error the error they see
     */
    public void close(Throwable error) {
        Objects.requireNonNull(error, "error");
        Outbox out = Outbox.under(lock);
        synchronized (lock) {
            if (closed == null) {
                closed = error;
                failWaiting(error, out);
            }
        }
        out.send();
    }

    /**
     * Gives back the slot a delivered grant holds (idempotent: later calls do nothing).
     *
     * @param waiter the holder
     */
    public void release(W waiter) {
        Outbox out = Outbox.under(lock);
        synchronized (lock) {
            if (waiter.state != Waiter.GRANTED || slots == 0) {
                return;
            }
            waiter.state = Waiter.GONE;
            held--;
            owner.freed(out);
        }
        out.send();
    }

    private void cancel(W waiter) {
        Outbox out = Outbox.under(lock);
        synchronized (lock) {
            int was = waiter.state;
            waiter.state = Waiter.GONE;
            if (was == Waiter.WAITING) {
                waiting.remove(waiter);
                owner.left(waiter, true, out);
            } else if (was == Waiter.GRANTED) {
                // A sink calls onCancel only if its value was not delivered: the grant never reached anyone.
                owner.returned(waiter, out);
                if (slots > 0) {
                    held--;
                    owner.freed(out);
                }
            }
        }
        out.send();
    }

    /**
     * A new outbox for a step the owner runs under the lock itself; send it after the lock.
     *
     * @return the outbox
     */
    public Outbox outbox() {
        return Outbox.under(lock);
    }

    /** {@return the first waiter still waiting, in arrival order, or null} Caller holds the lock. */
    public W first() {
        return waiting.isEmpty() ? null : waiting.iterator().next();
    }

    /** {@return how many wait} Caller holds the lock. */
    public int waiting() {
        return waiting.size();
    }

    /** {@return how many grants hold a slot now} Caller holds the lock. */
    public int held() {
        return held;
    }

    /** {@return whether a grant may take a slot now} Caller holds the lock. */
    public boolean hasFreeSlot() {
        return slots == 0 || held < slots;
    }

    /** {@return whether the queue was closed} Caller holds the lock. */
    public boolean isClosed() {
        return closed != null;
    }
}
