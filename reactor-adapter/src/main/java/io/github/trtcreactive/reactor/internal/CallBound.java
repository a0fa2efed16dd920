package io.github.trtcreactive.reactor.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A call bounded by its deadline and by its client's close: whichever comes first of the call's
 * own end, the deadline or the close ends it, and the other two are cancelled (the call's work
 * cancelled, its timer disposed, its close watch removed).
 *
 * <p>The same as racing the call against a delay and the close signal with
 * {@code Mono.firstWithSignal}, at a fraction of the cost: one timer task, and an O(1) entry in the
 * lifecycle's watch set instead of a subscription to a multicast signal (whose subscriber array is
 * copied on every join and leave, so its cost grows with the calls in flight).
 *
 * @param <T> the call's value
 */
public final class CallBound<T> extends Mono<T> {

    private final Mono<T> source;
    private final Duration deadline;
    private final LoopTimer timer;
    private final ClientLifecycle lifecycle;
    private final Supplier<? extends Throwable> deadlineError;
    private final Supplier<? extends Throwable> closedError;

    /**
     * @param source the call
     * @param deadline how long it may take in all
     * @param timer where the deadline is kept
     * @param lifecycle the client's lifecycle
     * @param deadlineError what the call ends with when the deadline comes first
     * @param closedError what the call ends with when the client closes first
     */
    public CallBound(Mono<T> source, Duration deadline, LoopTimer timer, ClientLifecycle lifecycle,
            Supplier<? extends Throwable> deadlineError, Supplier<? extends Throwable> closedError) {
        this.source = source;
        this.deadline = deadline;
        this.timer = timer;
        this.lifecycle = lifecycle;
        this.deadlineError = deadlineError;
        this.closedError = closedError;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Bound<T> bound = new Bound<>(actual, this);
        actual.onSubscribe(bound);
        if (bound.ended != 0) {
            return; // cancelled at once: nothing was started
        }
        if (!lifecycle.watch(bound)) {
            bound.clientClosed();
            return;
        }
        try {
            bound.timerTask = timer.schedule(bound::deadlinePassed, deadline.toNanos());
        } catch (RejectedExecutionException e) {
            bound.fail(e);
            return;
        }
        if (bound.ended != 0) {
            bound.release(); // ended while the timer was being set: the timer is not yet released
            return;
        }
        source.subscribe(bound);
    }

    /** The subscriber between the call and its caller, and the caller's subscription. */
    static final class Bound<T> extends Operators.DeferredSubscription
            implements CoreSubscriber<T>, ClientLifecycle.Watcher {

        private static final AtomicIntegerFieldUpdater<Bound> ENDED =
                AtomicIntegerFieldUpdater.newUpdater(Bound.class, "ended");

        private final CoreSubscriber<? super T> actual;
        private final CallBound<T> parent;
        volatile int ended;
        volatile Disposable timerTask;

        Bound(CoreSubscriber<? super T> actual, CallBound<T> parent) {
            this.actual = actual;
            this.parent = parent;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
            set(s);
        }

        @Override
        public void onNext(T value) {
            if (end()) {
                actual.onNext(value);
                actual.onComplete();
            } else {
                Operators.onNextDropped(value, actual.currentContext());
            }
        }

        @Override
        public void onError(Throwable error) {
            if (end()) {
                actual.onError(error);
            } else {
                Operators.onErrorDropped(error, actual.currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (end()) {
                actual.onComplete();
            }
        }

        void deadlinePassed() {
            if (end()) {
                super.cancel();
                actual.onError(parent.deadlineError.get());
            }
        }

        @Override
        public void clientClosed() {
            if (end()) {
                super.cancel();
                actual.onError(parent.closedError.get());
            }
        }

        void fail(Throwable error) {
            if (end()) {
                super.cancel();
                actual.onError(error);
            }
        }

        @Override
        public void cancel() {
            if (end()) {
                super.cancel();
            }
        }

        /** Whether this is the first end; the first also releases the timer and the close watch. */
        private boolean end() {
            if (!ENDED.compareAndSet(this, 0, 1)) {
                return false;
            }
            release();
            return true;
        }

        void release() {
            Disposable task = timerTask;
            if (task != null) {
                task.dispose();
            }
            parent.lifecycle.unwatch(this);
        }
    }
}
