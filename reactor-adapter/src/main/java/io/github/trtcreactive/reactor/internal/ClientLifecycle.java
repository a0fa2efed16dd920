package io.github.trtcreactive.reactor.internal;

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

    /** @return whether {@link #close()} was called */
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
        return true;
    }

    /** @return completes when the client closes (at once when it is closed) */
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
