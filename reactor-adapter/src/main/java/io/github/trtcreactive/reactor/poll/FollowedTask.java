package io.github.trtcreactive.reactor.poll;

import java.util.function.Function;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task started by {@link TaskPollers#startAndFollow} and the stream of its status. Subscribing
 * follows it (starting it on the first subscription); cancelling stops following, never the task.
 * {@link #stop()} stops the task. Thread-safe.
 *
 * <pre>{@code
 * FollowedTask<DescribeCloudRecordingResponse> task = pollers.startAndFollow(TaskKind.CLOUD_RECORDING,
 *         sdkAppId, client.createCloudRecording(request).map(CreateCloudRecordingResponse::taskId), options);
 * task.take(Duration.ofMinutes(5)).subscribe(u -> log.info("{}", u.status()));   // stops only the watching
 * task.stop().subscribe();                                                        // stops the recording
 * }</pre>
 *
 * @param <R> the Describe response type
 */
public final class FollowedTask<R> extends Flux<TaskUpdate<R>> {

    private final Mono<String> start;
    private final Function<String, Flux<TaskUpdate<R>>> follow;
    private final Function<String, Mono<Void>> stopper;
    private Mono<String> attempt; // guarded by this

    FollowedTask(Mono<String> start, Function<String, Flux<TaskUpdate<R>>> follow,
            Function<String, Mono<Void>> stopper) {
        this.start = start;
        this.follow = follow;
        this.stopper = stopper;
    }

    /**
     * The task's id: starts the task if no start ran or succeeded yet, else the id it got.
     *
     * @return the id, on subscription
     */
    public Mono<String> taskId() {
        return Mono.defer(this::startOnce);
    }

    /**
     * Stops the task. Waits for a start in progress; does nothing if the task was never started or
     * its start failed. Runs with the subscriber's Reactor Context, like any call.
     *
     * @return completes when the service accepted the stop, on subscription
     */
    public Mono<Void> stop() {
        return Mono.defer(() -> {
            Mono<String> started;
            synchronized (this) {
                started = attempt;
            }
            return started == null ? Mono.empty() : started.onErrorResume(e -> Mono.empty()).flatMap(stopper);
        });
    }

    @Override
    public void subscribe(CoreSubscriber<? super TaskUpdate<R>> actual) {
        taskId().flatMapMany(follow).subscribe(actual);
    }

    /** The current start attempt, or a new one when none ran or the last failed. */
    private synchronized Mono<String> startOnce() {
        if (attempt == null) {
            Mono<String>[] self = newHolder();
            self[0] = start
                    .switchIfEmpty(Mono.error(() -> new io.github.trtcreactive.core.error.TrtcException(
                            "the start call completed without a task id", null)))
                    .doOnError(e -> forget(self[0]))
                    .cache();
            attempt = self[0];
        }
        return attempt;
    }

    private synchronized void forget(Mono<String> failed) {
        if (attempt == failed) {
            attempt = null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Mono<String>[] newHolder() {
        return (Mono<String>[]) new Mono<?>[1];
    }
}
