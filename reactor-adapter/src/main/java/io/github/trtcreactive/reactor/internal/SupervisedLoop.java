package io.github.trtcreactive.reactor.internal;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A background subscription that is started again whenever it fails or ends while its owner still
 * needs it: after 100 ms, doubling up to 30 s, each pause jittered by up to half, on the owner's
 * scheduler (so a virtual clock drives it in tests). One outage is logged once at WARN (the later
 * restarts of the same outage at DEBUG) and its end at INFO. The loop counts as recovered at its
 * first element after a restart, or when a restarted run has lasted {@link #STABLE} without failing.
 * Its status is always readable; the restart hook and the log run outside the loop's lock.
 * Thread-safe.
 */
public final class SupervisedLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedLoop.class);
    /** The first pause before a restart. */
    public static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    /** The longest pause before a restart. */
    public static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** How long a restarted run that emits nothing must last to count as recovered. */
    public static final Duration STABLE = Duration.ofSeconds(5);
    private static final String ENDED = "ended";

    private final String name;
    private final Supplier<? extends Publisher<?>> body;
    private final BooleanSupplier finished;
    private final Scheduler scheduler;
    private final Consumer<BackgroundStatus> onRestart;
    private final Object lock = new Object();
    private final Disposable.Swap running = Disposables.swap();
    private final Disposable.Swap timer = Disposables.swap();
    /** Read without the lock on each element: the fast path of a loop that is up. */
    private volatile State state = State.IDLE;
    private int attempt; // guarded by lock
    private long restarts; // guarded by lock
    private String lastError; // guarded by lock
    /** Which run is current: a signal of an earlier run is ignored. Guarded by lock. */
    private long generation;

    /**
     * Prepares a loop; nothing runs before {@link #start()}.
     *
     * @param name the loop's name, for the log and the status
     * @param body makes the subscription's publisher, once per run
     * @param finished whether the owner is done, so an end is expected and the loop stops
     * @param scheduler where the pauses are timed
     * @param onRestart told each restart (outside any lock); it must not throw
     */
    public SupervisedLoop(String name, Supplier<? extends Publisher<?>> body, BooleanSupplier finished,
            Scheduler scheduler, Consumer<BackgroundStatus> onRestart) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
        this.finished = Objects.requireNonNull(finished, "finished");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.onRestart = Objects.requireNonNull(onRestart, "onRestart");
    }

    /** Starts the loop, once: later calls, and calls after {@link #stop()}, do nothing. */
    public void start() {
        long run;
        synchronized (lock) {
            if (state != State.IDLE) {
                return;
            }
            state = State.UP;
            run = generation;
        }
        run(run);
    }

    /** Stops the loop for good: cancels the subscription and any pending restart. */
    public void stop() {
        synchronized (lock) {
            state = State.STOPPED;
            generation++;
        }
        timer.dispose();
        running.dispose();
    }

    /** {@return the loop's status now} */
    public BackgroundStatus status() {
        synchronized (lock) {
            return snapshot();
        }
    }

    private BackgroundStatus snapshot() {
        return new BackgroundStatus(name, state, restarts, Optional.ofNullable(lastError));
    }

    /** Subscribes one run; its signals count only while it is the current one. */
    private void run(long run) {
        Publisher<?> source;
        try {
            source = Objects.requireNonNull(body.get(), "the loop's publisher");
        } catch (RuntimeException e) {
            ended(run, e);
            return;
        }
        Run subscriber = new Run(run);
        running.update(subscriber);
        Flux.from(source).subscribe(subscriber);
        if (isCurrent(run)) {
            // Recovered when a restarted run lasts, even if it has nothing to emit.
            schedule(() -> healthy(run), STABLE);
        }
    }

    private boolean isCurrent(long run) {
        synchronized (lock) {
            return run == generation && state != State.STOPPED;
        }
    }

    private void healthy(long run) {
        if (state != State.RESTARTING) {
            return;
        }
        long restartsSoFar;
        synchronized (lock) {
            if (run != generation || state != State.RESTARTING) {
                return;
            }
            state = State.UP;
            attempt = 0;
            restartsSoFar = restarts;
        }
        LOG.info("the background loop {} runs again ({} restarts so far)", name, restartsSoFar);
    }

    /** A run failed (error) or ended (null): restart it after a pause, unless its owner is done. */
    private void ended(long run, Throwable error) {
        if (!isCurrent(run)) {
            return;
        }
        boolean done = finished.getAsBoolean();
        boolean firstOfOutage;
        Duration pause;
        long next;
        BackgroundStatus status;
        synchronized (lock) {
            if (run != generation || state == State.STOPPED) {
                return;
            }
            generation++;
            if (done) {
                state = State.STOPPED;
                return;
            }
            restarts++;
            lastError = error == null ? ENDED : error.getClass().getName();
            firstOfOutage = state != State.RESTARTING;
            state = State.RESTARTING;
            pause = pause(attempt++);
            next = generation;
            status = snapshot();
        }
        String cause = error == null ? "it ended" : error.toString();
        if (firstOfOutage) {
            LOG.warn("the background loop {} stopped ({}); starting it again after a pause growing from {} ms to "
                    + "{} s (restarts of this outage are logged at DEBUG)", name, cause, FIRST_PAUSE.toMillis(),
                    MAX_PAUSE.toSeconds());
        } else {
            LOG.debug("the background loop {} stopped again ({}); next start in {} ms", name, cause, pause.toMillis());
        }
        try {
            onRestart.accept(status);
        } catch (RuntimeException e) {
            LOG.debug("the restart hook of {} threw {}; ignored", name, e.toString());
        }
        schedule(() -> {
            if (isCurrent(next)) {
                run(next);
            }
        }, pause);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            timer.update(scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("the scheduler of {} is shut down; the loop stops", name);
            stop();
        }
    }

    /** The pause before restart number {@code n + 1}: doubling from the first, capped, jittered by up to half. */
    static Duration pause(int n) {
        long base = FIRST_PAUSE.toNanos() << Math.min(n, 20);
        long capped = Math.min(base, MAX_PAUSE.toNanos());
        long jitter = ThreadLocalRandom.current().nextLong(-capped / 2, capped / 2 + 1);
        return Duration.ofNanos(Math.max(FIRST_PAUSE.toNanos() / 2, Math.min(MAX_PAUSE.toNanos(), capped + jitter)));
    }

    /** One run's subscriber: any element says the loop works; an error or the end restarts it. */
    private final class Run extends BaseSubscriber<Object> {
        private final long run;

        Run(long run) {
            this.run = run;
        }

        @Override
        protected void hookOnNext(Object value) {
            healthy(run);
        }

        @Override
        protected void hookOnError(Throwable error) {
            ended(run, error);
        }

        @Override
        protected void hookOnComplete() {
            ended(run, null);
        }
    }
}
