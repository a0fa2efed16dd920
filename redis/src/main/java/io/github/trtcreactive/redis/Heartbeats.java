package io.github.trtcreactive.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The store's registrations, one per account it has served (and one for its key prefix): each
 * registers this process under its key now and every 2 s, and remembers how many processes Redis
 * counted there. An account no call has used for the idle time is let go at its next beat: its
 * heartbeat stops and nothing of it is kept (the prefix's own registration never goes). A
 * registration started while the store closes is stopped at once: close wins.
 */
final class Heartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLimitStore.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final long idleNanos;
    /** Registers under a key, answering how many processes are registered there. */
    private final BiFunction<String, String, Mono<Integer>> register;
    /** Whether the store is closed (no new registration then). */
    private final BooleanSupplier closed;
    /** Whether the connection is gone for good (a view's beats stop with the original). */
    private final BooleanSupplier connectionClosed;

    Heartbeats(Duration idle, BiFunction<String, String, Mono<Integer>> register, BooleanSupplier closed,
            BooleanSupplier connectionClosed) {
        this.idleNanos = idle.toNanos();
        this.register = register;
        this.closed = closed;
        this.connectionClosed = connectionClosed;
    }

    /**
     * Notes a use of an account, and registers this process under its key unless it is already.
     *
     * @param account the account (or the prefix's own name, which is never let go when {@code permanent})
     * @param processesKey the sorted set to register in
     * @param permanent whether the registration is kept however long it goes unused
     */
    void use(String account, String processesKey, boolean permanent) {
        long now = System.nanoTime();
        Registration current = registrations.get(account);
        if ((current != null && current.touch(now)) || closed.getAsBoolean()) {
            return;
        }
        Registration mine = new Registration(account, processesKey, permanent, now);
        while ((current = registrations.putIfAbsent(account, mine)) != null) {
            if (current.touch(now)) {
                return;
            }
            registrations.remove(account, current); // let go at its last beat: replace it
        }
        mine.start();
        if (closed.getAsBoolean()) { // stopAll() may have passed over the map before this one was in it
            mine.dispose();
            registrations.remove(account, mine);
        }
    }

    /** {@return how many processes Redis last counted under the account, null before the first answer} */
    Integer count(String account) {
        Registration r = registrations.get(account);
        return r == null ? null : r.count;
    }

    /** Stops every heartbeat (the store is closing). */
    void stopAll() {
        registrations.values().forEach(Disposable::dispose);
    }

    /** {@return how many registrations beat now, permanent ones included or not} */
    int running(boolean withPermanent) {
        int n = 0;
        for (Registration r : registrations.values()) {
            n += r.isDisposed() || (r.permanent && !withPermanent) ? 0 : 1;
        }
        return n;
    }

    /** {@return how many accounts' counts are held, permanent registrations' not included} */
    int countsHeld() {
        int n = 0;
        for (Registration r : registrations.values()) {
            n += r.count == null || r.permanent ? 0 : 1;
        }
        return n;
    }

    /**
     * One account's registration: its heartbeat, when a call last used the account, and the count
     * Redis last answered it. The count is the registration's own, so one let go takes its count
     * with it and never touches the count of the registration that replaced it.
     */
    private final class Registration implements Disposable {
        private final String account;
        private final String processesKey;
        private final boolean permanent;
        private final Disposable.Swap task = Disposables.swap();
        private long lastUsed; // guarded by this
        private boolean released; // guarded by this
        /** How many processes Redis counted at this registration's last answer; null before the first. */
        private volatile Integer count;

        Registration(String account, String processesKey, boolean permanent, long now) {
            this.account = account;
            this.processesKey = processesKey;
            this.permanent = permanent;
            this.lastUsed = now;
        }

        /** Notes a use; false when the registration was let go (a new one must take its place). */
        synchronized boolean touch(long now) {
            if (released) {
                return false;
            }
            lastUsed = now;
            return true;
        }

        private synchronized boolean releaseIfIdle(long now) {
            if (!permanent && now - lastUsed >= idleNanos) {
                released = true;
            }
            return released;
        }

        void start() {
            // A swap: when it was disposed (closed) before it started, the beats are disposed at once.
            task.update(Flux.interval(Duration.ZERO, HEARTBEAT)
                    .takeWhile(tick -> !connectionClosed.getAsBoolean())
                    .concatMap(tick -> Mono.defer(this::beat))
                    .subscribe());
        }

        /** One beat: lets an idle account go, else registers again. Beats never overlap (concatMap). */
        private Mono<Integer> beat() {
            if (releaseIfIdle(System.nanoTime())) {
                registrations.remove(account, this); // its count goes with it; a replacement's is its own
                dispose();
                return Mono.empty();
            }
            return register.apply(account, processesKey)
                    .doOnNext(answer -> count = answer)
                    .onErrorResume(e -> {
                        LOG.debug("registering under {} failed: {}", processesKey, e.toString());
                        return Mono.empty();
                    });
        }

        @Override
        public void dispose() {
            task.dispose();
        }

        @Override
        public boolean isDisposed() {
            return task.isDisposed();
        }
    }
}
