package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A call's turn in the fleet, when the limiter has a shared {@link LimitStore}: the moment the store
 * reserves, waited for on a local timer (and given back when the call is cancelled first).
 *
 * <p>When the store fails or does not answer in time, calls follow the store-failure policy until it
 * answers again: by default each process counts alone at its share of the limit (the limit divided by
 * the processes the store last saw). The switch waits a window after the last moment this process
 * had reserved, and the first reservation after the store is back asks it to hold off for a window,
 * because the store cannot see what was counted alone: the fleet pauses for a window at each switch
 * rather than crowding one.
 *
 * <p>Each switch is logged once, not per call: a WARN when the store fails (it names the store's
 * type and the failure's type, never a message, which a store of someone else's might fill with a
 * secret), an INFO when it answers again.
 */
final class FleetTurns {

    /** Under the limiter's name: the one users configure. */
    private static final Logger LOG = LoggerFactory.getLogger(TrtcRateLimiter.class);

    /** The limit's figures one key needs: its schedule, its window and this process's fallback lane. */
    record Terms(LimitStore.LimitSchedule schedule, long windowNanos, Function<Integer, Lane> shareLane) {}

    private final LimitStore store;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Duration retry;
    private final TrtcRateLimiter.StoreFailure policy;
    private final RateLimitListener listener;
    private final AtomicBoolean down = new AtomicBoolean();
    private final StoreTimeouts timeouts;
    private volatile long retryAt = Long.MIN_VALUE;
    /** Per key: the latest moment reserved, in the scheduler's nanoseconds. */
    private final Map<String, Long> lastReserved = new ConcurrentHashMap<>();
    /** Keys that counted alone since the store last answered for them. */
    private final Set<String> counted = ConcurrentHashMap.newKeySet();
    /** Per key: the background calls waiting to ask the store. */
    private final Map<String, BackgroundLine> lines = new ConcurrentHashMap<>();
    private final double backgroundShare;
    /** The shortest pause before a background call asks the store again. */
    private static final long MIN_ASK_AGAIN = TimeUnit.MILLISECONDS.toNanos(5);

    FleetTurns(LimitStore store, Scheduler scheduler, Duration timeout, Duration retry,
            TrtcRateLimiter.StoreFailure policy, RateLimitListener listener, double backgroundShare) {
        this.store = store;
        this.backgroundShare = backgroundShare;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.timeouts = new StoreTimeouts(timeout);
        this.retry = retry;
        this.policy = policy;
        this.listener = listener;
    }

    boolean isShared() {
        return store.isShared();
    }

    /**
     * Completes when the call's turn has come: with the reserved moment (the scheduler's nanoseconds)
     * when the store reserved one, empty when the call counted alone. A background call asks the
     * store for a moment near now (or one of the background share's); when none is free, it asks
     * again when the store says, until its maximum wait. Only one background call per key asks at a
     * time (the others wait in line behind it), so a process with many background calls asks the
     * store no more often than one would.
     */
    Mono<Long> turn(String key, String account, String action, CallPriority priority, Duration maxWait, Terms terms) {
        return Mono.defer(() -> {
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            if (now < retryAt) {
                return alone(key, account, action, priority, maxWait, terms);
            }
            long deadline = now + maxWait.toNanos();
            Mono<LimitStore.Reservation> reserved = priority == CallPriority.BACKGROUND
                    ? lines.computeIfAbsent(key, k -> new BackgroundLine(scheduler)).run(deadline,
                            () -> beyond(action, maxWait), () -> ask(key, account, action, priority, deadline, maxWait,
                            terms))
                    : ask(key, account, action, priority, deadline, maxWait, terms);
            return reserved
                    .flatMap(r -> {
                        long moment = scheduler.now(TimeUnit.NANOSECONDS) + r.delay().toNanos();
                        lastReserved.merge(key, moment, Math::max);
                        if (r.delay().isZero()) {
                            return Mono.just(moment);
                        }
                        return Mono.delay(r.delay(), scheduler)
                                .doOnCancel(() -> store.release(r).timeout(timeout, scheduler)
                                        .subscribe(done -> { }, failed -> { }))
                                .thenReturn(moment);
                    })
                    .onErrorResume(e -> !(e instanceof TrtcRateLimitException), e -> {
                        failed(e);
                        // What is left of the call's wait, not the whole of it again.
                        long rest = deadline - scheduler.now(TimeUnit.NANOSECONDS);
                        return rest <= 0 ? Mono.error(beyond(action, maxWait))
                                : alone(key, account, action, priority, Duration.ofNanos(rest), terms);
                    });
        });
    }

