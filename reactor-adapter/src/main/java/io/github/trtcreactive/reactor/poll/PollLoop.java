package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The poll loop, independent of HTTP so that its timing can be tested in virtual time: describe,
 * wait the interval, describe again; emit each new status once; stop at a terminal status. A
 * documented "gone" error after the task was seen ends the loop with a GONE update; transient errors
 * are retried with exponential backoff; everything else ends it with the error; an overall deadline
 * bounds it all.
 */
final class PollLoop {

    private PollLoop() {}

    static <R> Flux<TaskUpdate<R>> poll(String action, String taskId, Supplier<Mono<R>> describe,
            Function<R, TaskStatus> statusOf, TaskStatus gone, Set<String> goneCodes, Duration interval,
            PollOptions options, Scheduler scheduler) {
        return Flux.defer(() -> {
            AtomicBoolean seen = new AtomicBoolean();
            long deadline = scheduler.now(TimeUnit.NANOSECONDS) + options.timeout().toNanos();
            Mono<TaskUpdate<R>> once = Mono.defer(describe)
                    .retryWhen(Retry.backoff(options.maxRetries(), options.firstBackoff())
                            .maxBackoff(options.firstBackoff().multipliedBy(10))
                            .jitter(options.jitter())
                            .filter(PollLoop::isTransient)
                            .scheduler(scheduler)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    .map(r -> new TaskUpdate<>(taskId, statusOf.apply(r), Optional.of(r), now(scheduler)))
                    .doOnNext(u -> seen.set(true))
                    .onErrorResume(e -> seen.get() && isGone(e, goneCodes),
                            e -> Mono.just(new TaskUpdate<>(taskId, gone, Optional.<R>empty(), now(scheduler))));
            return once
                    .repeatWhen(done -> done.delayElements(interval, scheduler))
                    .takeUntil(u -> u.status().isTerminal())
                    .distinctUntilChanged(u -> u.status().value())
                    .timeout(Mono.delay(options.timeout(), scheduler),
                            u -> Mono.delay(remaining(deadline, scheduler), scheduler))
                    .onErrorMap(TimeoutException.class,
                            e -> new TrtcTimeoutException(action, "poll timeout", options.timeout(), e));
        });
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
