package io.github.trtcreactive.redis;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.ratelimit.CallPriority;
import io.github.trtcreactive.reactor.ratelimit.LimitStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * A {@link LimitStore} on Redis: every process that uses the same Redis (and key prefix) shares one
 * schedule per account and action, so a fleet stays inside the account's limits together.
 *
 * <pre>{@code
 * RedisLimitStore store = RedisLimitStore.connect("redis://127.0.0.1:6379");
 * TrtcRateLimiter limiter = TrtcRateLimiter.builder().store(store).build();
 * TrtcAsyncClient client = TrtcAsyncClient.builder().rateLimiter(limiter).build();
 * }</pre>
 *
 * <p>Each permit is one script run on the server, timed by Redis's own clock ({@code TIME}), so the
 * processes' clocks do not matter: it reads the schedule, reserves the next moment and moves the
 * schedule on, atomically, and answers how long to wait; the caller waits on a local timer, never by
 * asking Redis again. A call cancelled before its moment gives it back when it is still the latest.
 * Keys expire when unused. Each process also registers itself per account (a sorted-set entry
 * refreshed every 2 s, lapsing after 6 s), so each knows how many share the account and can fall
 * back to its share of the limit when Redis is gone.
 *
 * <p>An account no call has used for the account idle time (default {@link #DEFAULT_ACCOUNT_IDLE_TIME},
 * 10 minutes; see {@link #connect(String, Duration)}) is let go: its heartbeat stops within 2 s after
 * that, its registration lapses 6 s later, and the store keeps nothing of it. With rotating
 * temporary credentials each SecretId is an account, so this keeps the store's timers and memory
 * bounded by the accounts in use. An account that comes back registers again at its next call
 * (until it answers, the store counts every process on its prefix, the safe side).
 *
 * <p>Password, database and TLS come from the Redis URI ({@code rediss://:password@host:6380/0}).
 * {@link #connect(String)} connects in the background, so an application starts while Redis is down
 * and counts locally at its share until Redis answers. Neither {@link #toString()}, nor log lines, nor
 * exception messages hold the password. Thread-safe; close it when done (a store made from your own
 * client or connection leaves them open).
 */
public final class RedisLimitStore implements LimitStore, AutoCloseable {

    private static final String DEFAULT_PREFIX = "trtc-reactive:limit:";
    private static final Duration REGISTRATION = Duration.ofSeconds(6);
    private static final Duration COMMAND_TIMEOUT = RedisConnector.COMMAND_TIMEOUT;
    /** The longest {@link #closeLater()} waits for the connection and client to close. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** The registration of every process on the prefix (not a valid account key: it holds a newline). */
    private static final String ANY_ACCOUNT = "\nany";

    /** How long an account may go unused before the store lets it go, unless told otherwise: 10 minutes. */
    public static final Duration DEFAULT_ACCOUNT_IDLE_TIME = Duration.ofMinutes(10);

    private final RedisConnector connector;
    private final boolean ownsConnector;
    private final String prefix;
    private final String processId = UUID.randomUUID().toString();
    private final RedisClock clock = new RedisClock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Duration accountIdle;
    private final Heartbeats heartbeats;

    private RedisLimitStore(RedisConnector connector, boolean ownsConnector, String prefix, Duration accountIdle) {
        this.connector = connector;
        this.ownsConnector = ownsConnector;
        this.accountIdle = checkIdle(accountIdle);
        this.heartbeats = new Heartbeats(accountIdle, (account, processesKey) -> run(Scripts.REGISTER,
                List.of(processesKey), processId, Long.toString(REGISTRATION.toMillis()))
                .map(reply -> reply.get(0).intValue())
                .timeout(COMMAND_TIMEOUT), closed::get, connector::isClosed);
        Scripts.values(); // read the scripts here, not on the event loop of the first call
        this.prefix = checkPrefix(prefix);
        // Every process on this prefix, whatever its accounts: the fleet's size for an account that
        // has not registered yet (a process that never reached Redis for it must not assume it is alone).
        heartbeats.use(ANY_ACCOUNT, prefix + "processes", true);
    }

    private static Duration checkIdle(Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("accountIdleTime must be positive, was " + idle);
        }
        return idle;
    }

    private static String checkPrefix(String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be empty or blank: the keys of the shared"
                    + " budget would mix with the database's other keys");
        }
        return keyPrefix;
    }

    /**
     * A store on the Redis at a URI, connecting in the background: it returns at once, without any
     * network I/O, and never fails because Redis is unreachable. Attempts follow each other 50 ms
     * apart, doubling to 5 s, until one succeeds or the store is closed. An operation asked for while
     * the first attempt is under way waits for it (at most 1 s); after a failed attempt and until the
     * connection is made, every operation fails at once (a {@code RedisConnectionException}), so a
     * limiter on this store counts locally at its fallback share, and {@link #ping(Duration)} fails
     * too. Once connected, the store reconnects by itself after a drop (within about a second of
     * Redis coming back). Commands time out after 1 s and fail at once while the connection is down.
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379} or {@code rediss://:secret@redis:6380}
     * @return a store that owns its client and connection (closed by {@link #close()}), keys under
     *     {@code trtc-reactive:limit:}
     * @throws IllegalArgumentException when the URI cannot be parsed (the message does not repeat the URI)
     */
    public static RedisLimitStore connect(String redisUri) {
        return connect(redisUri, DEFAULT_ACCOUNT_IDLE_TIME);
    }

    /**
     * As {@link #connect(String)}, letting an account go once no call has used it for a given time:
     * its heartbeat stops at the next beat (within 2 s) and nothing of it is kept.
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379}
     * @param accountIdleTime how long an account may go unused (default 10 minutes); a positive duration
     * @return a store that owns its client and connection
     * @throws IllegalArgumentException when the URI cannot be parsed or the idle time is not positive
     */
    public static RedisLimitStore connect(String redisUri, Duration accountIdleTime) {
        checkIdle(Objects.requireNonNull(accountIdleTime, "accountIdleTime"));
        RedisConnector connector = RedisConnector.connect(redisUri);
        try {
            return new RedisLimitStore(connector, true, DEFAULT_PREFIX, accountIdleTime);
        } catch (RuntimeException | Error e) {
            connector.closeAsync();
            throw e;
        }
    }

    /**
     * A store over your client: it opens (and closes) one connection of its own; the client stays yours.
     * Blocking while it connects (call it at start-up, not on an event loop).
     *
     * @param client the client
     * @return the store
     */
    public static RedisLimitStore create(RedisClient client) {
        StatefulRedisConnection<String, String> connection = Objects.requireNonNull(client, "client")
                .connect(); // blocking-ok: start-up factory
        return new RedisLimitStore(RedisConnector.of(connection, true), true, DEFAULT_PREFIX,
                DEFAULT_ACCOUNT_IDLE_TIME);
    }

    /**
     * A store over your connection, which stays yours (not closed by {@link #close()}).
     *
     * @param connection the connection
     * @return the store
     */
    public static RedisLimitStore create(StatefulRedisConnection<String, String> connection) {
        return new RedisLimitStore(RedisConnector.of(Objects.requireNonNull(connection, "connection"), false),
                true, DEFAULT_PREFIX, DEFAULT_ACCOUNT_IDLE_TIME);
    }

    /**
     * The same store with its keys under another prefix (fleets that must not share a budget can use
     * one Redis with different prefixes), on the same connection. Closing the view stops its
     * registrations only; close the original to close the connection (which also ends the views'
     * registrations). The view lets idle accounts go after the same time as this store.
     *
     * @param keyPrefix the prefix, for example {@code "staging:trtc:"}
     * @return the store
     * @throws IllegalArgumentException when the prefix is empty or blank
     */
    public RedisLimitStore withKeyPrefix(String keyPrefix) {
        return new RedisLimitStore(connector, false, keyPrefix, accountIdle);
    }

    @Override
    public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
        return reserve(key, schedule, CallPriority.INTERACTIVE, 1, maxWait, holdOff).map(Answer::reservation);
    }

    /**
     * Reserves a permit for a call of the given priority, or says when to ask again.
     *
     * <p>One script run decides, atomically: a background call takes the schedule's next moment when
     * it is within half a spacing of now, or when the account's background share (a second schedule,
     * {@code spacing / share} apart) has a permit; otherwise it is told to ask again when either may
     * have one (at least half a spacing later).
     */
    @Override
    public Mono<Answer> reserve(LimitKey key, LimitSchedule schedule, CallPriority priority, double backgroundShare,
            Duration maxWait, Duration holdOff) {
        return Mono.defer(() -> {
            heartbeats.use(key.account(), prefix + "{" + key.account() + "}:processes", false);
            long interval = micros(schedule.interval());
            boolean background = priority == CallPriority.BACKGROUND;
            long shareSpacing = (long) Math.ceil(interval / Math.max(0.001, Math.min(1, backgroundShare)));
            long sentAt = System.nanoTime();
            String scheduleKey = scheduleKey(key);
            return run(Scripts.RESERVE, List.of(scheduleKey, scheduleKey + ":background"), Long.toString(interval),
                    Long.toString((schedule.burst() - 1L) * interval), Long.toString(micros(maxWait)),
                    Long.toString(Math.max(1, schedule.expiry().toMillis())), Long.toString(micros(holdOff)),
                    background ? "1" : "0", Long.toString(shareSpacing))
                    .flatMap(reply -> {
                        long receivedAt = System.nanoTime();
                        long wait = reply.get(0);
                        long redisNow = reply.get(2);
                        clock.sample(redisNow, sentAt, receivedAt);
                        if (wait == -1) {
                            return Mono.<Answer>empty();
                        }
                        if (wait < 0) {
                            return Mono.just(Answer.later(Duration.ofNanos(reply.get(1) * 1000)));
                        }
                        // The moment on this process's clock, placed by the best clock sample so far, not by
                        // this reply's own (possibly slow) trip back.
                        long momentNanos = clock.toLocalNanos(redisNow + wait);
                        return Mono.just(Answer.reserved(new Reservation(key, schedule,
                                Duration.ofNanos(Math.max(0, momentNanos - receivedAt)), reply.get(1))));
                    });
        });
    }

    /**
     * Whether the connection to Redis is up (or still being made for the first time), and the store
     * open: the limiter then waits for an answer that is only late.
     */
    @Override
    public boolean isConnected() {
        return !closed.get() && connector.isConnected();
    }

    @Override
    public Mono<Void> release(Reservation reservation) {
        return Mono.defer(() -> run(Scripts.RELEASE, List.of(scheduleKey(reservation.key())),
                Long.toString(reservation.token()), Long.toString(micros(reservation.schedule().interval())),
                Long.toString(Math.max(1, reservation.schedule().expiry().toMillis()))).then());
    }

    /**
     * How many processes share the account's budget.
     *
     * <p>The processes registered for the account; before this process's first registration for it
     * answers, every process registered on this key prefix (an over-count, which is the safe side).
     */
    @Override
    public int fleetSize(String account) {
        Integer count = heartbeats.count(account);
        Integer any = heartbeats.count(ANY_ACCOUNT);
        return Math.max(1, count != null ? count : any != null ? any : 1);
    }

    /**
     * How many accounts this store has registered itself for and keeps a heartbeat for now; an
     * account unused for the account idle time is let go at its next beat. For tests and observability.
     *
     * @return the number of accounts (the store's own registration on its prefix not counted)
     */
    public int registeredAccountCount() {
        return heartbeats.running(false);
    }

    /** {@return how many heartbeats run now, the prefix's own included (for the tests)} */
    int activeHeartbeatCount() {
        return heartbeats.running(true);
    }

    /** {@return how many accounts' fleet sizes the store holds (for the tests)} */
    int fleetEntryCount() {
        return heartbeats.countsHeld();
    }

    /** Runs a script by its SHA-1, loading it once when Redis does not know it yet. */
    private Mono<List<Long>> run(Scripts script, List<String> keys, String... args) {
        if (closed.get()) {
            return Mono.error(new TrtcClientClosedException("RedisLimitStore." + script.name().toLowerCase(Locale.ROOT)));
        }
        String[] keyArray = keys.toArray(new String[0]);
        return connector.ready().flatMap(redis -> redis.<Object>evalsha(script.sha1(), ScriptOutputType.MULTI,
                        keyArray, args)
                .onErrorResume(RedisNoScriptException.class,
                        e -> redis.<Object>eval(script.source(), ScriptOutputType.MULTI, keyArray, args))
                // A MULTI reply comes as one list (or, by some versions, element by element).
                .flatMapIterable(value -> value instanceof List<?> list ? list : List.of(value))
                .map(value -> value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value)))
                .collectList())
                // A command that timed out is an answer that came too late, not a failure to answer.
                .onErrorMap(RedisCommandTimeoutException.class, RedisLimitStore::late);
    }

    /** A command's timeout as the limiter reads it: an answer that did not come in time. */
    private static TimeoutException late(RedisCommandTimeoutException e) {
        TimeoutException late = new TimeoutException("Redis did not answer within " + COMMAND_TIMEOUT.toMillis()
                + " ms");
        late.initCause(e);
        return late;
    }

    private String scheduleKey(LimitKey key) {
        // The hash tag keeps an account's keys on one cluster slot.
        return prefix + "{" + key.account() + "}:" + key.action();
    }

    private static long micros(Duration duration) {
        return Math.max(0, duration.toNanos() / 1000);
    }

    /**
     * Asks Redis for a PING, for health checks: spends no rate-limit budget and changes nothing.
     *
     * @param timeout the longest to wait for the answer
     * @return the round trip; an error when Redis does not answer in time, when the store has not
     *     connected yet (a {@code RedisConnectionException}), or a {@link TrtcClientClosedException}
     *     when it is closed
     */
    public Mono<Duration> ping(Duration timeout) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new TrtcClientClosedException("RedisLimitStore.ping"));
            }
            long start = System.nanoTime();
            return connector.ready().flatMap(RedisReactiveCommands::ping).timeout(timeout)
                    .map(pong -> Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /**
     * Stops registering and connecting, and closes the connection and client this store opened. It
     * returns at once (they close in the background) and never blocks, so it may be called on an
     * event loop. A view made by {@link #withKeyPrefix(String)} stops only its own registrations.
     * Closing is terminal: later permits and pings fail with {@link TrtcClientClosedException}.
     */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Closes the store as {@link #close()}, without blocking, and completes when the connection and
     * client it owns are closed (or after 10 s; a failure to close is logged, not emitted).
     *
     * @return completes when closed, on subscription
     */
    public Mono<Void> closeLater() {
        return Mono.defer(() -> Mono.fromFuture(closeAsync(), true))
                .timeout(CLOSE_TIMEOUT, Mono.empty())
                .onErrorResume(e -> Mono.empty());
    }

    /** As {@link #close()}; completes when what this store owns is closed (for the tests). */
    CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true)) {
            heartbeats.stopAll();
        }
        return ownsConnector ? connector.closeAsync() : CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "RedisLimitStore{prefix=" + prefix + "}";
    }
}
