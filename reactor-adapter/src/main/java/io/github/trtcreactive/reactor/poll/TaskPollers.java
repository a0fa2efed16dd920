package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundWork;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcCallOptions;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import io.github.trtcreactive.reactor.internal.TurnSchedules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Turns the Describe actions of task families into live streams of task status.
 *
 * <pre>{@code
 * TaskPollers pollers = TaskPollers.create(client);
 * pollers.poll(TaskKind.CLOUD_RECORDING, sdkAppId, taskId)
 *        .subscribe(u -> log.info("{} is {}", u.taskId(), u.status().value()));
 * }</pre>
 *
 * <p>Every poll is a background Describe call through the client: it waits for the action's
 * rate-limit permit after the user's own (interactive) calls. The tasks of one Describe action share
 * that action's budget fairly: polls take turns, due ones in the order they became due, so when N
 * tasks share B polls a second each is polled about every {@code max(interval, N / B)} seconds and
 * none starves. A task in a transitional status (Idle, Preparing, or one whose status just changed)
 * is polled before steady ones, which keep at least a quarter of the polls; steady polls are spread
 * over the interval rather than sent in bursts. Only a few polls per action wait for a permit at a
 * time, so any number of followed tasks adds no queue to the limiter. The turns are kept per action
 * and account (the SecretId of the per-call credentials a subscriber's calls are signed with), and an
 * account's are forgotten once they have been idle for 10 minutes (no task followed, no poll waiting
 * or running, none for that long), so rotating credentials leave nothing behind. Polling starts on
 * subscription and stops at once on cancel; subscribers of
 * the same task (with the same options) share one poll loop, and a late subscriber first receives
 * the latest status. The shared loop runs with the Reactor Context of the subscriber that started
 * it. When the client closes, every stream ends with {@code TrtcClientClosedException}. Following
 * the callbacks is a background loop, started again when it fails (see {@link #backgroundHealth()}).
 * Thread-safe.
 */
public final class TaskPollers implements BackgroundWork {

    private static final Logger LOG = LoggerFactory.getLogger(TaskPollers.class);

    private final TrtcAsyncClient client;
    private final Scheduler scheduler;
    private final CallbackFollowing following;
    private final boolean fetchOnEvent;
    private final PollListener listener;
    private final Map<String, Flux<? extends TaskUpdate<?>>> shared = new ConcurrentHashMap<>();
    /** One schedule of turns per Describe action and account: the tasks polled with one budget. */
    private final TurnSchedules schedules;

    private TaskPollers(TrtcAsyncClient client, Scheduler scheduler, TrtcCallbacks callbacks, Duration safetyInterval,
            Duration silence, boolean fetchOnEvent, PollListener listener) {
        // The poll loop retries transient errors itself (PollOptions); the client must not as well.
        // Polls and stop-on-cancel calls are background work, served after interactive calls.
        this.client = Objects.requireNonNull(client, "client")
                .withRetryPolicy(io.github.trtcreactive.reactor.RetryPolicy.none())
                .withPriority(io.github.trtcreactive.reactor.ratelimit.CallPriority.BACKGROUND);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.schedules = new TurnSchedules(scheduler, client.rateLimiter());
        this.listener = io.github.trtcreactive.reactor.internal.SafePollListener.of(listener);
        this.following = callbacks == null ? null
                : new CallbackFollowing(callbacks, scheduler, safetyInterval, silence, this.listener::onBackgroundRestart);
        this.fetchOnEvent = fetchOnEvent;
        if (following != null) {
            client.onClose().subscribe(v -> { }, e -> { }, following::stop);
        }
    }

    /**
     * Pollers that also follow the tasks' event callbacks: a task's status changes the moment its
     * event arrives, and while events flow its polls drop to a safety cadence (see {@link Builder}).
     *
     * @param client the client making the Describe calls
     * @param callbacks the receiver of the application's callbacks
     * @return the pollers
     */
    public static TaskPollers create(TrtcAsyncClient client, TrtcCallbacks callbacks) {
        return builder(client).callbacks(callbacks).build();
    }

    /**
     * Starts configuring pollers.
     *
     * @param client the client making the Describe calls
     * @return a builder
     */
    public static Builder builder(TrtcAsyncClient client) {
        return new Builder(client);
    }

    /**
     * Pollers that wait on {@code Schedulers.parallel()}.
     *
     * @param client the client making the Describe calls
     * @return the pollers
     */
    public static TaskPollers create(TrtcAsyncClient client) {
        return builder(client).build();
    }

    /**
     * Pollers that wait on the given scheduler.
     *
     * @param client the client making the Describe calls
     * @param scheduler the scheduler of intervals, backoffs and timeouts
     * @return the pollers
     */
    public static TaskPollers create(TrtcAsyncClient client, Scheduler scheduler) {
        return builder(client).scheduler(scheduler).build();
    }

    /**
     * Streams a task's status with the default options.
     *
     * @param <R> the Describe response type
     * @param kind the task family
     * @param sdkAppId the application
     * @param taskId the task
     * @return each new status once, with its Describe response, until a terminal one
     */
    public <R> Flux<TaskUpdate<R>> poll(TaskKind<R> kind, long sdkAppId, String taskId) {
        return poll(kind, sdkAppId, taskId, PollOptions.DEFAULTS);
    }

    /**
     * Streams a task's status: each new status once, with its complete Describe response, from the
     * first poll until a terminal status, then completes. When the task is gone (the family's
     * documented error) after it was seen, a last update with phase GONE ends the stream normally.
     * Errors: transient ones (InternalError, RequestLimitExceeded, transport failures) are retried
     * with backoff; others end the stream, as does the timeout ({@code TrtcTimeoutException}).
     *
     * @param <R> the Describe response type
     * @param kind the task family
     * @param sdkAppId the application
     * @param taskId the task
     * @param options interval, timeout and retries
     * @return the status stream, shared by concurrent subscribers
     */
    @SuppressWarnings("unchecked")
    public <R> Flux<TaskUpdate<R>> poll(TaskKind<R> kind, long sdkAppId, String taskId, PollOptions options) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(options, "options");
        String key = kind + "/" + sdkAppId + "/" + taskId + "/" + options;
        // Shared on subscription, not at assembly: a Flux built and never subscribed leaves nothing behind.
        return Flux.defer(() -> (Flux<TaskUpdate<R>>) shared.computeIfAbsent(key, k -> {
            AtomicReference<Flux<TaskUpdate<R>>> self = new AtomicReference<>();
            Flux<TaskUpdate<R>> loop = client.endOnClose(Flux.deferContextual(context -> PollLoop.poll(
                                    kind.describeAction(), taskId,
                                    () -> kind.describe(client, sdkAppId, taskId), kind::statusOf,
                                    TaskStatus.gone(kind.family()), kind.goneCodes(),
                                    options.interval() != null ? options.interval() : kind.defaultInterval(),
                                    options, scheduler, schedule(kind.describeAction(), context),
                                    following == null ? null
                                            : new PollLoop.Following(following, kind::statusFrom, fetchOnEvent,
                                                    groupsOf(kind)), listener)),
                            kind.describeAction())
                    .doOnNext(u -> LOG.debug("{} {} is {}", kind, taskId, u.status().value()))
                    // Only this loop's own entry: a newer loop for the same task may already be registered.
                    .doFinally(signal -> shared.remove(k, self.get()))
                    .replay(1)
                    .refCount();
            self.set(loop);
            return loop;
        }));
    }

    /** The EventGroupIds whose events may name a task of a kind. */
    private static java.util.Set<Integer> groupsOf(TaskKind<?> kind) {
        java.util.Set<Integer> groups = new java.util.HashSet<>();
        for (io.github.trtcreactive.core.callback.CallbackGroup g : io.github.trtcreactive.core.callback.CallbackGroup
                .values()) {
            if (g.families().contains(kind.family())) {
                groups.add(g.id());
            }
        }
        return java.util.Set.copyOf(groups);
    }

    /** Joins the schedule of the action's polls for the account the subscriber's calls are signed for. */
    private Function<Duration, TurnSchedule.Ticket> schedule(String action, ContextView context) {
        String account = TrtcCallOptions.from(context).credentials().map(Credentials::secretId).orElse("");
        return interval -> schedules.join(action + "\n" + account, interval);
    }

    /** {@return how many schedules (Describe action and account pairs) are held now} */
    int scheduleCount() {
        return schedules.size();
    }

    /**
     * How the pollers' background loop does: routing the callbacks to the poll loops
     * ({@code pollers.callback-routing}, {@code IDLE} until the first task is followed), when the
     * pollers follow callbacks.
     *
     * @return the loop's status, or an empty list without callbacks
     */
    @Override
    public List<BackgroundStatus> backgroundHealth() {
        return following == null ? List.of() : List.of(following.status());
    }

    /** {@return how many poll loops run now (one per task and options, however many subscribers)} */
    public int activeLoops() {
        return shared.size();
    }

    /**
     * Waits until a task reaches a status.
     *
     * @param <R> the Describe response type
     * @param kind the task family
     * @param sdkAppId the application
     * @param taskId the task
     * @param wanted the status to wait for, for example {@code s -> s.is("InProgress")}
     * @param options interval, timeout and retries
     * @return the first update with that status; an error if the task ends without reaching it
     */
    public <R> Mono<TaskUpdate<R>> waitUntil(TaskKind<R> kind, long sdkAppId, String taskId,
            Predicate<TaskStatus> wanted, PollOptions options) {
        return poll(kind, sdkAppId, taskId, options)
                .filter(u -> wanted.test(u.status()))
                .next()
                .switchIfEmpty(Mono.error(() -> new TrtcException(kind.describeAction() + ": task " + taskId
                        + " ended without reaching the awaited status", null)));
    }

    /**
     * Waits until a task finishes.
     *
     * @param <R> the Describe response type
     * @param kind the task family
     * @param sdkAppId the application
     * @param taskId the task
     * @param options interval, timeout and retries
     * @return the terminal update (FINISHED or GONE)
     */
    public <R> Mono<TaskUpdate<R>> waitUntilFinished(TaskKind<R> kind, long sdkAppId, String taskId,
            PollOptions options) {
        return poll(kind, sdkAppId, taskId, options).last();
    }

    /**
     * Starts a task and follows it to its end. The start runs once, on the first subscription to the
     * returned task (or its {@link FollowedTask#taskId()}), however many subscribe or resubscribe;
     * a start that fails is not kept, so a later subscription starts again. Following and stopping
     * are separate: cancelling a subscription (a {@code take}, a {@code timeout}, a browser that goes
     * away) only stops observing; {@link FollowedTask#stop()} stops the task.
     *
     * @param <R> the Describe response type
     * @param kind the task family
     * @param sdkAppId the application
     * @param start the call that starts the task and yields its id
     * @param options interval, timeout and retries
     * @return the task: a Flux of its status, with the handles to its id and to stopping it
     */
    public <R> FollowedTask<R> startAndFollow(TaskKind<R> kind, long sdkAppId, Mono<String> start,
            PollOptions options) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(options, "options");
        return new FollowedTask<>(start, taskId -> poll(kind, sdkAppId, taskId, options),
                taskId -> kind.stop(client, sdkAppId, taskId));
    }

    /** Settings of {@link TaskPollers}. */
    public static final class Builder {
        private final TrtcAsyncClient client;
        private Scheduler scheduler = Schedulers.parallel();
        private TrtcCallbacks callbacks;
        private Duration safetyInterval = Duration.ofMinutes(2);
        private Duration silence = Duration.ofMinutes(5);
        private boolean fetchOnEvent;
        private PollListener listener = PollListener.NONE;

        private Builder(TrtcAsyncClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * The scheduler of intervals, backoffs and timeouts. Default {@code Schedulers.parallel()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Follows the tasks' event callbacks too. A task's status then changes the moment its event
         * arrives (an update with {@link TaskUpdate#event()} and no response), and while events of
         * its family flow (the receiver got one within the silence limit) the task is polled only at
         * the safety interval; a family whose events stop (or never came: the console may send some
         * families' callbacks and not others) is polled at its normal, budgeted cadence. A start or
         * end event that gives no status (a recording's module started) brings the task's next poll
         * forward instead.
         *
         * @param callbacks the receiver of the application's callbacks
         * @return this builder
         */
        public Builder callbacks(TrtcCallbacks callbacks) {
            this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
            return this;
        }

        /**
         * How often a task whose events arrive is still polled, and how long the receiver may go
         * without any event before polls resume their normal cadence. Default 2 and 5 minutes.
         *
         * @param safetyInterval the slow cadence
         * @param silence the silence limit
         * @return this builder
         */
        public Builder safetyPolling(Duration safetyInterval, Duration silence) {
            this.safetyInterval = positive("safetyInterval", safetyInterval);
            this.silence = positive("silence", silence);
            return this;
        }

        /**
         * Whether a status that came from an event is followed at once by one poll (in the
         * background budget) for the task's full Describe response, emitted as a second update with
         * the same status. Default false: the response comes with the task's next scheduled poll
         * (if the task is still there), emitted the same way.
         *
         * @param fetch whether to fetch
         * @return this builder
         */
        public Builder fetchResponseOnEvent(boolean fetch) {
            this.fetchOnEvent = fetch;
            return this;
        }

        /**
         * Hears the pollers' work, for metrics (see {@code TrtcMicrometer.pollMetrics}). Default: none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(PollListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@return the pollers} */
        public TaskPollers build() {
            return new TaskPollers(client, scheduler, callbacks, safetyInterval, silence, fetchOnEvent, listener);
        }

        private static Duration positive(String field, Duration value) {
            Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
