package io.github.trtcreactive.reactor.metric;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.github.trtcreactive.reactor.internal.TransientFailures;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The metric poll loop, independent of HTTP so its timing can be tested in virtual time. Each poll
 * asks for the window from the point after the last one seen up to now (when that is at least a
 * second long; the service refuses empty windows), split into windows no longer than the action allows and clamped to how far back it can look; each timestamp is emitted once, in
 * order. Data that arrives late is still picked up, because the next window starts after the last
 * point seen, not after the last poll. Polls take turns in the action's {@link TurnSchedule} with
 * the other streams of the action (a first poll or a catch-up first). Transient failures (the
 * service busy, a lost reply) are waited out with backoff inside the loop; others end the stream.
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
     * @param turns the schedule this stream takes its turns in, with the other streams of its action
     * @return the points; a resubscription (after an error, say) goes on after the last point this
     *     Flux emitted, so each timestamp arrives once
     */
    static Flux<MetricPoint> stream(BiFunction<Long, Long, Mono<List<MetricPoint>>> fetch, long since,
            Duration step, Duration maxSpan, Duration lookback, boolean completeOnly, LongSupplier nowSeconds,
            Scheduler scheduler, TurnSchedule turns) {
        return stream(fetch, since, step, maxSpan, lookback, completeOnly, nowSeconds, scheduler, turns::join,
                "metrics", io.github.trtcreactive.reactor.poll.PollListener.NONE);
    }

    /** As above, joining its schedule through {@code join} (a follower's ticket for an interval) on each subscription. */
    static Flux<MetricPoint> stream(BiFunction<Long, Long, Mono<List<MetricPoint>>> fetch, long since,
            Duration step, Duration maxSpan, Duration lookback, boolean completeOnly, LongSupplier nowSeconds,
            Scheduler scheduler, Function<Duration, TurnSchedule.Ticket> join, String action,
            io.github.trtcreactive.reactor.poll.PollListener listener) {
        AtomicLong cursor = new AtomicLong(since); // shared by this Flux's subscriptions
        return Flux.defer(() -> {
            TurnSchedule.Ticket ticket = join.apply(step);
            listener.onFollowed(action, 1);
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
                // A first poll, or one catching up on more than one window, is urgent; steady ones are not.
                ticket.urgent(windows.size() > 1);
                return Flux.fromIterable(windows)
                        .concatMap(w -> fetch.apply(w[0], w[1]))
                        .flatMapIterable(points -> points)
                        .filter(p -> !completeOnly || p.time().getEpochSecond() + step.getSeconds() <= now)
                        .collectSortedList(Comparator.comparing(MetricPoint::time));
            });
            return attempt(ticket, poll, 0, action, listener)
                    .doOnError(e -> listener.onPoll(action, "failed"))
                    .flatMapIterable(points -> points)
                    .filter(p -> p.time().getEpochSecond() >= next[0])
                    .doOnNext(p -> {
                        next[0] = p.time().getEpochSecond() + 1;
                        cursor.accumulateAndGet(next[0], Math::max);
                    })
                    .repeat()
                    .doFinally(signal -> {
                        ticket.dispose();
                        listener.onFollowed(action, -1);
                    });
        });
    }

    /** One poll at the stream's next turn; transient failures are asked again after a backoff (1 s doubling to 1 min). */
    private static Mono<List<MetricPoint>> attempt(TurnSchedule.Ticket ticket, Mono<List<MetricPoint>> poll, int retry,
            String action, io.github.trtcreactive.reactor.poll.PollListener listener) {
        Mono<List<MetricPoint>> turn = retry == 0 ? ticket.next(poll) : ticket.after(backoff(retry), poll);
        return turn.doOnSuccess(points -> listener.onPoll(action, "success"))
                .onErrorResume(e -> retry < MAX_RETRIES && TransientFailures.isTransient(e), e -> {
                    listener.onPoll(action, "retried");
                    return attempt(ticket, poll, retry + 1, action, listener);
                });
    }

    private static Duration backoff(int retry) {
        long base = Math.min(60_000L, 1000L << Math.min(retry - 1, 20));
        return Duration.ofMillis((long) (base * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
