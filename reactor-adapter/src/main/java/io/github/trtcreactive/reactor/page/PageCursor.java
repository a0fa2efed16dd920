package io.github.trtcreactive.reactor.page;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import reactor.core.publisher.Mono;

/**
 * Where a listing stands: the next page to fetch and how many items arrived. A listing ends after an
 * empty or short page, or once as many items as the reported total have arrived. Not thread-safe;
 * its owner serialises access.
 */
final class PageCursor<R, T> {

    private final LongFunction<Mono<R>> fetch;
    private final long pageSize;
    private final Function<R, List<T>> items;
    private final ToLongFunction<R> total;
    private long next;
    private long received;

    PageCursor(LongFunction<Mono<R>> fetch, long firstPage, long pageSize, Function<R, List<T>> items,
            ToLongFunction<R> total) {
        this.fetch = fetch;
        this.next = firstPage;
        this.pageSize = pageSize;
        this.items = items;
        this.total = total;
    }

    /** Fetches the next page; exactly one signal: the page, or empty when the call completed empty. */
    Mono<Optional<R>> fetchNext() {
        return fetch.apply(next).map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /** Records an arrived page. */
    List<T> advance(Optional<R> result) {
        List<T> page = result.map(items).orElse(List.of());
        next++;
        received += page.size();
        return page;
    }

    /**
     * Whether the page just recorded was the last: it was empty or short, or {@code Total} is larger
     * than a page (so it can only be the grand total) and that many items arrived. A {@code Total} no
     * larger than a page may mean "records on this page" (as the documentation of three listings
     * defines it), so it never ends a listing alone; a missing one is ignored.
     */
    boolean wasLast(Optional<R> result, List<T> page) {
        if (result.isEmpty() || page.isEmpty() || page.size() < pageSize) {
            return true;
        }
        long reported = total.applyAsLong(result.get());
        return reported > pageSize && received >= reported;
    }
}
