package io.github.trtcreactive.reactor.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Whether a client is open, and the signal that ends everything running on its behalf when it
 * closes: calls in flight or waiting for a permit, poll loops, metric streams and listings.
 * Thread-safe.
 */
public final class ClientLifecycle {

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Sinks.Empty<Void> onClose = Sinks.empty();
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

    /** Creates the lifecycle of a new client: open, nothing watching. */
    public ClientLifecycle() {}

    /** Something told when the client closes: a call in flight (see {@link CallBound}). */
    public interface Watcher {
        /** The client closed; called at most once per watch, on the closing thread. */
        void clientClosed();
    }

    /**
     * Tells the watcher when the client closes, unless it is {@link #unwatch unwatched} first. A
     * watch costs an entry in a concurrent set, whatever the number of watchers.
     *
     * @param watcher the watcher
     * @return false when the client is closed already (the watcher is not kept)
     */
    public boolean watch(Watcher watcher) {
        watchers.add(watcher);
        if (closed.get()) {
            watchers.remove(watcher);
            return false;
        }
        return true;
    }

    /** {@return how many watchers are kept now (for tests)} */
    int watching() {
        return watchers.size();
    }

    /**
     * Stops watching.
     *
     * @param watcher a watcher, watching or not
     */
    public void unwatch(Watcher watcher) {
        watchers.remove(watcher);
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Marks the client closed and signals everything that watches it.
     *
     * @return whether this call closed it (false when it was closed already)
     */
    public boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        onClose.tryEmitEmpty();
        for (Watcher watcher : watchers) {
            if (watchers.remove(watcher)) {
                watcher.clientClosed();
            }
        }
        return true;
    }

    /** {@return completes when the client closes (at once when it is closed)} */
    public Mono<Void> onClose() {
        return onClose.asMono();
    }

    /**
     * Ends a Flux with {@code error} as soon as the client closes, cancelling it.
     *
     * @param <T> the element type
     * @param flux the work
     * @param error the error to end it with
     * @return the guarded Flux
     */
    public <T> Flux<T> guard(Flux<T> flux, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean endedByClose = new AtomicBoolean();
            return flux.takeUntilOther(onClose.asMono().doOnSuccess(v -> endedByClose.set(true)))
                    .concatWith(Mono.defer(() -> endedByClose.get() ? Mono.error(error) : Mono.empty()));
        });
    }
}
