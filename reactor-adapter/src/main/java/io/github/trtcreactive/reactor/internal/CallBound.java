package io.github.trtcreactive.reactor.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
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
    private final UnaryOperator<Throwable> errors;
    private final Ends ends;

    /**
     * Told how the call ended, before its caller is: the hooks a caller would otherwise add as
     * three more operators. Each method is called at most once, and only one of them.
     */
    public interface Ends {
        /** Ends told nothing. */
        Ends NONE = new Ends() {};

        /** The call succeeded (with a value or empty). */
        default void succeeded() {}

        /**
         * The call failed.
         *
         * @param error the error its caller receives
         */
        default void failed(Throwable error) {}

        /** The caller cancelled. */
        default void cancelled() {}
    }

    /**
     * Bounds a call by its deadline and the client's lifecycle.
     *
     * @param source the call
     * @param deadline how long it may take in all
     * @param timer where the deadline is kept
     * @param lifecycle the client's lifecycle
     * @param deadlineError what the call ends with when the deadline comes first
     * @param closedError what the call ends with when the client closes first
     */
    public CallBound(Mono<T> source, Duration deadline, LoopTimer timer, ClientLifecycle lifecycle,
            Supplier<? extends Throwable> deadlineError, Supplier<? extends Throwable> closedError) {
        this(source, deadline, timer, lifecycle, deadlineError, closedError, UnaryOperator.identity(), Ends.NONE);
    }

    /**
     * The same, translating every error before its caller sees it and telling {@code ends} how the
     * call ended.
     *
     * @param source the call
     * @param deadline how long it may take in all
     * @param timer where the deadline is kept
     * @param lifecycle the client's lifecycle
     * @param deadlineError what the call ends with when the deadline comes first
     * @param closedError what the call ends with when the client closes first
     * @param errors translates an error (the call's own, or one of the two above) for the caller
     * @param ends told how the call ended
     */
    public CallBound(Mono<T> source, Duration deadline, LoopTimer timer, ClientLifecycle lifecycle,
            Supplier<? extends Throwable> deadlineError, Supplier<? extends Throwable> closedError,
            UnaryOperator<Throwable> errors, Ends ends) {
        this.errors = errors;
        this.ends = ends;
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
                parent.ends.succeeded();
                actual.onNext(value);
                actual.onComplete();
            } else {
                Operators.onNextDropped(value, actual.currentContext());
            }
        }

        @Override
        public void onError(Throwable error) {
            if (end()) {
                failWith(error);
            } else {
                Operators.onErrorDropped(error, actual.currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (end()) {
                parent.ends.succeeded();
                actual.onComplete();
            }
        }

        void deadlinePassed() {
            if (end()) {
                super.cancel();
                failWith(parent.deadlineError.get());
            }
        }

        @Override
        public void clientClosed() {
            if (end()) {
                super.cancel();
                failWith(parent.closedError.get());
            }
        }

        void fail(Throwable error) {
            if (end()) {
                super.cancel();
                failWith(error);
            }
        }

        private void failWith(Throwable error) {
            Throwable translated = parent.errors.apply(error);
            parent.ends.failed(translated);
            actual.onError(translated);
        }

        @Override
        public void cancel() {
            if (end()) {
                super.cancel();
                parent.ends.cancelled();
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