    /** Asks the store until it reserves a moment, each time when it said, no later than the deadline. */
    private Mono<LimitStore.Reservation> ask(String key, String account, String action, CallPriority priority,
            long deadline, Duration maxWait, Terms terms) {
        return Mono.defer(() -> {
            long left = deadline - scheduler.now(TimeUnit.NANOSECONDS);
            if (left <= 0) {
                return Mono.error(beyond(action, maxWait));
            }
            boolean rejoining = counted.contains(key);
            Duration holdOff = rejoining ? Duration.ofNanos(terms.windowNanos()) : Duration.ZERO;
            long askedAt = System.nanoTime();
            return answer(new LimitStore.LimitKey(account, action), terms, priority, deadline, holdOff, maxWait, 0)
                    // Once per answer, a reservation or none (the moment is beyond the maximum wait).
                    .doOnSuccess(answer -> listener.onStoreAnswered(Duration.ofNanos(System.nanoTime() - askedAt)))
                    .switchIfEmpty(Mono.error(() -> beyond(action, maxWait)))
                    .doOnNext(answer -> answered(key, rejoining))
                    .flatMap(answer -> {
                        if (answer.isReserved()) {
                            return Mono.just(answer.reservation());
                        }
                        long again = Math.max(MIN_ASK_AGAIN, answer.askAgainIn().toNanos());
                        if (scheduler.now(TimeUnit.NANOSECONDS) + again > deadline) {
                            return Mono.error(beyond(action, maxWait));
                        }
                        return Mono.delay(Duration.ofNanos(again), scheduler)
                                .then(ask(key, account, action, priority, deadline, maxWait, terms));
                    });
        });
    }

    /**
     * The store's answer. None within the bound is a slow moment, and the store is asked again
     * (at most {@value StoreTimeouts#REPEATED} times); repeated, or with the store's connection
     * down, it is an outage: the {@link TimeoutException} goes on, and the call counts alone (see
     * {@link #turn}). A call whose own wait runs out meanwhile is refused as beyond it, which says
     * nothing about the store.
     */
    private Mono<LimitStore.Answer> answer(LimitStore.LimitKey limitKey, Terms terms, CallPriority priority,
            long deadline, Duration holdOff, Duration maxWait, int asked) {
        return Mono.defer(() -> {
            long askedAt = scheduler.now(TimeUnit.NANOSECONDS);
            long left = deadline - askedAt;
            return store.reserve(limitKey, terms.schedule(), priority, backgroundShare, Duration.ofNanos(left), holdOff)
                    .timeout(givingUp(left))
                    .onErrorResume(TimeoutException.class, e -> {
                        long now = scheduler.now(TimeUnit.NANOSECONDS);
                        if (now >= deadline) {
                            return Mono.error(beyond(limitKey.action(), maxWait));
                        }
                        if (timeouts.gaveUp(askedAt, now) || !store.isConnected()
                                || asked + 1 >= StoreTimeouts.REPEATED) {
                            return Mono.error(e);
                        }
                        LOG.debug("the shared rate-limit store answered no reservation in time; asking again");
                        return answer(limitKey, terms, priority, deadline, holdOff, maxWait, asked + 1);
                    });
        });
    }

    /**
     * When to give up on an answer: at the store timeout when the store is not connected or has
     * lately missed answers repeatedly; else, the answer being only late, up to
     * {@value StoreTimeouts#LATE_BOUND_FACTOR} times the store timeout, or the call's wait if that
     * ends sooner (but never before the store timeout).
     */
    private Mono<Long> givingUp(long leftNanos) {
        long soft = timeout.toNanos();
        long hard = Math.max(soft, Math.min(soft * StoreTimeouts.LATE_BOUND_FACTOR, leftNanos));
        return Mono.delay(Duration.ofNanos(soft), scheduler).flatMap(tick -> {
            long rest = hard - soft;
            if (rest <= 0 || !store.isConnected() || timeouts.repeated(scheduler.now(TimeUnit.NANOSECONDS))) {
                return Mono.just(tick);
            }
            return Mono.delay(Duration.ofNanos(rest), scheduler);
        });
    }

