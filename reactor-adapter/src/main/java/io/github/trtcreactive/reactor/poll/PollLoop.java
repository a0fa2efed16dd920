package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcTimeoutException;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The poll loop, independent of HTTP so that its timing can be tested in virtual time: describe at
 * each turn the action's {@link TurnSchedule} gives the task (one interval after the last, or later
 * when the budget is shared by more tasks than it can poll that often); emit each new status once;
 * stop at a terminal status. A task in a transitional status (pending, or one that just changed)
 * asks for urgent turns, which come before steady tasks' turns. A documented "gone" error after the
 * task was seen ends the loop with a GONE update; transient errors are asked again after an
 * exponential backoff, as urgent turns; everything else ends it with the error; an overall deadline
 * bounds it all.
 */
final class PollLoop {

    private PollLoop() {}

    /**
     * How a loop follows its task's event callbacks.
     *
     * @param routing the receiver's events, by task
     * @param statusFrom the status an event gives, if any
     * @param fetchOnEvent whether a status from an event is followed by one poll for the full response
     * @param groups the EventGroupIds of the task's family
     */
    record Following(CallbackFollowing routing, Function<io.github.trtcreactive.reactor.callback.TrtcEvent,
            Optional<TaskStatus>> statusFrom, boolean fetchOnEvent, Set<Integer> groups) {}

    static <R> Flux<TaskUpdate<R>> poll(String action, String taskId, Supplier<Mono<R>> describe,
            Function<R, TaskStatus> statusOf, TaskStatus gone, Set<String> goneCodes, Duration interval,
            PollOptions options, Scheduler scheduler, TurnSchedule turns) {
        return poll(action, taskId, describe, statusOf, gone, goneCodes, interval, options, scheduler, turns::join,
                null, PollListener.NONE);
    }

    /** As above, joining its schedule through {@code join} (a follower's ticket for an interval) on each subscription. */
    static <R> Flux<TaskUpdate<R>> poll(String action, String taskId, Supplier<Mono<R>> describe,
            Function<R, TaskStatus> statusOf, TaskStatus gone, Set<String> goneCodes, Duration interval,
            PollOptions options, Scheduler scheduler, Function<Duration, TurnSchedule.Ticket> join,
            Following following, PollListener listener) {
        return Flux.defer(() -> {
            TurnSchedule.Ticket ticket = join.apply(interval);
            listener.onFollowed(action, 1);
            AtomicBoolean seen = new AtomicBoolean();
            AtomicReference<String> last = new AtomicReference<>();
            long deadline = scheduler.now(TimeUnit.NANOSECONDS) + options.timeout().toNanos();
            Mono<TaskUpdate<R>> once = Mono.defer(() -> {
                        if (following != null) {
                            // While the family's callbacks flow they carry the news; polls are only a safety net.
                            boolean slow = following.routing().flowing(following.groups());
                            ticket.interval(slow ? following.routing().safetyInterval() : interval);
                        }
                        return attempt(action, ticket, describe, options, 0, listener);
                    })
                    .map(r -> new TaskUpdate<>(taskId, statusOf.apply(r), Optional.of(r), now(scheduler)))
                    .doOnNext(u -> {
                        seen.set(true);
                        String before = last.getAndSet(u.status().value());
                        boolean changed = before != null && !before.equals(u.status().value());
                        ticket.urgent(changed || u.status().phase() == TaskStatus.Phase.PENDING);
                    })
                    .onErrorResume(e -> seen.get() && isGone(e, goneCodes), e -> {
                        listener.onPoll(action, "gone");
                        return Mono.just(new TaskUpdate<>(taskId, gone, Optional.<R>empty(), now(scheduler)));
                    })
                    .doOnError(e -> listener.onPoll(action, "failed"));
            Flux<TaskUpdate<R>> updates = once.repeat();
            if (following != null) {
                updates = Flux.merge(updates, events(taskId, following, ticket, last, scheduler));
            }
            AtomicReference<TaskUpdate<R>> emitted = new AtomicReference<>();
            return updates
                    .takeUntil(u -> u.status().isTerminal())
                    .filter(u -> isNews(emitted.get(), u))
                    .doOnNext(u -> {
                        emitted.set(u);
                        listener.onStatusChange(u);
                    })
                    .timeout(Mono.delay(options.timeout(), scheduler),
                            u -> Mono.delay(remaining(deadline, scheduler), scheduler))
                    .onErrorMap(TimeoutException.class,
                            e -> new TrtcTimeoutException(action, "poll timeout", options.timeout(), e))
                    .doFinally(signal -> {
                        ticket.dispose();
                        listener.onFollowed(action, -1);
                    });
        });
    }

