package io.github.trtcreactive.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The store's connection to Redis. Made from a URI, it connects in the background: {@link #connect}
 * returns at once, and attempts follow each other 50 ms apart, doubling to 5 s (jittered), until one
 * succeeds or the connector is closed; from then on Lettuce reconnects by itself after a drop. An
 * operation asked for during the very first attempt waits for it (at most the 1 s command timeout),
 * so a store used right after it was made on a reachable Redis does not fall back for nothing; once
 * an attempt has failed, every operation fails at once until a connection is made ({@link #ready()}).
 *
 * <p>The loop is supervised: should the loop itself fail (not an attempt, which is simply retried),
 * it says so once at WARN and starts again 5 s later. Nothing here blocks, {@link #close()} included,
 * and no log line or exception holds the URI's password.
 */
final class RedisConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLimitStore.class);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration FIRST_DELAY = Duration.ofMillis(50);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /** Bounds an attempt, TCP connect (5 s) and handshake together. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> SINGLE_HOST_SCHEMES = Set.of("redis", "rediss", "redis+ssl", "redis+tls");

    private final Supplier<? extends CompletionStage<StatefulRedisConnection<String, String>>> connect;
    private final Retry attempts;
    private final Duration restartDelay;
    private final String target;
    private final boolean ownsConnection;
    private final @Nullable RedisClient ownedClient;
    private final @Nullable RedisThreads ownedThreads;
    private final Disposable.Swap loop = Disposables.swap();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Done when everything this connector owns is closed. */
    private final CompletableFuture<Void> shutDown = new CompletableFuture<>();
    /** Done when the first attempt has ended, either way (or the connector was closed). */
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile @Nullable RedisReactiveCommands<String, String> commands;

    /**
     * A connector that makes its connection with {@code connect} (each call one attempt), retried as
     * {@code attempts} says; when that gives up, the loop counts as failed and starts again after
     * {@code restartDelay}. Call {@link #start()} to begin.
     */
    RedisConnector(Supplier<? extends CompletionStage<StatefulRedisConnection<String, String>>> connect,
            Retry attempts, Duration restartDelay, String target, @Nullable RedisClient ownedClient,
            @Nullable RedisThreads ownedThreads) {
        this.connect = connect;
        this.attempts = attempts;
        this.restartDelay = restartDelay;
        this.target = target;
        this.ownsConnection = true;
        this.ownedClient = ownedClient;
        this.ownedThreads = ownedThreads;
    }

    private RedisConnector(StatefulRedisConnection<String, String> connection, boolean owned) {
        this.connect = () -> CompletableFuture.completedFuture(connection);
        this.attempts = Retry.max(0);
        this.restartDelay = MAX_DELAY;
        this.target = "a given connection";
        this.ownsConnection = owned;
        this.ownedClient = null;
        this.ownedThreads = null;
        this.connection = connection;
        this.commands = connection.reactive();
        this.firstAttempt.complete(null);
    }

    /** A connector over a connection made elsewhere; it closes the connection only when {@code owned}. */
    static RedisConnector of(StatefulRedisConnection<String, String> connection, boolean owned) {
        return new RedisConnector(connection, owned);
    }

    /**
     * Parses the URI and starts connecting in the background; no network I/O on the caller's thread.
     *
     * @throws IllegalArgumentException when the URI cannot be parsed (the message never holds the URI)
     */
    static RedisConnector connect(String redisUri) {
        RedisURI uri = parse(Objects.requireNonNull(redisUri, "redisUri"));
        // Reconnect within a second of Redis coming back (Lettuce's default backoff reaches 30 s).
        RedisThreads threads = new RedisThreads(Delay.exponential(FIRST_DELAY, Duration.ofSeconds(1), 2,
                TimeUnit.MILLISECONDS));
        RedisClient client = RedisClient.create(threads.resources(), uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        RedisConnector connector = new RedisConnector(() -> client.connectAsync(StringCodec.UTF8, uri),
                Retry.backoff(Long.MAX_VALUE, FIRST_DELAY).maxBackoff(MAX_DELAY), MAX_DELAY, where(uri),
                client, threads);
        connector.start();
        return connector;
    }

    /** Where the URI points, for log lines: host and port (Lettuce's own toString masks the password, not its length). */
    private static String where(RedisURI uri) {
        if (uri.getSocket() != null) {
            return "socket " + uri.getSocket();
        }
        if (uri.getHost() != null) {
            return uri.getHost() + ":" + uri.getPort();
        }
        return "the sentinels of " + uri.getSentinelMasterId();
    }

    /** Lettuce's parse, with a message that never repeats the URI (it may hold a password). */
    private static RedisURI parse(String redisUri) {
        String usage = "redisUri is not a valid Redis URI (redis://[[user]:password@]host[:port][/database],"
                + " rediss://... for TLS)";
        RedisURI uri;
        try {
            uri = RedisURI.create(redisUri);
        } catch (RuntimeException e) {
            String detail = e.getCause() instanceof URISyntaxException syntax
                    ? ": " + syntax.getReason() + " at index " + syntax.getIndex() : "";
            throw new IllegalArgumentException(usage + detail);
        }
        // Lettuce takes "host:notaport" for a host name; java.net.URI sees no server authority there.
        String scheme = redisUri.substring(0, Math.max(0, redisUri.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (SINGLE_HOST_SCHEMES.contains(scheme)) {
            try {
                if (new URI(redisUri).getHost() == null) {
                    throw new IllegalArgumentException(usage + ": no valid host and port");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(usage + ": " + e.getReason() + " at index " + e.getIndex());
            }
        }
        return uri;
    }

    /** Starts the supervised loop; a no-op for a connector over a given connection. */
    void start() {
        if (commands != null) {
            return;
        }
        Mono<Void> connecting = Mono.defer(this::attempt)
                .retryWhen(attempts)
                .doOnNext(this::install)
                .then()
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, restartDelay).filter(e -> !closed.get())
                        .doBeforeRetry(signal -> LOG.warn("the background connection to Redis at {} stopped ({});"
                                + " starting it again in {} ms", target, describe(signal.failure()),
                                restartDelay.toMillis())));
        loop.update(connecting.subscribe(done -> { },
                e -> LOG.debug("connecting to Redis at {} ended: {}", target, describe(e))));
    }

    /** One attempt; a connection that arrives after the attempt was given up is closed. */
    private Mono<StatefulRedisConnection<String, String>> attempt() {
        CompletableFuture<StatefulRedisConnection<String, String>> pending = connect.get().toCompletableFuture();
        return Mono.fromFuture(pending, true)
                .timeout(ATTEMPT_TIMEOUT)
                .doOnError(e -> {
                    firstAttempt.complete(null);
                    discardWhenDone(pending);
                    LOG.debug("connecting to Redis at {} failed, trying again: {}", target, describe(e));
                })
                .doOnCancel(() -> discardWhenDone(pending));
    }

    private static void discardWhenDone(CompletableFuture<StatefulRedisConnection<String, String>> pending) {
        pending.thenAccept(StatefulRedisConnection::closeAsync);
    }

    private void install(StatefulRedisConnection<String, String> made) {
        if (closed.get()) {
            made.closeAsync();
            return;
        }
        connection = made;
        commands = made.reactive();
        firstAttempt.complete(null);
        LOG.debug("connected to Redis at {}", target);
        if (closed.get()) {
            made.closeAsync(); // close() ran meanwhile and may not have seen it
        }
    }

    /** {@return whether {@link #close()} was called} */
    boolean isClosed() {
        return closed.get();
    }

    /**
     * Whether the connection is up, or the first attempt to make it is still under way (so a store
     * used right after it was made does not count as down for nothing).
     *
     * @return whether operations can be answered now, as far as the connection knows
     */
    boolean isConnected() {
        StatefulRedisConnection<String, String> now = connection;
        if (now == null && firstAttempt.isDone()) {
            now = connection; // install() sets the connection before it completes the first attempt
        }
        return now != null ? now.isOpen() : !firstAttempt.isDone() && !closed.get();
    }

    /** {@return the commands, or null while not connected yet} */
    @Nullable RedisReactiveCommands<String, String> commands() {
        return commands;
    }

    /**
     * The commands, once connected: at once when connected, after the first attempt when it is still
     * under way (at most the command timeout), else a {@link RedisConnectionException} at once.
     */
    Mono<RedisReactiveCommands<String, String>> ready() {
        return Mono.defer(() -> {
            RedisReactiveCommands<String, String> now = commands;
            if (now != null) {
                return Mono.just(now);
            }
            if (firstAttempt.isDone()) {
                return Mono.error(notConnected());
            }
            return Mono.fromFuture(firstAttempt, true)
                    .timeout(COMMAND_TIMEOUT, Mono.empty())
                    .then(Mono.defer(() -> {
                        RedisReactiveCommands<String, String> after = commands;
                        return after != null ? Mono.just(after) : Mono.error(notConnected());
                    }));
        });
    }

    /** The error of an operation asked for before the first connection. */
    static RedisConnectionException notConnected() {
        return new RedisConnectionException("not connected to Redis yet (connecting in the background)");
    }

    /** A failure for a log line: its type and Lettuce's message, which names host and port, never the password. */
    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Stops connecting and closes what this connector owns, in the background: it returns at once and
     * never blocks, so it may be called on an event loop.
     *
     * @return completes when everything is closed, exceptionally when a step failed (the later steps
     *     run anyway); the same future on every call
     */
    CompletableFuture<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) {
            return shutDown;
        }
        loop.dispose();
        firstAttempt.complete(null);
        StatefulRedisConnection<String, String> open = connection;
        CompletableFuture<Void> done = open != null && ownsConnection
                ? open.closeAsync() : CompletableFuture.completedFuture(null);
        RedisClient client = ownedClient;
        if (client != null) {
            done = andThen(done, () -> client.shutdownAsync(0, 2, TimeUnit.SECONDS));
        }
        RedisThreads threads = ownedThreads;
        if (threads != null) {
            done = andThen(done, threads::shutdown);
        }
        done.whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("closing the connection to Redis at {} did not finish cleanly: {}", target, describe(e));
                shutDown.completeExceptionally(e);
            } else {
                shutDown.complete(null);
            }
        });
        return shutDown;
    }

    /** Runs {@code next} after {@code before}, whether or not it failed; fails with the first failure. */
    private static CompletableFuture<Void> andThen(CompletableFuture<Void> before,
            Supplier<CompletableFuture<Void>> next) {
        return before.handle((v, e) -> e).thenCompose(earlier -> next.get().handle((v, e) -> {
            Throwable failure = earlier != null ? earlier : e;
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return null;
        }));
    }
}