    private static TrtcRateLimitException beyond(String action, Duration maxWait) {
        return new TrtcRateLimitException(action, maxWait,
                "the fleet's next free moment is beyond the maximum wait of " + maxWait.toMillis() + " ms");
    }

    /** Without the store: fail, or count alone at this process's share, a window after its last reserved moment. */
    private Mono<Long> alone(String key, String account, String action, CallPriority priority, Duration maxWait,
            Terms terms) {
        if (policy == TrtcRateLimiter.StoreFailure.FAIL) {
            return Mono.error(new TrtcRateLimitException(action, Duration.ZERO,
                    "the shared limit store is unavailable (store-failure policy FAIL)"));
        }
        counted.add(key);
        Lane share = terms.shareLane().apply(Math.max(1, store.fleetSize(account)));
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        // A key that never had a turn (a cold process) cannot know what the fleet spent in the last
        // window either: it waits one, as if its last turn were now, rather than burst its share.
        long pauseUntil = lastReserved.computeIfAbsent(key, k -> now) + terms.windowNanos();
        long pause = pauseUntil - now;
        if (pause <= 0) {
            return share.acquire(priority, maxWait).then(Mono.empty());
        }
        // The pause counts against the call's wait.
        long rest = maxWait.toNanos() - pause;
        if (rest <= 0) {
            return Mono.error(new TrtcRateLimitException(action, maxWait, "counting alone while the shared limit"
                    + " store is unavailable, the next permit is beyond the maximum wait of " + maxWait.toMillis()
                    + " ms"));
        }
        return Mono.delay(Duration.ofNanos(pause), scheduler)
                .then(share.acquire(priority, Duration.ofNanos(rest)).then(Mono.empty()));
    }

    /**
     * Forgets a key whose account is idle, unless its state still matters: a background caller in
     * line, or a reserved moment less than a window old (counting alone would have to pause after it).
     *
     * @param key the lane key
     * @param now the scheduler's nanoseconds
     * @param windowNanos the key's window
     * @return whether nothing of the key is kept
     */
    boolean forget(String key, long now, long windowNanos) {
        if (matters(key, now, windowNanos)) {
            return false;
        }
        lines.remove(key);
        lastReserved.remove(key);
        counted.remove(key);
        return true;
    }

    /**
     * Whether a key's state still matters: a background caller in line, or a reserved moment less than a
     * window old. The caller holds the lock of the key's account, so no call of it comes meanwhile.
     */
    boolean matters(String key, long now, long windowNanos) {
        BackgroundLine line = lines.get(key);
        Long last = lastReserved.get(key);
        return line != null && line.busy() || last != null && last + windowNanos > now;
    }

    /** {@return how many keys hold state here (reserved moments, alone counts, background lines)} */
    int trackedKeyCount() {
        Set<String> keys = new HashSet<>(lastReserved.keySet());
        keys.addAll(counted);
        keys.addAll(lines.keySet());
        return keys.size();
    }

    private void failed(Throwable e) {
        retryAt = scheduler.now(TimeUnit.NANOSECONDS) + retry.toNanos();
        if (down.compareAndSet(false, true)) {
            if (policy == TrtcRateLimiter.StoreFailure.FAIL) {
                LOG.warn("The shared rate-limit store ({}) failed ({}): refusing calls (store-failure policy FAIL)"
                        + " until it answers again", store.getClass().getSimpleName(), e.getClass().getSimpleName());
            } else {
                LOG.warn("The shared rate-limit store ({}) failed ({}): counting locally at this process's share"
                        + " of the limit until it answers again", store.getClass().getSimpleName(),
                        e.getClass().getSimpleName());
            }
            listener.onStoreUnavailable(e);
        }
    }

    private void answered(String key, boolean rejoined) {
        if (rejoined) {
            counted.remove(key);
        }
        if (down.compareAndSet(true, false)) {
            LOG.info("The shared rate-limit store ({}) answers again: counting there again",
                    store.getClass().getSimpleName());
            listener.onStoreRestored();
        }
    }
}
