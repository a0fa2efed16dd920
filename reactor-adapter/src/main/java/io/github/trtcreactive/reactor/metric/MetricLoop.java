package io.github.trtcreactive.reactor.metric;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.github.trtcreactive.reactor.internal.TransientFailures;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import reactor.util.retry.Retry;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The metric poll loop, independent of HTTP so its timing can be tested in virtual time. Each poll
 * asks for the window from the point after the last one seen up to now (when that is at least a
 * second long; the service refuses empty windows), split into windows no longer than the action allows and clamped to how far back it can look; each timestamp is emitted once, in
 * order. Data that arrives late is still picked up, because the next window starts after the last
 * point seen, not after the last poll. Transient failures (the service busy, a lost reply) are
 * waited out with backoff inside the loop; others end the stream.
 */
final class MetricLoop {

    private MetricLoop() {}

    /** Consecutive transient failures one poll waits out before the stream fails. */
    static final int MAX_RETRIES = 10;

    /**
     * @param fetch asks for the points of one window, {@code [start, end]} in Unix seconds
     * @param since the first time wanted, Unix seconds
     * @param step how often to poll
     * @param maxSpan the longest window one call may ask for
     * @param lookback how far back from now the action can look
     * @param completeOnly whether to emit only buckets that have ended (bucket length {@code step})
     * @param nowSeconds the present, in Unix seconds (the service's, as the client knows it)
     * @param scheduler paces the polls and the backoff
     * @return the points; a resubscription (after an error, say) goes on after the last point this
     *     Flux emitted, so each timestamp arrives once
     */
    static Flux<MetricPoint> stream(BiFunction<Long, Long, Mono<List<MetricPoint>>> fetch, long since,
            Duration step, Duration maxSpan, Duration lookback, boolean completeOnly, LongSupplier nowSeconds,
            Scheduler scheduler) {
        AtomicLong cursor = new AtomicLong(since); // shared by this Flux's subscriptions
        return Flux.defer(() -> {
            long[] next = {cursor.get()};
            Mono<List<MetricPoint>> poll = Mono.defer(() -> {
                long now = nowSeconds.getAsLong();
                long start = Math.max(next[0], now - lookback.getSeconds());
                if (start >= now) {
                    // The service refuses windows that end where they start: wait for the next poll.
                    return Mono.just(List.<MetricPoint>of());
                }
                List<long[]> windows = new ArrayList<>();
                for (long from = start; from < now; from += maxSpan.getSeconds()) {
                    windows.add(new long[] {from, Math.min(now, from + maxSpan.getSeconds() - 1)});
                }
                return Flux.fromIterable(windows)
                        .concatMap(w -> fetch.apply(w[0], w[1]))
                        .flatMapIterable(points -> points)
                        .filter(p -> !completeOnly || p.time().getEpochSecond() + step.getSeconds() <= now)
                        .collectSortedList(Comparator.comparing(MetricPoint::time));
            }).retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofSeconds(1))
                    .maxBackoff(Duration.ofMinutes(1))
                    .jitter(0.5)
                    .scheduler(scheduler)
                    .filter(TransientFailures::isTransient)
                    .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
            return poll
                    .flatMapIterable(points -> points)
                    .filter(p -> p.time().getEpochSecond() >= next[0])
                    .doOnNext(p -> {
                        next[0] = p.time().getEpochSecond() + 1;
                        cursor.accumulateAndGet(next[0], Math::max);
                    })
                    .repeatWhen(done -> done.delayElements(step, scheduler));
        });
    }
}
