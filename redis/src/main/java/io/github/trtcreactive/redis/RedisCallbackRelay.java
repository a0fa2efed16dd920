package io.github.trtcreactive.redis;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.callback.CallbackRelay;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link CallbackRelay} on a Redis stream: each instance of a fleet publishes the callbacks it
 * verifies to one bounded stream, and reads every callback from it, so each instance's
 * {@code TrtcCallbacks.events()} sees the fleet's events, each once.
 *
 * <pre>{@code
 * TrtcCallbacks callbacks = TrtcCallbacks.builder().key(key)
 *         .relay(RedisCallbackRelay.connect("redis://127.0.0.1:6379")).build();
 * }</pre>
 *
 * <p>Publishing is one script on the server: it sets the event's deduplication key (expiring when
 * the receiver says it may be forgotten: after the service's retries and the receiver's age limit;
 * two minutes at least) only if absent and, when it was absent, adds
 * the event to the stream, trimmed to about {@link #maxLength} entries. So a retry of an event that
 * reached another instance is not published twice. Each instance reads the stream from the moment
 * it starts, with a dedicated connection, blocking on the server for at most a second per read,
 * at the pace its subscribers take events (the stream holds the rest). Every command has a timeout;
 * when Redis is down, publications fail at once (the receiver then hands events on locally) and
 * {@link #events()} fails: the receiver reads it again after a pause, and the new read goes on
 * after the last event read (the relay remembers where it was), so nothing the stream still holds
 * is missed. {@link #close()} is terminal and never blocks. Thread-safe.
 */
public final class RedisCallbackRelay implements CallbackRelay {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCallbackRelay.class);
    private static final String DEFAULT_PREFIX = "trtc-reactive:callbacks";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    /** The least time a key is kept, whatever the receiver asks: longer than the service retries. */
    private static final Duration MIN_WINDOW = Duration.ofMinutes(2);
    /** About how many events the stream keeps for instances that read slowly. */
    private final long maxLength;

    private final RedisClient client;
    private final ClientResources resources;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisConnection<String, String> reader;
    private final String stream;
    private final String dedupPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The id of the last event read, kept across reads so a new read goes on after it; null before the first. */
    private final AtomicReference<String> position = new AtomicReference<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    private RedisCallbackRelay(RedisClient client, ClientResources resources, String prefix, long maxLength) {
        this.client = client;
        this.resources = resources;
        this.maxLength = maxLength;
        // The hash tag keeps the stream and the keys on one cluster slot, as the script needs.
        this.stream = "{" + prefix + "}:stream";
        this.dedupPrefix = "{" + prefix + "}:seen:";
        Scripts.values();
        this.commands = client.connect(); // blocking-ok: start-up factory
        try {
            this.reader = client.connect(); // blocking-ok: start-up factory
        } catch (RuntimeException e) {
            commands.close();
            throw e;
        }
    }

    /**
     * Connects to Redis. Blocking while it connects (call it at start-up, not on an event loop).
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379}
     * @return a relay that owns its client (closed by {@link #close()}), keys under {@code trtc-reactive:callbacks}
     */
    public static RedisCallbackRelay connect(String redisUri) {
        return connect(redisUri, DEFAULT_PREFIX, 100_000);
    }

    /**
     * Connects to Redis with a key prefix of your own (fleets that must not share events can use one
     * Redis with different prefixes) and a stream length.
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379}
     * @param keyPrefix the prefix of the relay's keys, not empty or blank
     * @param maxLength about how many events the stream keeps (1,000 or more)
     * @return a relay that owns its client
     */
    public static RedisCallbackRelay connect(String redisUri, String keyPrefix, long maxLength) {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be empty or blank: fleets told apart by it would "
                    + "share one stream");
        }
        if (maxLength < 1000) {
            throw new IllegalArgumentException("maxLength must be at least 1000, was " + maxLength);
        }
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT.plus(READ_BLOCK)))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            return new RedisCallbackRelay(client, resources, keyPrefix, maxLength);
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @return true when published now, false when the fleet had it already, on subscription; a
     *     {@link TrtcClientClosedException} once the relay is closed
     */
    @Override
    public Mono<Boolean> publish(String deduplicationKey, long sdkAppId, byte[] body, Duration remember) {
        if (closed.get()) {
            return Mono.error(new TrtcClientClosedException("RedisCallbackRelay.publish"));
        }
        RedisReactiveCommands<String, String> redis = commands.reactive();
        // The key is the event's own (signed) content: the SdkAppId header is not signed.
        String[] keys = {dedupPrefix + deduplicationKey, stream};
        long window = Math.max(remember.toMillis(), MIN_WINDOW.toMillis());
        String[] args = {Long.toString(window), Long.toString(maxLength), Long.toString(sdkAppId),
            Base64.getEncoder().encodeToString(body)};
        return redis.<Object>evalsha(Scripts.PUBLISH.sha1(), ScriptOutputType.MULTI, keys, args)
                .onErrorResume(RedisNoScriptException.class,
                        e -> redis.<Object>eval(Scripts.PUBLISH.source(), ScriptOutputType.MULTI, keys, args))
                .flatMapIterable(value -> value instanceof List<?> list ? list : List.of(value))
                .next()
                .map(v -> v instanceof Number n ? n.longValue() == 1 : "1".equals(String.valueOf(v)))
                .timeout(COMMAND_TIMEOUT);
    }

    /**
     * What the fleet publishes from the first read on, each event once, in order. The first
     * subscription starts after the newest event in the stream; a later one (after a failure) goes on
     * after the last event read. Each read blocks on the server for at most a second.
     *
     * @return the relayed events; fails when Redis fails (the receiver subscribes again), with a
     *     {@link TrtcClientClosedException} once the relay is closed; completes when it closes meanwhile
     */
    @Override
    public Flux<Relayed> events() {
        return Flux.defer(() -> {
            if (closed.get()) {
                return Flux.error(new TrtcClientClosedException("RedisCallbackRelay.events"));
            }
            Mono<String> start = reader.reactive().xrevrange(stream, Range.create("-", "+"), Limit.from(1))
                    .next()
                    .map(StreamMessage::getId)
                    .defaultIfEmpty("0-0")
                    .timeout(COMMAND_TIMEOUT)
                    .doOnNext(id -> position.compareAndSet(null, id));
            // Only the read itself is timed: a subscriber slow to take the events read is not a failure
            // (a timeout on each element would cancel the event being handed on and lose it).
            Flux<Relayed> reads = Flux.defer(() -> reader.reactive()
                            .xread(XReadArgs.Builder.count(100).block(READ_BLOCK.toMillis()),
                                    XReadArgs.StreamOffset.from(stream, position.get()))
                            .collectList()
                            .timeout(READ_BLOCK.plus(COMMAND_TIMEOUT).plusSeconds(1)))
                    .flatMapIterable(messages -> messages)
                    .doOnNext(message -> position.set(message.getId()))
                    .map(message -> new Relayed(parseApp(message.getBody().get("app")),
                            Base64.getDecoder().decode(message.getBody().getOrDefault("body", ""))))
                    .repeat(() -> !closed.get());
            return Mono.defer(() -> position.get() != null ? Mono.just(position.get()) : start)
                    .thenMany(reads)
                    .doOnError(e -> LOG.debug("reading the callback relay failed: {}", e.toString()));
        });
    }

    private static long parseApp(String app) {
        try {
            return app == null ? 0 : Long.parseLong(app);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Closes the relay's connections and client, for good, in the background: it returns at once and
     * never blocks, so it may be called on an event loop. Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        commands.closeAsync()
                .handle((v, e) -> null)
                .thenCompose(v -> reader.closeAsync())
                .handle((v, e) -> null)
                .thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS))
                .whenComplete((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(f -> {
                    if (e != null || !f.isSuccess()) {
                        LOG.debug("closing the callback relay did not finish cleanly: {}",
                                String.valueOf(e != null ? e : f.cause()));
                    }
                    released.complete(null);
                }));
    }

    /**
     * Closes the relay as {@link #close()}, and completes when its connections, client and threads
     * are released (or after 10 s).
     *
     * @return completes when released, on subscription
     */
    @Override
    public Mono<Void> closeLater() {
        return Mono.defer(() -> {
            close();
            return Mono.fromFuture(released, true).timeout(Duration.ofSeconds(10), Mono.empty());
        });
    }

    @Override
    public String toString() {
        return "RedisCallbackRelay{stream=" + stream + ", maxLength=" + maxLength + "}";
    }
}
