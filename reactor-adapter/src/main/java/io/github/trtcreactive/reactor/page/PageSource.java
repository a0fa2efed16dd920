package io.github.trtcreactive.reactor.page;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Listings fetched strictly on demand: a page is fetched only when the subscriber wants more than
 * what already arrived and no other page is in flight. Cancelling cancels the page in flight.
 */
final class PageSource {

    private PageSource() {}

    /** The pages of a listing, one fetched per page requested. */
    static <R, T> Flux<R> pages(PageCursor<R, T> cursor) {
        return Flux.create(sink -> {
            Pump<R, T, R> pump = new Pump<>(cursor, sink, (result, page) -> result.map(List::of).orElse(List.of()));
            sink.onRequest(n -> pump.drain());
            sink.onDispose(pump::cancel);
        });
    }

    /** The items of a listing: items of a page are handed out as requested; the next page is fetched only
     * when every item of the last one was delivered and another is wanted. */
    static <R, T> Flux<T> items(PageCursor<R, T> cursor) {
        return Flux.create(sink -> {
            Pump<R, T, T> pump = new Pump<>(cursor, sink, (result, page) -> page);
            sink.onRequest(n -> pump.drain());
            sink.onDispose(pump::cancel);
        });
    }

    /** Moves pages from the cursor to the sink as demand allows; E is what the sink receives. */
    private static final class Pump<R, T, E> {
        private final PageCursor<R, T> cursor;
        private final FluxSink<E> sink;
        private final java.util.function.BiFunction<Optional<R>, List<T>, List<E>> emitted;
        private final ArrayDeque<E> buffer = new ArrayDeque<>();
        private boolean inFlight;
        private boolean done;
        private boolean completed;
        private Disposable current;

        Pump(PageCursor<R, T> cursor, FluxSink<E> sink,
                java.util.function.BiFunction<Optional<R>, List<T>, List<E>> emitted) {
            this.cursor = cursor;
            this.sink = sink;
            this.emitted = emitted;
        }

        /** Hands out what arrived as requested; fetches the next page when nothing is left. */
        synchronized void drain() {
            while (sink.requestedFromDownstream() > 0 && !buffer.isEmpty() && !sink.isCancelled()) {
                sink.next(buffer.poll());
            }
            if (!buffer.isEmpty() || sink.isCancelled() || inFlight) {
                return;
            }
            if (done) {
                if (!completed) {
                    completed = true;
                    sink.complete();
                }
            } else if (sink.requestedFromDownstream() > 0) {
                inFlight = true;
                // The subscriber's Context goes with every page: traces, MDC, tenants, credentials.
                current = cursor.fetchNext().contextWrite(sink.contextView()).subscribe(this::arrived, sink::error);
            }
        }

        private synchronized void arrived(Optional<R> result) {
            inFlight = false;
            List<T> page = cursor.advance(result);
            done = cursor.wasLast(result, page);
            buffer.addAll(emitted.apply(result, page));
            drain();
        }

        synchronized void cancel() {
            done = true;
            buffer.clear();
            if (current != null) {
                current.dispose();
            }
        }
    }
}
