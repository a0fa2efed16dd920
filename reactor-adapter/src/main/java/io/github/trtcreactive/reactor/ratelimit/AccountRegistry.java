package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.reactor.internal.IdleSweeper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.scheduler.Scheduler;

/**
 * The limiter's state per account (its lane keys, lanes and fleet terms), and the sweep that
 * forgets an account once it has been idle: with rotating temporary credentials each SecretId is an
 * account, so without the sweep the limiter would keep one entry for every SecretId it ever saw.
 *
 * <p>A lane is forgotten once it has been quiet for the idle time, nothing waits on it and none of
 * its recent uses still counts in its window. An account is forgotten once, in addition, no call of
 * it is under way (waiting, asking the fleet or in flight), all its lanes are gone and the fleet
 * may forget its keys (no background caller in line, no reserved moment less than a window old); the
 * check, the fleet's forgetting and the retiring are one step under the account's lock, which a call
 * entering the account takes too. Everything forgotten is re-created on the account's next call. The
 * sweep runs on the limiter's scheduler every quarter of the idle time, only while some account is
 * tracked, and never calls user code; its locks are the lanes' and the accounts' own (then a line's),
 * held for a few field reads and map operations.
 */
final class AccountRegistry {

    /** One account's state; its maps are created and read only by calls that {@link #enter} it. */
    static final class Account {
        final String name;
        /** Lane keys ({@code account\naction}) by action, made once. */
        private final Map<String, String> keys = new ConcurrentHashMap<>();
        /** The lanes by lane key: one per action, and the fallback share lanes of a shared store. */
        final Map<String, Lane> lanes = new ConcurrentHashMap<>();
        /** The fleet's figures by lane key. */
        final Map<String, FleetTurns.Terms> terms = new ConcurrentHashMap<>();
        private int inFlight; // guarded by this
        private long lastUsed; // guarded by this
        private boolean retired; // guarded by this

        private Account(String name) {
            this.name = name;
        }

        /** {@return the lane key of an action of this account, made once} */
        String key(String action) {
            return keys.computeIfAbsent(action, a -> name + "\n" + a);
        }

        private synchronized boolean enter(long now) {
            if (retired) {
                return false;
            }
            inFlight++;
            lastUsed = Math.max(lastUsed, now);
            return true;
        }

        private synchronized void leave(long now) {
            inFlight--;
            lastUsed = Math.max(lastUsed, now);
        }

        /**
         * Retires the account if it is idle, its lanes are gone and the fleet may forget all its keys,
         * and forgets them: one step under the account's lock, which {@link #enter} takes too, so no call
         * enters between the check and the forgetting. A few map operations; no user code.
         */
        private synchronized boolean retireIfIdle(long now, long idleNanos, FleetTurns fleet) {
            if (retired) {
                return true;
            }
            if (inFlight > 0 || now - lastUsed < idleNanos || !lanes.isEmpty()) {
                return false;
            }
            for (String key : keys.values()) {
                if (fleet.matters(key, now, windowOf(key))) {
                    return false;
                }
            }
            for (String key : keys.values()) {
                fleet.forget(key, now, windowOf(key));
            }
            terms.clear();
            retired = true;
            return true;
        }

        private long windowOf(String key) {
            FleetTurns.Terms t = terms.get(key);
            return t == null ? 0 : t.windowNanos();
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final long idleNanos;
    private final FleetTurns fleet;
    private final IdleSweeper sweeper;

    /**
     * @param scheduler the limiter's scheduler: its clock and the sweep's timer
     * @param idleNanos how long an account or lane must be quiet before it is forgotten
     * @param fleet the fleet's turns, whose per-key state is forgotten with the account
     */
    AccountRegistry(Scheduler scheduler, long idleNanos, FleetTurns fleet) {
        this.scheduler = scheduler;
        this.idleNanos = idleNanos;
        this.sweeper = new IdleSweeper(scheduler, Math.max(1_000_000L, idleNanos / 4), this::forgetIdle,
                accounts::isEmpty);
        this.fleet = fleet;
    }

    /**
     * Starts a call of an account: the account is not forgotten until the call {@link #leave}s.
     *
     * @param name the account
     * @return its state
     */
    Account enter(String name) {
        while (true) {
            Account account = accounts.computeIfAbsent(name, Account::new);
            if (account.enter(now())) {
                sweeper.start();
                return account;
            }
            accounts.remove(name, account); // retired by a sweep under way: take a new one
        }
    }

    /** Ends a call that {@link #enter}ed the account. */
    void leave(Account account) {
        account.leave(now());
    }

    /**
     * The account's lane for a key, made when it does not exist (or was retired and removed).
     *
     * @param account the account, entered by the caller
     * @param key the lane key
     * @param make makes the lane
     * @return the lane
     */
    Lane lane(Account account, String key, Function<String, Lane> make) {
        return account.lanes.computeIfAbsent(key, make);
    }

    /** {@return how many accounts are tracked now} */
    int accountCount() {
        return accounts.size();
    }

    /** {@return every lane held now} */
    List<Lane> lanes() {
        List<Lane> all = new ArrayList<>();
        accounts.values().forEach(a -> all.addAll(a.lanes.values()));
        return all;
    }

    /** {@return how many lane keys, lanes and fleet terms the accounts hold now} */
    int entryCount() {
        int n = 0;
        for (Account a : accounts.values()) {
            n += a.keys.size() + a.lanes.size() + a.terms.size();
        }
        return n;
    }

    private long now() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    /** Sweeps now (and goes on sweeping while entries remain). */
    void sweep() {
        sweeper.sweepNow();
    }

    /** Forgets the idle entries. */
    private void forgetIdle() {
        long now = now();
        accounts.forEach((name, account) -> {
            account.lanes.forEach((key, lane) -> {
                if (lane.retireIfIdle(now, idleNanos)) {
                    account.lanes.remove(key, lane);
                }
            });
            if (account.retireIfIdle(now, idleNanos, fleet)) {
                accounts.remove(name, account);
            }
        });
    }
}