    /**
     * Whether an update tells the subscriber something: a new status, or the first Describe response
     * for a status that so far came only from a callback.
     */
    private static <R> boolean isNews(TaskUpdate<R> previous, TaskUpdate<R> next) {
        if (previous == null || !previous.status().value().equals(next.status().value())) {
            return true;
        }
        return previous.response().isEmpty() && next.response().isPresent() && previous.event().isPresent();
    }

    /** The task's events as updates, each the moment it arrives; they also set how often the task is polled. */
    private static <R> Flux<TaskUpdate<R>> events(String taskId, Following following, TurnSchedule.Ticket ticket,
            AtomicReference<String> last, Scheduler scheduler) {
        return Flux.<io.github.trtcreactive.reactor.callback.TrtcEvent>create(sink -> {
                    reactor.core.Disposable listening = following.routing().listen(taskId, sink::next);
                    sink.onDispose(listening);
                })
                .concatMap(event -> {
                    ticket.interval(following.routing().safetyInterval());
                    Optional<TaskStatus> status = following.statusFrom().apply(event);
                    if (status.isEmpty()) {
                        // A start or end without a status of its own (a robot's module started): confirm it
                        // with a poll. Other news (files uploaded, metrics) changes no status.
                        if (event.eventType().map(t -> t.name().endsWith("_START") || t.endsTask()).orElse(false)) {
                            ticket.hurry();
                        }
                        return Mono.empty();
                    }
                    last.set(status.get().value());
                    if (following.fetchOnEvent() && !status.get().isTerminal()) {
                        ticket.hurry();
                    }
                    return Mono.just(new TaskUpdate<R>(taskId, status.get(), Optional.empty(), now(scheduler),
                            Optional.of(event)));
                });
    }

    /** One Describe at the task's next turn; a transient failure is asked again after a backoff, a bounded number of times. */
    private static <R> Mono<R> attempt(String action, TurnSchedule.Ticket ticket, Supplier<Mono<R>> describe,
            PollOptions options, int retry, PollListener listener) {
        Mono<R> call = Mono.defer(describe);
        Mono<R> turn = retry == 0 ? ticket.next(call) : ticket.after(backoff(options, retry), call);
        return turn.doOnSuccess(r -> listener.onPoll(action, "success"))
                .onErrorResume(e -> retry < options.maxRetries() && isTransient(e), e -> {
                    listener.onPoll(action, "retried");
                    return attempt(action, ticket, describe, options, retry + 1, listener);
                });
    }

    /** The first backoff doubled per retry, at most ten times it, spread by the jitter. */
    static Duration backoff(PollOptions options, int retry) {
        long first = options.firstBackoff().toNanos();
        long base = Math.min(first * 10, first << Math.min(retry - 1, 20));
        double spread = options.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos(Math.max(0, (long) (base * (1 + spread))));
    }

    /** Worth another try: the service could not answer now, or the answer did not arrive. */
    static boolean isTransient(Throwable e) {
        return io.github.trtcreactive.reactor.internal.TransientFailures.isTransient(e);
    }

    private static boolean isGone(Throwable e, Set<String> goneCodes) {
        return e instanceof TrtcServiceException s && goneCodes.stream().anyMatch(s::isCode);
    }

    private static Duration remaining(long deadline, Scheduler scheduler) {
        return Duration.ofNanos(Math.max(0, deadline - scheduler.now(TimeUnit.NANOSECONDS)));
    }

    private static Instant now(Scheduler scheduler) {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }
}
