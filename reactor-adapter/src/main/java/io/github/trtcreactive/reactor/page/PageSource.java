package io.github.trtcreactive.reactor.page;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Pages fetched strictly on demand: a page is requested only when the subscriber has asked for one
 * and no other is in flight, and the listing ends after an empty or short page, or once as many
 * items as the reported total have arrived. Cancelling cancels the page in flight.
 */
final class PageSource {

    private PageSource() {}

    static <R, T> Flux<R> pages(LongFunction<Mono<R>> fetch, long firstPage, long pageSize,
            Function<R, List<T>> items, ToLongFunction<R> total) {
        return Flux.create(sink -> {
            State<R, T> state = new State<>(fetch, firstPage, pageSize, items, total, sink);
            sink.onRequest(n -> state.fetchIfWanted());
            sink.onDispose(state::cancel);
        });
    }

    private static final class State<R, T> {
        private final LongFunction<Mono<R>> fetch;
        private final long pageSize;
        private final Function<R, List<T>> items;
        private final ToLongFunction<R> total;
        private final FluxSink<R> sink;
        private long next;
        private long received;
        private boolean inFlight;
        private boolean done;
        private Disposable current;

        State(LongFunction<Mono<R>> fetch, long firstPage, long pageSize, Function<R, List<T>> items,
                ToLongFunction<R> total, FluxSink<R> sink) {
            this.fetch = fetch;
            this.next = firstPage;
            this.pageSize = pageSize;
            this.items = items;
            this.total = total;
            this.sink = sink;
        }

        void fetchIfWanted() {
            long page;
            synchronized (this) {
                if (inFlight || done || sink.isCancelled() || sink.requestedFromDownstream() == 0) {
                    return;
                }
                inFlight = true;
                page = next;
            }
            // One signal per fetch: a page, or empty; never both, so no completion races the next fetch.
            Disposable d = fetch.apply(page).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .subscribe(result -> result.ifPresentOrElse(this::arrived, this::empty), sink::error);
            synchronized (this) {
                current = d;
            }
        }

        private void arrived(R page) {
            int count = items.apply(page).size();
            boolean last;
            synchronized (this) {
                inFlight = false;
                next++;
                received += count;
                last = count == 0 || count < pageSize || received >= total.applyAsLong(page);
                done = last;
            }
            sink.next(page);
            if (last) {
                sink.complete();
            } else {
                fetchIfWanted();
            }
        }

        private void empty() {
            synchronized (this) {
                inFlight = false;
                done = true;
            }
            sink.complete();
        }

        synchronized void cancel() {
            done = true;
            if (current != null) {
                current.dispose();
            }
        }
    }
}
