package io.github.trtcreactive.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The threads of the Redis client a store owns: one event loop and one thread for Lettuce's events,
 * whatever the number of cores. A store has one connection, which lives on one event loop; Lettuce's
 * own pools (at least two threads each, up to one per core) start their threads lazily, and each
 * reconnection lands on the next loop, so over days of Redis restarts a store would start them all.
 */
final class RedisThreads {

    private final DefaultEventLoopGroupProvider loops = new DefaultEventLoopGroupProvider(1);
    private final EventExecutorGroup events = new DefaultEventExecutorGroup(1,
            new DefaultThreadFactory("trtc-redis-events", true));
    private final ClientResources resources;

    /**
     * @param reconnectDelay how long Lettuce waits before each reconnection attempt
     */
    RedisThreads(Delay reconnectDelay) {
        this.resources = ClientResources.builder().eventLoopGroupProvider(loops).eventExecutorGroup(events)
                .reconnectDelay(reconnectDelay).build();
    }

    /** {@return the client resources over these threads} */
    ClientResources resources() {
        return resources;
    }

    /**
     * Shuts the resources down, then the threads (Lettuce leaves threads it was given to their owner).
     *
     * @return completes when all are down, exceptionally when a step failed (the later ones run anyway)
     */
    CompletableFuture<Void> shutdown() {
        return completion(resources.shutdown(0, 2, TimeUnit.SECONDS))
                .handle((v, e) -> e)
                .thenCompose(earlier -> completion(loops.shutdown(0, 2, TimeUnit.SECONDS))
                        .thenCompose(done -> completion(events.shutdownGracefully(0, 2, TimeUnit.SECONDS)))
                        .thenApply(done -> {
                            if (earlier != null) {
                                throw earlier instanceof RuntimeException r ? r : new IllegalStateException(earlier);
                            }
                            return null;
                        }));
    }

    private static CompletableFuture<Void> completion(Future<?> future) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }
}
