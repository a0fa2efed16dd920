package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Keeps calls inside TRTC's per-account, per-action rate limits without blocking a thread: each
 * call waits for a permit on a timer, then is sent. Waiters are served first come first served within
 * each {@link CallPriority}: interactive calls before background ones, which keep a guaranteed share
 * ({@link Builder#backgroundShare(double)}). One bucket per SecretId
 * and action; share one limiter between clients that use the same account. With a shared
 * {@link LimitStore} the priorities hold across the fleet too, when the store implements them (the
 * Redis store does): background calls take only free moments of the fleet's schedule, or its
 * background share.
 *
 * <p><b>What the default guarantees.</b> With N calls allowed per period, permits are spaced
 * {@code (period + margin) / N} apart (burst 1, margin 10 ms), so no window of period + margin ever
 * holds more than N sent calls. The client reports when each request is really written (after a new
 * connection is opened, for example), and a permit is granted only once the N-th most recent write
 * is a full window old, so a request that left late delays the next ones instead of crowding a
 * window. The service, whatever one-second window it counts over, therefore sees at most N as long
 * as the delay with which two calls written a period apart reach it differs by less than the
 * margin. The cost is the margin, so by default it follows the path: it starts at 10 ms (99% of a
 * one-second limit) and, once a lane has seen 16 answers, becomes the larger of the whole spread of
 * its last 64 round trips and twice the spread between their median and fastest, between 2 ms (99.8%) and 100 ms (a distant region with
 * jittery round trips, 91%). Fix it with {@link Builder#safetyMargin(Duration)}. A larger burst lets that many calls
 * go at once, at the price of a lower sustained rate ({@code N - burst + 1} per period + margin), so
 * the guarantee holds for any setting.
 *
 * <p>When the service still answers {@code RequestLimitExceeded} (another process shares the
 * account), the bucket halves its rate, at most once per decrease (refusals of calls granted before
 * it change nothing), and recovers linearly; a lower limit the message states is adopted once a later
 * call is refused with it again. The refused call, which was not executed, is sent again after its
 * new wait.
 *
 * <p>Lanes are keyed by account and action: the SecretId unless {@link Builder#account(String)} names
 * the account. What the limiter keeps per account is forgotten once the account has been idle for
 * {@link Builder#idleEviction(Duration)} (see there), so rotating credentials do not make it grow.
 *
 * <p>Use it on your own publishers with {@code mono.transformDeferred(limiter.forAction(id, action))}.
 */
public final class TrtcRateLimiter {

    private static final Duration LOCAL_MARGIN = Duration.ofMillis(10);
    private static final Duration SHARED_MARGIN = Duration.ofMillis(40);
    /** The bounds of a margin that follows the measured jitter. */
    private static final Duration MIN_MARGIN = Duration.ofMillis(2);
    private static final Duration MAX_MARGIN = Duration.ofMillis(100);
    private static final Pattern STATED_LIMIT = Pattern.compile("frequency limit `(\\d+)`");
    private static final TrtcRateLimiter DISABLED = new TrtcRateLimiter(null);

    private final Builder config;
    private final FleetTurns fleet;
    private final AccountRegistry accounts;

    private TrtcRateLimiter(Builder config) {
        this.config = config;
        this.fleet = config == null ? null : new FleetTurns(config.store, config.scheduler, config.storeTimeout,
                config.storeRetry, config.storeFailure, config.listener, config.backgroundShare);
        this.accounts = config == null ? null : new AccountRegistry(config.scheduler,
                Math.max(config.idleEviction.toNanos(), config.recovery.toNanos()), fleet);
    }

    /** {@return a limiter with every default: documented limits, burst 1, a margin following the jitter, adaptive} */
    public static TrtcRateLimiter create() {
        return builder().build();
    }

    /** {@return a limiter that lets every call through at once} */
    public static TrtcRateLimiter disabled() {
        return DISABLED;
    }

    /** {@return a builder for a configured limiter} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether this limiter limits anything} */
    public boolean isEnabled() {
        return config != null;
    }

    /**
     * Limits a call: the returned Mono waits for a permit, then subscribes to {@code call}; if the
     * service refuses it as over the limit, it slows the bucket and sends the call again (a bounded
     * number of times). Cancelling while waiting gives the permit to the next caller.
     *
     * @param <T> the call's value
     * @param secretId the account key the limit belongs to
     * @param action the action
     * @param call the call, subscribed once per permit
     * @return the limited call
     * @throws io.github.trtcreactive.core.error.TrtcRateLimitException (as onError) when waiting would exceed a bound
     */
    public <T> Mono<T> limit(String secretId, String action, Mono<T> call) {
        return limit(secretId, action, permit -> call);
    }

    /**
     * Limits a call that reports when its request is written ({@link Permit#sent()}), which keeps
     * the limit by the times the service sees even when sending is delayed after the permit.
     *
     * @param <T> the call's value
     * @param secretId the account key the limit belongs to
     * @param action the action
     * @param call makes the call for a permit; invoked once per permit
     * @return the limited call
     */
    public <T> Mono<T> limit(String secretId, String action, Function<Permit, Mono<T>> call) {
        return limit(secretId, action, CallPriority.INTERACTIVE, null, call);
    }

    /**
     * Limits a call of a given priority that reports when its request is written.
     *
     * @param <T> the call's value
     * @param secretId the account key the limit belongs to
     * @param action the action
     * @param priority whose call it is: interactive calls are served before background ones
     * @param maxWait the longest this call may wait for its permit; null for its priority's default
     * @param call makes the call for a permit; invoked once per permit
     * @return the limited call
     */
    public <T> Mono<T> limit(String secretId, String action, CallPriority priority, Duration maxWait,
            Function<Permit, Mono<T>> call) {
        if (config == null) {
            return Mono.defer(() -> call.apply(Permit.NONE));
        }
        String name = account(secretId, action);
        Duration wait = maxWait(priority, maxWait);
        return Mono.defer(() -> {
            AccountRegistry.Account account = accounts.enter(name);
            String key = account.key(action);
            long[] grantedAt = {Long.MIN_VALUE};
            Lane[] lane = new Lane[1];
            long askedAt = config.scheduler.now(TimeUnit.NANOSECONDS);
            Mono<T> once = acquire(account, key, action, priority, wait, lane).flatMap(p -> {
                grantedAt[0] = Lane.grantedAt(p);
                return fleet.isShared() ? shared(account, key, action, priority, left(wait, askedAt), p)
                        .flatMap(call) : call.apply(p);
            });
            return (config.adaptive ? resendingThrottled(once, lane, grantedAt, 0) : once)
                    .doFinally(signal -> accounts.leave(account));
        });
    }

    /**
     * The call, sent again (up to the configured number of times) after the service refuses it as
     * over the limit, each refusal slowing the bucket first. Nothing is assembled for a call that is
     * not refused.
     */
    private <T> Mono<T> resendingThrottled(Mono<T> once, Lane[] lane, long[] grantedAt, int resent) {
        return once.onErrorResume(e -> {
            if (resent >= config.throttleRetries || !isThrottle(e)) {
                return Mono.error(e);
            }
            lane[0].throttled(statedLimit(e), grantedAt[0]);
            return resendingThrottled(once, lane, grantedAt, resent + 1);
        });
    }

    /**
     * Limits a streaming call: one permit before each subscription; a refusal as over the limit
     * (which comes before any element) slows the bucket and sends the call again, as {@link #limit} does.
     *
     * @param <T> the element type
     * @param secretId the account key the limit belongs to
     * @param action the action
     * @param call makes the call for a permit; invoked once per permit
     * @return the limited stream
     */
    public <T> Flux<T> limitMany(String secretId, String action, Function<Permit, Flux<T>> call) {
        return limitMany(secretId, action, CallPriority.INTERACTIVE, null, call);
    }

    /**
     * Limits a streaming call of a given priority: one permit before each subscription.
     *
     * @param <T> the element type
     * @param secretId the account key the limit belongs to
     * @param action the action
     * @param priority whose call it is: interactive calls are served before background ones
     * @param maxWait the longest this call may wait for its permit; null for its priority's default
     * @param call makes the call for a permit; invoked once per permit
     * @return the limited stream
     */
    public <T> Flux<T> limitMany(String secretId, String action, CallPriority priority, Duration maxWait,
            Function<Permit, Flux<T>> call) {
        if (config == null) {
            return Flux.defer(() -> call.apply(Permit.NONE));
        }
        String name = account(secretId, action);
        Duration wait = maxWait(priority, maxWait);
        return Flux.defer(() -> {
            AccountRegistry.Account account = accounts.enter(name);
            String key = account.key(action);
            long[] grantedAt = {Long.MIN_VALUE};
            Lane[] lane = new Lane[1];
            long askedAt = config.scheduler.now(TimeUnit.NANOSECONDS);
            Flux<T> once = acquire(account, key, action, priority, wait, lane)
                    .doOnNext(p -> grantedAt[0] = Lane.grantedAt(p))
                    .flatMap(p -> shared(account, key, action, priority, left(wait, askedAt), p))
                    .flatMapMany(call);
            return (config.adaptive ? once.retryWhen(throttleRetry(lane, grantedAt)) : once)
                    .doFinally(signal -> accounts.leave(account));
        });
    }

    /**
     * A permit from the bucket's current lane; if that lane was evicted as idle in the meantime, from
     * the new one (at most a few times: a lane is retired only after a long quiet spell).
     */
    private Mono<Permit> acquire(AccountRegistry.Account account, String key, String action, CallPriority priority,
            Duration maxWait, Lane[] current) {
        return acquire(account, key, action, priority, maxWait, current, 0);
    }

    /** A permit from the key's lane; a lane retired meanwhile (idle, removed) is replaced, up to 8 times. */
    private Mono<Permit> acquire(AccountRegistry.Account account, String key, String action, CallPriority priority,
            Duration maxWait, Lane[] current, int replaced) {
        return Mono.defer(() -> {
            current[0] = lane(account, key, action);
            return current[0].acquire(priority, maxWait);
        }).onErrorResume(Lane.Retired.class::isInstance, e -> replaced >= 8 ? Mono.error(e)
                : acquire(account, key, action, priority, maxWait, current, replaced + 1));
    }

    /**
     * The operator form of {@link #limit}, for {@code transformDeferred}.
     *
     * @param <T> the value type
     * @param secretId the account key
     * @param action the action
     * @return a function limiting each subscription of a Mono
     */
    public <T> Function<Mono<T>, Mono<T>> forAction(String secretId, String action) {
        return call -> limit(secretId, action, call);
    }

    /**
     * Limits a streaming call: one permit before each subscription.
     *
     * @param <T> the element type
     * @param secretId the account key
     * @param action the action
     * @return a function limiting each subscription of a Flux
     */
    public <T> Function<Flux<T>, Flux<T>> forStreamingAction(String secretId, String action) {
        return flux -> limitMany(secretId, action, permit -> flux);
    }

    /** {@return the state of every bucket used so far} */
    public List<BucketSnapshot> snapshot() {
        List<BucketSnapshot> all = new ArrayList<>();
        if (accounts != null) {
            accounts.lanes().forEach(l -> all.add(l.snapshot()));
        }
        return all;
    }

    /**
     * The fleet's turn, with a shared store (see {@link FleetTurns}); at once without one. A turn at
     * a reserved moment gives a permit that must be written within half the margin of its moment, or
     * take a new turn first.
     */
    private Mono<Permit> shared(AccountRegistry.Account account, String key, String action, CallPriority priority,
            Duration maxWait, Permit local) {
        if (!fleet.isShared()) {
            return Mono.just(local);
        }
        // A turn taken again (the first came too late to use) waits only for what is left of the call's wait.
        long deadline = config.scheduler.now(java.util.concurrent.TimeUnit.NANOSECONDS) + maxWait.toNanos();
        Supplier<Mono<Long>> turn = () -> fleet.turn(key, account.name, action, priority, untilDeadline(deadline),
                account.terms.computeIfAbsent(key, k -> terms(k, account, action)));
        return turn.get()
                .map(moment -> (Permit) new FleetPermit(local, config.scheduler, moment,
                        config.margin.toNanos() / 2, action, turn))
                .defaultIfEmpty(local);
    }

    /** The figures of one key's limit as this limiter applies them, with its fallback lanes. */
    private FleetTurns.Terms terms(String key, AccountRegistry.Account account, String action) {
        RateLimit limit = limitOf(action);
        int burst = Math.min(config.bursts.getOrDefault(action, config.burst), limit.permits());
        long window = limit.period().toNanos() + config.margin.toNanos();
        long interval = (long) Math.ceil(window / (double) (limit.permits() - burst + 1));
        LimitStore.LimitSchedule schedule = new LimitStore.LimitSchedule(Duration.ofNanos(interval), burst,
                Duration.ofNanos(Math.max(2 * window, TimeUnit.MINUTES.toNanos(1))));
        return new FleetTurns.Terms(schedule, window, fleetSize -> {
            int share = Math.max(1, limit.permits() / fleetSize);
            return accounts.lane(account, key + "\nalone:" + share, k -> new Lane(account.name, action,
                    new TokenBucket(share, limit.period().toNanos(), config.margin.toNanos(), 1,
                            config.recovery.toNanos()),
                    limit.period().toNanos(), JitterMargin.fixed(config.margin.toNanos()), config.scheduler,
                    config.listener, config.backgroundShare, config.maxQueue, config.maxOneWayDelay));
        });
    }

    /** What is left of a maximum wait since a moment (at least a nanosecond: the fleet then answers at once or refuses). */
    private Duration left(Duration maxWait, long since) {
        long spent = config.scheduler.now(TimeUnit.NANOSECONDS) - since;
        return Duration.ofNanos(Math.max(1, maxWait.toNanos() - Math.max(0, spent)));
    }

    /** What is left until a deadline on the scheduler's clock (at least a nanosecond, as {@link #left}). */
    private Duration untilDeadline(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - config.scheduler.now(java.util.concurrent.TimeUnit.NANOSECONDS)));
    }

    private Duration maxWait(CallPriority priority, Duration requested) {
        Objects.requireNonNull(priority, "priority");
        if (requested != null) {
            if (requested.isNegative() || requested.isZero()) {
                throw new IllegalArgumentException("maxWait must be positive, was " + requested);
            }
            return requested;
        }
        return priority == CallPriority.INTERACTIVE ? config.interactiveMaxWait : config.backgroundMaxWait;
    }

    private RateLimit limitOf(String action) {
        return config.overrides.getOrDefault(action, ActionCatalogue.standard().resolve(action).rateLimit());
    }

    /** The account a call counts against (the builder's, else the SecretId); checks the arguments. */
    private String account(String secretId, String action) {
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(action, "action");
        return config.account != null ? config.account : secretId;
    }

    private Lane lane(AccountRegistry.Account account, String key, String action) {
        return accounts.lane(account, key, k -> {
            RateLimit limit = limitOf(action);
            int burst = Math.min(config.bursts.getOrDefault(action, config.burst), limit.permits());
            TokenBucket bucket = new TokenBucket(limit.permits(), limit.period().toNanos(), config.margin.toNanos(),
                    burst, config.recovery.toNanos());
            JitterMargin margin = config.marginFollowsJitter
                    ? new JitterMargin(config.margin.toNanos(), MIN_MARGIN.toNanos(), MAX_MARGIN.toNanos())
                    : JitterMargin.fixed(config.margin.toNanos());
            return new Lane(account.name, action, bucket, limit.period().toNanos(), margin,
                    config.scheduler, config.listener, config.backgroundShare, config.maxQueue, config.maxOneWayDelay);
        });
    }

    /** {@return how many lanes (account and action pairs, and fallback shares) the limiter holds now} */
    public int laneCount() {
        return accounts == null ? 0 : accounts.lanes().size();
    }

    /** {@return how many accounts the limiter tracks now (none once all were idle for the eviction time)} */
    public int trackedAccountCount() {
        return accounts == null ? 0 : accounts.accountCount();
    }

    /** {@return how many per-key entries (lane keys, lanes, fleet terms and turns) it holds now; 0 once all are idle} */
    public int trackedKeyCount() {
        return accounts == null ? 0 : accounts.entryCount() + fleet.trackedKeyCount();
    }

    /** Refused as over the limit (so not executed): slow the bucket, then send again, a bounded number of times. */
    private Retry throttleRetry(Lane[] lane, long[] grantedAt) {
        return Retry.max(config.throttleRetries)
                .filter(TrtcRateLimiter::isThrottle)
                .doBeforeRetry(signal -> lane[0].throttled(statedLimit(signal.failure()), grantedAt[0]))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    private static boolean isThrottle(Throwable e) {
        return e instanceof TrtcServiceException s && s.isCode("RequestLimitExceeded");
    }

    private static int statedLimit(Throwable e) {
        Matcher m = STATED_LIMIT.matcher(((TrtcServiceException) e).errorMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Configures a {@link TrtcRateLimiter}; mutable, not thread-safe. */
    public static final class Builder {

        private final Map<String, RateLimit> overrides = new HashMap<>();
        private final Map<String, Integer> bursts = new HashMap<>();
        private int burst = 1;
        private Duration margin;
        /** Set by build(): no margin was given and the store is local. */
        private boolean marginFollowsJitter;
        private Duration interactiveMaxWait = Duration.ofSeconds(30);
        private Duration backgroundMaxWait = Duration.ofMinutes(10);
        private double backgroundShare = 0.25;
        private int maxQueue = 100_000;
        private boolean adaptive = true;
        private int throttleRetries = 3;
        private Duration recovery = Duration.ofSeconds(30);
        private Scheduler scheduler = Schedulers.parallel();
        private RateLimitListener listener = RateLimitListener.NONE;
        private String account;
        private Duration maxOneWayDelay = Duration.ofMillis(200);
        private Duration idleEviction = Duration.ofMinutes(10);
        private LimitStore store = LimitStore.local();
        private Duration storeTimeout = Duration.ofMillis(250);
        private Duration storeRetry = Duration.ofSeconds(1);
        private StoreFailure storeFailure = StoreFailure.LOCAL_SHARE;

        private Builder() {}

        /**
         * Counts permits in a store shared by every process of a fleet (for example
         * {@code RedisLimitStore} of the {@code trtc-reactive-redis} module), so they stay inside the
         * account's limits together. Default {@link LimitStore#local()}: each process alone.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(LimitStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * How long the shared store's answer may take (default 250 ms). A later answer on a store
         * that is connected ({@link LimitStore#isConnected()}) is a slow moment: it is awaited up
         * to four times this long (within the call's permit wait), and asked for again when it
         * does not come (at most three times per call). Three stalls within 10 s (or twelve times
         * this timeout, if longer; calls caught in one stall count it once), an error, or a store
         * that is not connected at this timeout make the store count as unavailable (see
         * {@link #storeFailure}). A call whose own permit wait ends first is refused as beyond it.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder storeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("storeTimeout must be positive, was " + timeout);
            }
            this.storeTimeout = timeout;
            return this;
        }

        /**
         * After the store failed, how long calls skip it before it is tried again (default 1 s).
         *
         * @param retry a positive duration
         * @return this builder
         */
        public Builder storeRetry(Duration retry) {
            if (retry.isNegative() || retry.isZero()) {
                throw new IllegalArgumentException("storeRetry must be positive, was " + retry);
            }
            this.storeRetry = retry;
            return this;
        }

        /**
         * What calls do while the shared store is unavailable (default {@link StoreFailure#LOCAL_SHARE}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder storeFailure(StoreFailure policy) {
            this.storeFailure = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Names the account whose limits these are. Lanes are then keyed by it and the action, not by
         * the SecretId: temporary credentials, whose SecretId changes at every refresh, and an
         * account's two key pairs share one budget. Default: each SecretId is its own account.
         *
         * @param account any stable name of the account, for example its APPID or UIN
         * @return this builder
         */
        public Builder account(String account) {
            Objects.requireNonNull(account, "account");
            if (account.isBlank() || account.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("account must be a non-blank name on one line");
            }
            this.account = account;
            return this;
        }

        /**
         * The longest a request may take to reach the service after it is written (default 200 ms).
         * A call still unanswered, or answered late, counts as used no later than its write plus this
         * delay: a reply that takes long was slow to be processed, not to arrive, and must not hold the
         * next permits back. Raise it on a path with long network delays.
         *
         * @param delay zero or more
         * @return this builder
         */
        public Builder maxOneWayDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("maxOneWayDelay must not be negative, was " + delay);
            }
            this.maxOneWayDelay = delay;
            return this;
        }

        /**
         * How long a lane (one account and action) or an account may stay quiet before it is
         * forgotten (default 10 minutes, and never less than the recovery time). An account is
         * forgotten, with its lanes and its shared-store state, only when no call of it waits or is
         * under way, none of its permits still counts in its window and no reserved moment is less
         * than a window old; the sweep runs every quarter of this time, so an account goes between
         * 1 and 1.25 times it after its last call, and its next call starts afresh.
         *
         * @param idle a positive duration
         * @return this builder
         */
        public Builder idleEviction(Duration idle) {
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("idleEviction must be positive, was " + idle);
            }
            this.idleEviction = idle;
            return this;
        }

        /**
         * Replaces the catalogue's limit of one action (for example a limit raised for your account).
         *
         * @param action the action
         * @param limit the limit to apply
         * @return this builder
         * @throws IllegalArgumentException when the catalogue does not know the action (the message
         *     suggests the nearest name)
         */
        public Builder limit(String action, RateLimit limit) {
            ActionCatalogue.standard().requireKnown(action, "TrtcRateLimiter.Builder.limit(action, limit)");
            overrides.put(action, Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * How many calls may go at once after a quiet spell (default 1). See the class description for
         * its cost in sustained rate.
         *
         * @param burst 1 or more; capped at each action's limit
         * @return this builder
         */
        public Builder burst(int burst) {
            this.burst = positive("burst", burst);
            return this;
        }

        /**
         * The burst of one action.
         *
         * @param action the action
         * @param burst 1 or more
         * @return this builder
         * @throws IllegalArgumentException when the catalogue does not know the action
         */
        public Builder burst(String action, int burst) {
            ActionCatalogue.standard().requireKnown(action, "TrtcRateLimiter.Builder.burst(action, burst)");
            bursts.put(action, positive("burst", burst));
            return this;
        }

        /**
         * Fixes the extra time added to every limit's period, absorbing jitter in when calls reach the
         * service. Without it the margin of each bucket follows the jitter of its own round trips (see
         * the class description: 10 ms at first, then between 2 and 100 ms); with a shared
         * {@link #store(LimitStore)} it is 40 ms (96% of a one-second limit), since the fleet's
         * processes reach the service over paths no one process measures.
         *
         * @param margin zero or more
         * @return this builder
         */
        public Builder safetyMargin(Duration margin) {
            if (margin.isNegative()) {
                throw new IllegalArgumentException("safetyMargin must not be negative, was " + margin);
            }
            this.margin = margin;
            return this;
        }

        /**
         * The longest any call may wait for its permit; a call that would wait longer fails at once
         * with TrtcRateLimitException. Sets both priorities' bounds (by default 30 s for interactive
         * calls and 10 minutes for background ones).
         *
         * @param maxWait a positive duration
         * @return this builder
         */
        public Builder maxWait(Duration maxWait) {
            maxWait(CallPriority.INTERACTIVE, maxWait);
            return maxWait(CallPriority.BACKGROUND, maxWait);
        }

        /**
         * The longest a call of one priority may wait for its permit (default 30 s for interactive
         * calls, which someone waits for, and 10 minutes for background ones). A call can ask for a
         * bound of its own.
         *
         * @param priority the priority
         * @param maxWait a positive duration
         * @return this builder
         */
        public Builder maxWait(CallPriority priority, Duration maxWait) {
            Objects.requireNonNull(priority, "priority");
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("maxWait must be positive, was " + maxWait);
            }
            if (priority == CallPriority.INTERACTIVE) {
                this.interactiveMaxWait = maxWait;
            } else {
                this.backgroundMaxWait = maxWait;
            }
            return this;
        }

        /**
         * The share of an action's limit that background calls keep while interactive calls wait too
         * (default 0.25): interactive calls are served first, background ones get this share of the
         * permits under sustained interactive load, and all of them when nothing interactive waits.
         *
         * @param share at least 0 (background only when nothing interactive waits) and below 1
         * @return this builder
         */
        public Builder backgroundShare(double share) {
            if (!(share >= 0 && share < 1)) {
                throw new IllegalArgumentException("backgroundShare must be at least 0 and below 1, was " + share);
            }
            this.backgroundShare = share;
            return this;
        }

        /**
         * How many calls may wait on one bucket; more fail at once (default 100,000).
         *
         * @param maxQueue 1 or more
         * @return this builder
         */
        public Builder maxQueue(int maxQueue) {
            this.maxQueue = positive("maxQueue", maxQueue);
            return this;
        }

        /**
         * Whether the limiter slows down and resends when the service answers RequestLimitExceeded
         * (default true).
         *
         * @param adaptive on or off
         * @return this builder
         */
        public Builder adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /**
         * How many times one call is sent again after RequestLimitExceeded (default 3).
         *
         * @param retries 0 or more
         * @return this builder
         */
        public Builder throttleRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("throttleRetries must not be negative, was " + retries);
            }
            this.throttleRetries = retries;
            return this;
        }

        /**
         * How long a slowed bucket takes to return linearly to its full rate (default 30 s).
         *
         * @param recovery zero or more
         * @return this builder
         */
        public Builder recovery(Duration recovery) {
            if (recovery.isNegative()) {
                throw new IllegalArgumentException("recovery must not be negative, was " + recovery);
            }
            this.recovery = recovery;
            return this;
        }

        /**
         * The scheduler whose clock and timers pace the calls (default {@code Schedulers.parallel()});
         * a VirtualTimeScheduler makes tests run in virtual time.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Observes grants, waits, refusals and throttles.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(RateLimitListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@return a new limiter with this configuration} */
        public TrtcRateLimiter build() {
            Builder copy = new Builder();
            copy.overrides.putAll(overrides);
            copy.bursts.putAll(bursts);
            copy.burst = burst;
            // A fleet's calls reach the service from several hosts, over paths whose delays differ more.
            copy.margin = margin != null ? margin : store.isShared() ? SHARED_MARGIN : LOCAL_MARGIN;
            copy.marginFollowsJitter = margin == null && !store.isShared();
            copy.interactiveMaxWait = interactiveMaxWait;
            copy.backgroundMaxWait = backgroundMaxWait;
            copy.backgroundShare = backgroundShare;
            copy.maxQueue = maxQueue;
            copy.adaptive = adaptive;
            copy.throttleRetries = throttleRetries;
            copy.recovery = recovery;
            copy.scheduler = scheduler;
            copy.listener = SafeRateLimitListener.of(listener);
            copy.account = account;
            copy.maxOneWayDelay = maxOneWayDelay;
            copy.idleEviction = idleEviction;
            copy.store = store;
            copy.storeTimeout = storeTimeout;
            copy.storeRetry = storeRetry;
            copy.storeFailure = storeFailure;
            return new TrtcRateLimiter(copy);
        }

        private static int positive(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, was " + value);
            }
            return value;
        }
    }

    /** What calls do while a shared {@link LimitStore} is unavailable. */
    public enum StoreFailure {
        /**
         * Count locally at this process's share of the limit: the limit divided by the number of
         * processes the store last saw sharing the account. Calls keep flowing and the fleet stays
         * inside the limit together.
         */
        LOCAL_SHARE,
        /** Fail calls with {@code TrtcRateLimitException} (nothing is sent). */
        FAIL
    }
}
