package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The waiter queue under each way a caller leaves (before it is queued, while queued, at the grant,
 * after) and under close, deterministically and raced 4,000 times on non-blocking threads; nothing is
 * ever signalled under the lock.
 */
class WaiterQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ROUNDS = 4000;

    /** A first-come-first-served owner of a few slots; counts every signal sent under its lock. */
    private static final class Fifo implements WaiterQueue.Owner<Fifo.Caller> {
        static final class Caller extends WaiterQueue.Waiter<Caller> {}

        final WaiterQueue<Caller, Caller> queue;
        final AtomicInteger underLock = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();
        /** Runs after the lock, before the grant a freed slot makes is delivered. */
        volatile Runnable beforeNextDelivery = () -> { };

        Fifo(int slots) {
            queue = WaiterQueue.withSlots(this, slots, this);
        }

        @Override
        public void arrive(Caller waiter, Outbox out) {
            if (queue.hasFreeSlot()) {
                queue.grant(waiter, waiter, out);
            } else {
                queue.queue(waiter);
            }
        }

        @Override
        public void returned(Caller waiter, Outbox out) {
            returned.incrementAndGet();
        }

        @Override
        public void freed(Outbox out) {
            Caller next = queue.first();
            if (next != null) {
                Runnable hook = beforeNextDelivery;
                out.add(hook);
                queue.grant(next, next, out);
            }
        }

        /** Holds a slot until disposed (or runs the given work in it). */
        <T> Mono<T> hold(Function<Caller, Mono<T>> work) {
            return queue.withSlot(Caller::new, caller -> {
                checkLock();
                return work.apply(caller);
            }).doOnError(e -> checkLock());
        }

        Mono<Integer> hold() {
            return hold(c -> Mono.never());
        }

        void checkLock() {
            if (Thread.holdsLock(this)) {
                underLock.incrementAndGet();
            }
        }

        int held() {
            synchronized (this) {
                return queue.held();
            }
        }

        int waiting() {
            synchronized (this) {
                return queue.waiting();
            }
        }

        /** No slot lost, no waiter left: a later caller runs at once. */
        void assertFree() {
            assertThat(held()).as("slots held").isZero();
            assertThat(waiting()).as("waiters left").isZero();
            StepVerifier.create(hold(c -> Mono.just(7))).expectNext(7).expectComplete().verify(WAIT);
            assertThat(underLock).as("signals under the lock").hasValue(0);
        }
    }

    @Test
    void aCallerCancelledBeforeItIsQueued_isNeverQueuedNorGranted() {
        Fifo fifo = new Fifo(1);
        for (int i = 0; i < 3; i++) {
            BaseSubscriber<Integer> cancelledFirst = new BaseSubscriber<>() { };
            cancelledFirst.cancel();
            fifo.hold().subscribe(cancelledFirst);
        }
        fifo.assertFree();
    }

    @Test
    void aCallerCancelledWhileQueued_leavesTheQueue_andTheNextIsGranted() {
        Fifo fifo = new Fifo(1);
        Disposable holder = fifo.hold().subscribe();
        Disposable gone = fifo.hold().subscribe();
        List<Integer> got = new CopyOnWriteArrayList<>();
        Disposable next = fifo.hold(c -> Mono.just(2)).subscribe(got::add);
        assertThat(fifo.waiting()).isEqualTo(2);
        gone.dispose();
        assertThat(fifo.waiting()).isEqualTo(1);
        holder.dispose();
        assertThat(got).containsExactly(2);
        next.dispose();
        fifo.assertFree();
    }

    @Test
    void aCallerCancelledAtTheGrant_beforeDelivery_givesTheGrantBack() {
        Fifo fifo = new Fifo(1);
        Disposable holder = fifo.hold().subscribe();
        AtomicInteger started = new AtomicInteger();
        Disposable late = fifo.hold(c -> {
            started.incrementAndGet();
            return Mono.never();
        }).subscribe();
        fifo.beforeNextDelivery = late::dispose; // granted under the lock, cancelled before it is told
        holder.dispose();
        assertThat(started).as("work started for a caller that left").hasValue(0);
        assertThat(fifo.returned).hasValue(1);
        fifo.beforeNextDelivery = () -> { };
        fifo.assertFree();
    }

    @Test
    void close_failsEveryWaiter_andEachLaterOne_outsideTheLock_whileHoldersKeepTheirSlots() {
        Fifo fifo = new Fifo(1);
        Disposable holder = fifo.hold().subscribe();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            fifo.hold().subscribe(v -> { }, errors::add);
        }
        TrtcClientClosedException closed = new TrtcClientClosedException("test");
        fifo.queue.close(closed);
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).isSameAs(closed));
        assertThat(fifo.underLock).hasValue(0);
        assertThat(fifo.waiting()).isZero();
        assertThat(fifo.held()).isEqualTo(1);
        StepVerifier.create(fifo.hold()).expectErrorSatisfies(e -> assertThat(e).isSameAs(closed)).verify(WAIT);
        holder.dispose();
        assertThat(fifo.held()).isZero();
    }

    @Test
    void anOutboxSentUnderTheLock_refusesToRunItsSignals() {
        Fifo fifo = new Fifo(1);
        AtomicInteger ran = new AtomicInteger();
        Outbox out = fifo.queue.outbox();
        out.add(ran::incrementAndGet);
        synchronized (fifo) {
            assertThatThrownBy(out::send).isInstanceOf(IllegalStateException.class);
        }
        assertThat(ran).hasValue(0);
        out.send();
        assertThat(ran).hasValue(1);
    }

    @Test
    void cancelRacingTheGrant_neverLosesASlot() {
        for (int i = 0; i < ROUNDS; i++) {
            Fifo fifo = new Fifo(1);
            Disposable holder = fifo.hold().subscribe();
            Disposable waiter = fifo.hold().subscribe();
            Races.race(holder::dispose, waiter::dispose);
            fifo.assertFree();
        }
    }

    @Test
    void cancelRacingClose_leavesNoWaiter_andOnlyTheCloseErrorIsSeen() {
        TrtcClientClosedException closed = new TrtcClientClosedException("test");
        for (int i = 0; i < ROUNDS; i++) {
            Fifo fifo = new Fifo(1);
            Disposable holder = fifo.hold().subscribe();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Disposable waiter = fifo.hold().subscribe(v -> { }, errors::add);
            Races.race(waiter::dispose, () -> fifo.queue.close(closed));
            assertThat(errors).hasSizeLessThanOrEqualTo(1).allSatisfy(e -> assertThat(e).isSameAs(closed));
            assertThat(fifo.waiting()).isZero();
            holder.dispose();
            assertThat(fifo.held()).isZero();
            StepVerifier.create(fifo.hold()).expectErrorSatisfies(e -> assertThat(e).isSameAs(closed)).verify(WAIT);
            assertThat(fifo.underLock).hasValue(0);
        }
    }

    @Test
    void grantRacingClose_eachWaiterIsGrantedOrFailed_neverLeftHanging() {
        TrtcClientClosedException closed = new TrtcClientClosedException("test");
        for (int i = 0; i < ROUNDS; i++) {
            Fifo fifo = new Fifo(1);
            Disposable holder = fifo.hold().subscribe();
            AtomicInteger started = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Disposable waiter = fifo.hold(c -> {
                started.incrementAndGet();
                return Mono.never();
            }).subscribe(v -> { }, errors::add);
            Races.race(holder::dispose, () -> fifo.queue.close(closed));
            assertThat(started.get() + errors.size()).as("granted or failed, once").isEqualTo(1);
            assertThat(errors).allSatisfy(e -> assertThat(e).isSameAs(closed));
            waiter.dispose();
            assertThat(fifo.held()).isZero();
            assertThat(fifo.waiting()).isZero();
            assertThat(fifo.underLock).hasValue(0);
        }
    }

    @Test
    void resubscribeRacingCancel_neverLosesASlot() {
        for (int i = 0; i < ROUNDS; i++) {
            Fifo fifo = new Fifo(2);
            Mono<Integer> shared = fifo.hold();
            Disposable first = shared.subscribe();
            AtomicReference<Disposable> again = new AtomicReference<>();
            Races.race(
                    first::dispose,
                    () -> again.set(shared.subscribe()),
                    () -> shared.subscribe().dispose(),
                    () -> {
                        Disposable d = again.get();
                        if (d != null) {
                            d.dispose();
                        }
                    });
            again.get().dispose();
            fifo.assertFree();
        }
    }
}
