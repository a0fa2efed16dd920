package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Where the permits of a rate limit are counted. The limiter always keeps its own lanes (FIFO
 * waiting, the record of when calls were written and answered, the slow-down after refusals); a
 * shared store adds one schedule for an account and action that every process using the store
 * follows, so a fleet of processes stays inside the account's limit together. The default,
 * {@link #local()}, shares nothing: each process counts alone.
 *
 * <p>A store reserves moments, it does not wait: {@link #reserve} answers how long the caller must
 * wait for the moment it reserved, and the limiter waits on a local timer. Implementations must not
 * block, must answer (or fail) promptly, and should time out their own I/O, signalling a
 * {@link java.util.concurrent.TimeoutException} for an answer that did not come in time (any other
 * error means the store cannot answer). The limiter bounds every call with its store timeout anyway:
 * an answer missing it on a connected store ({@link #isConnected()}) is a slow moment, asked again;
 * answers missed repeatedly, or any other error, make it fall back as its
 * {@link TrtcRateLimiter.StoreFailure} policy says.
 */
public interface LimitStore {

    /** {@return the in-process store: no sharing (the limiter's default)} */
    static LimitStore local() {
        return LocalLimitStore.INSTANCE;
    }

    /** {@return whether permits are shared beyond this process; the limiter consults shared stores only} */
    default boolean isShared() {
        return true;
    }

    /**
     * Whether the store can answer now, as far as it knows without asking: for a networked store,
     * whether its connection is up (or still being made for the first time). While it is, the
     * limiter takes a late answer for a slow moment and waits for it (up to four times its store
     * timeout, within the call's wait); when it is not, the limiter falls back at the store timeout,
     * as its {@link TrtcRateLimiter.StoreFailure} policy says. The default: always.
     *
     * @return whether the store is connected
     */
    default boolean isConnected() {
        return true;
    }

    /**
     * Reserves the next moment at which one call may be sent under a schedule, counted across every
     * user of the store, and moves the schedule on by one permit.
     *
     * @param key the account and action
     * @param schedule the spacing and burst of the limit
     * @param maxWait the longest acceptable wait: a later moment is not reserved
     * @param holdOff no moment earlier than this from now may be reserved, and the schedule moves on
     *     from there: a process rejoining after it counted alone asks for a window's pause, since the
     *     store cannot see the calls counted meanwhile (zero: no pause)
     * @return the reservation, on subscription; an empty Mono when the moment would be later than
     *     {@code maxWait} (nothing is reserved then)
     */
    Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff);

    /**
     * Reserves a moment for a call of a given priority, so that the fleet serves interactive calls
     * before background ones as each process's limiter does. An interactive call reserves as
     * {@link #reserve(LimitKey, LimitSchedule, Duration, Duration)} does. A background call reserves
     * only a moment close to now (within half a spacing: a permit nobody else waits for),
     * or, when the schedule is busier, one of the background share's permits (at most
     * {@code backgroundShare} of the limit over time), so background work never makes an
     * interactive call of any process wait behind a queue of its own. Otherwise nothing is reserved
     * and the answer says when to ask again.
     *
     * <p>The default ignores the priority: a store that does not implement this serves the fleet's
     * calls first come, first served (each process's limiter still serves its own interactive calls
     * first).
     *
     * @param key the account and action
     * @param schedule the spacing and burst of the limit
     * @param priority the call's priority
     * @param backgroundShare the share of the limit background calls keep under interactive load (0 to 1)
     * @param maxWait the longest acceptable wait: a later moment is not reserved
     * @param holdOff as for {@link #reserve(LimitKey, LimitSchedule, Duration, Duration)}
     * @return the answer, on subscription; an empty Mono when the moment would be later than
     *     {@code maxWait}
     */
    default Mono<Answer> reserve(LimitKey key, LimitSchedule schedule, CallPriority priority, double backgroundShare,
            Duration maxWait, Duration holdOff) {
        return reserve(key, schedule, maxWait, holdOff).map(Answer::reserved);
    }

    /**
     * Gives a reservation back, when its call was cancelled before its moment. Best effort: a store
     * may only be able to give back the latest reservation of a schedule; one it cannot give back
     * stays used, which is safe.
     *
     * @param reservation the reservation
     * @return completes when done, on subscription
     */
    Mono<Void> release(Reservation reservation);

    /**
     * How many processes share an account through this store, as last seen; the limiter divides the
     * limit by it when it must fall back to counting alone.
     *
     * @param account the account
     * @return at least 1
     */
    default int fleetSize(String account) {
        return 1;
    }

    /**
     * One account's limit on one action.
     *
     * @param account the account key (see {@link TrtcRateLimiter.Builder#account(String)})
     * @param action the action
     */
    record LimitKey(String account, String action) {}

    /**
     * The schedule of a limit: permits {@code interval} apart after a burst of {@code burst} at once,
     * so that no window of the limit's period (plus margin) holds more than its permits.
     *
     * @param interval the spacing of permits
     * @param burst how many may go at once after a quiet spell (1 or more)
     * @param expiry how long a store keeps the schedule of an unused key
     */
    record LimitSchedule(Duration interval, int burst, Duration expiry) {}

    /**
     * A reserved moment.
     *
     * @param key the account and action
     * @param schedule the schedule it was reserved under
     * @param delay how long from the reservation until the moment (zero: now)
     * @param token what the store needs to give the reservation back
     */
    record Reservation(LimitKey key, LimitSchedule schedule, Duration delay, long token) {}

    /**
     * The answer to a prioritized request: a reservation, or when to ask again.
     *
     * @param reservation the reserved moment, or null when none was reserved
     * @param askAgainIn when none was reserved, how long until asking again may succeed; else zero
     */
    record Answer(Reservation reservation, Duration askAgainIn) {

        /**
         * An answer holding a reservation.
         *
         * @param reservation the reserved moment
         * @return an answer holding it
         */
        public static Answer reserved(Reservation reservation) {
            return new Answer(java.util.Objects.requireNonNull(reservation, "reservation"), Duration.ZERO);
        }

        /**
         * An answer asking the caller to ask again later.
         *
         * @param askAgainIn how long until asking again
         * @return an answer that reserved nothing
         */
        public static Answer later(Duration askAgainIn) {
            return new Answer(null, java.util.Objects.requireNonNull(askAgainIn, "askAgainIn"));
        }

        /** {@return whether a moment was reserved} */
        public boolean isReserved() {
            return reservation != null;
        }
    }
}
