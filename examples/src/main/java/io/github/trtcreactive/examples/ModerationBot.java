package io.github.trtcreactive.examples;

import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.RemoveUserRequest;
import io.github.trtcreactive.core.model.SetUserBlockedRequest;
import io.github.trtcreactive.reactor.CallListener;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The high-concurrency user: a bot that mutes and then removes thousands of users across many
 * rooms as fast as the rate limits allow, and not one call faster. Every user is muted with
 * {@code SetUserBlocked} (one call each); those still present are removed with {@code RemoveUser},
 * ten per call. All calls are issued at once and the client's rate limiter paces each action.
 *
 * <pre>
 * java -jar examples/target/trtc-examples.jar moderation-bot [--rooms 50] [--users-per-room 40] [--limit-scale 10]
 * </pre>
 *
 * <p>On the embedded emulator the limits are scaled by {@code --limit-scale} (default 10, on both
 * the emulator and the client) so that 2,000 users take seconds; {@code --limit-scale 1} runs at the
 * documented 20 calls per second. Against the service the documented limits always apply. A user who
 * has already left counts as gone, not as a failure.
 */
public final class ModerationBot {

    private static final int USERS_PER_REMOVE = 10;
    private static final int ROOMS_AT_ONCE = 4;
    private static final int MUTES_PER_ROOM_AT_ONCE = 64;
    private static final List<String> ACTIONS = List.of("SetUserBlocked", "RemoveUser");

    private ModerationBot() {}

    /** What to moderate. */
    record Plan(int rooms, int usersPerRoom, double limitScale) {}

    /** The summary the bot prints at the end. */
    record Report(long calls, long muted, long removed, long gone, long failed, long throttles, Duration p50,
            Duration p99, Duration elapsed, Duration minimum) {}

    /** Counters updated from event loops. */
    static final class Stats implements CallListener {
        final LongAdder calls = new LongAdder();
        final LongAdder muted = new LongAdder();
        final LongAdder removed = new LongAdder();
        final LongAdder gone = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder throttles = new LongAdder();
        final Map<String, LongAdder> callsByAction = new ConcurrentHashMap<>();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        /** The client's meters, as a service would export them (Micrometer, through trtc-reactive-micrometer). */
        final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        final io.micrometer.observation.ObservationRegistry observations = observations(meters);

        private static io.micrometer.observation.ObservationRegistry observations(
                io.micrometer.core.instrument.MeterRegistry meters) {
            io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
            registry.observationConfig().observationHandler(
                    new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
            return registry;
        }

        @Override
        public void onAttempt(String action, Duration latency, Throwable error) {
            calls.increment();
            callsByAction.computeIfAbsent(action, a -> new LongAdder()).increment();
            latencies.add(latency.toNanos());
            if (error instanceof TrtcServiceException e && e.errorCode().startsWith("RequestLimitExceeded")) {
                throttles.increment();
            }
        }

        Duration percentile(double p) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
        }
    }

    /**
     * Runs the bot from the command line.
     *
     * @param args {@code --rooms}, {@code --users-per-room}, {@code --limit-scale}
     */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), Console.system(), args));
    }

    /** Runs the bot and waits for it (the program's blocking edge); returns the exit status. */
    static int run(Map<String, String> env, Console console, String[] args) {
        try {
            Args options = Args.parse(args, Map.of("--rooms", "50", "--users-per-room", "40", "--limit-scale", "10"));
            Plan plan = new Plan((int) options.positiveLong("--rooms"), (int) options.positiveLong("--users-per-room"),
                    options.positiveLong("--limit-scale"));
            Stats stats = new Stats();
            boolean emulated = ExampleEnvironment.wantsEmulator(env);
            double scale = emulated ? plan.limitScale() : 1;
            try (ExampleEnvironment environment = ExampleEnvironment.resolve(env, console, "the moderation bot", false,
                    emulator -> emulator.rateLimitScale(scale),
                    client -> client.callListener(stats)
                            .observer(io.github.trtcreactive.micrometer.TrtcMicrometer.observer(stats.observations))
                            .rateLimiter(limiter(scale, stats.meters)))) {
                if (!emulated && Arrays.asList(args).contains("--limit-scale")) {
                    console.line("--limit-scale applies to the emulator only; the service's documented limits apply.");
                }
                Report report = moderate(environment, console, new Plan(plan.rooms(), plan.usersPerRoom(), scale), stats)
                        .block(Duration.ofHours(2)); // the program's only wait, on the main thread
                return report.failed() == 0 && report.throttles() == 0 ? 0 : 1;
            }
        } catch (ExampleConfigException e) {
            console.line("moderation-bot: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            console.line("moderation-bot failed: " + e);
            return 1;
        } finally {
            console.close();
        }
    }

    /** The client's limiter: the documented limits of the bot's actions, multiplied by the scale. */
    static TrtcRateLimiter limiter(double scale) {
        return limiter(scale, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** The client's limiter, its waits and refusals recorded in the bot's meters. */
    static TrtcRateLimiter limiter(double scale, io.micrometer.core.instrument.MeterRegistry meters) {
        TrtcRateLimiter.Builder builder = TrtcRateLimiter.builder()
                .listener(io.github.trtcreactive.micrometer.TrtcMicrometer.rateLimitMetrics(meters));
        for (String action : ACTIONS) {
            RateLimit documented = ActionCatalogue.standard().resolve(action).rateLimit();
            builder.limit(action, new RateLimit((int) Math.round(documented.permits() * scale), documented.period(),
                    documented.basis()));
        }
        return builder.build();
    }

    /**
     * The bot, non-blocking: completes with the report after every user was handled.
     *
     * @param environment the client and, on the emulator, the rooms to fill first
     * @param console where progress and the summary go
     * @param plan how many rooms and users, and the limit scale in force
     * @param stats the counters, also the client's call listener
     * @return the report
     */
    static Mono<Report> moderate(ExampleEnvironment environment, Console console, Plan plan, Stats stats) {
        TrtcAsyncClient client = environment.client();
        long app = environment.sdkAppId();
        long firstRoom = 700_000;
        environment.emulator().ifPresent(emulator -> {
            int left = 0;
            for (int r = 0; r < plan.rooms(); r++) {
                long room = firstRoom + r;
                emulator.rooms().join(room, users(room, plan.usersPerRoom()).toArray(String[]::new));
                for (String user : users(room, plan.usersPerRoom())) {
                    if (user.hashCode() % 50 == 0) { // some users leave before the bot gets to them
                        emulator.rooms().leave(room, user);
                        left++;
                    }
                }
            }
            console.line("[emulator] %d users joined %d rooms; %d of them left again before moderation",
                    plan.rooms() * plan.usersPerRoom(), plan.rooms(), left);
        });
        long total = (long) plan.rooms() * plan.usersPerRoom();
        console.line("Muting and removing %,d users in %d rooms; limits: %s", total, plan.rooms(),
                String.join(", ", ACTIONS.stream().map(a -> a + " " + perSecond(plan, a) + "/s").toList()));

        long started = System.nanoTime();
        Flux<Long> rooms = Flux.range(0, plan.rooms()).map(r -> firstRoom + r);
        Mono<Void> work = rooms
                .flatMap(room -> moderateRoom(client, app, room, users(room, plan.usersPerRoom()), stats), ROOMS_AT_ONCE)
                .then();
        return Mono.using(
                        () -> progress(console, stats, total, started),
                        progress -> work,
                        Disposable::dispose)
                .then(Mono.fromSupplier(() -> report(plan, stats, started)))
                .doOnNext(report -> summarize(console, report, stats));
    }

    private static Disposable progress(Console console, Stats stats, long total, long started) {
        return Flux.interval(Duration.ofSeconds(1)).subscribe(tick -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            console.progress(String.format(java.util.Locale.ROOT,
                    "muted %,d · removed %,d · gone %,d of %,d users · %,d calls (%.0f/s) · throttles %d",
                    stats.muted.sum(), stats.removed.sum(), stats.gone.sum(), total, stats.calls.sum(),
                    stats.calls.sum() / seconds, stats.throttles.sum()));
        });
    }

    private static Mono<Void> moderateRoom(TrtcAsyncClient client, long app, long room, List<String> users,
            Stats stats) {
        return Flux.fromIterable(users)
                .flatMap(user -> mute(client, app, room, user, stats), MUTES_PER_ROOM_AT_ONCE)
                .buffer(USERS_PER_REMOVE)
                .flatMap(batch -> remove(client, app, room, batch, stats))
                .then();
    }

    /** Mutes one user; yields the user when present, nothing when gone or failed. */
    private static Mono<String> mute(TrtcAsyncClient client, long app, long room, String user, Stats stats) {
        return client.setUserBlocked(SetUserBlockedRequest.builder().sdkAppId(app).roomId(room).userId(user)
                        .isMute(1L).build())
                .doOnNext(r -> stats.muted.increment())
                .thenReturn(user)
                .onErrorResume(e -> handled(e, stats));
    }

    private static Mono<Void> remove(TrtcAsyncClient client, long app, long room, List<String> batch, Stats stats) {
        return client.removeUser(RemoveUserRequest.builder().sdkAppId(app).roomId(room).userIds(batch).build())
                .doOnNext(r -> stats.removed.add(batch.size()))
                .then()
                .onErrorResume(e -> isGone(e) && batch.size() > 1
                        // Someone in the batch left meanwhile: remove the others one by one.
                        ? Flux.fromIterable(batch).flatMap(u -> remove(client, app, room, List.of(u), stats)).then()
                        : handled(e, stats).then());
    }

    private static <T> Mono<T> handled(Throwable error, Stats stats) {
        if (isGone(error)) {
            stats.gone.increment();
        } else {
            stats.failed.increment();
            String reason = error instanceof TrtcServiceException e ? e.errorCode() : error.toString();
            stats.failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }
        return Mono.empty();
    }

    private static boolean isGone(Throwable error) {
        return error instanceof TrtcServiceException e
                && (e.isCode("FailedOperation.UserNotExist") || e.isCode("FailedOperation.RoomNotExist"));
    }

    private static List<String> users(long room, int count) {
        List<String> users = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            users.add("user-" + room + "-" + u);
        }
        return users;
    }

    private static long perSecond(Plan plan, String action) {
        return Math.round(ActionCatalogue.standard().resolve(action).rateLimit().perSecond() * plan.limitScale());
    }

    /** The shortest time the limits allow for the calls made: the slowest action's calls at its rate. */
    private static Duration minimum(Plan plan, Stats stats) {
        long nanos = 0;
        for (String action : ACTIONS) {
            long calls = stats.callsByAction.getOrDefault(action, new LongAdder()).sum();
            nanos = Math.max(nanos, Math.max(0, calls - 1) * 1_000_000_000L / perSecond(plan, action));
        }
        return Duration.ofNanos(nanos);
    }

    private static Report report(Plan plan, Stats stats, long started) {
        return new Report(stats.calls.sum(), stats.muted.sum(), stats.removed.sum(), stats.gone.sum(),
                stats.failed.sum(), stats.throttles.sum(), stats.percentile(0.50), stats.percentile(0.99),
                Duration.ofNanos(System.nanoTime() - started), minimum(plan, stats));
    }

    private static void summarize(Console console, Report r, Stats stats) {
        console.line("");
        console.line("Summary");
        console.line("  calls made         %,d (%s)", r.calls(), String.join(", ", Arrays.stream(
                stats.callsByAction.keySet().toArray(String[]::new)).sorted()
                .map(a -> stats.callsByAction.get(a).sum() + " " + a).toList()));
        console.line("  users              %,d muted, %,d removed, %,d already gone, %,d failed", r.muted(),
                r.removed(), r.gone(), r.failed());
        stats.failures.forEach((reason, count) -> console.line("  failed             %d × %s", count.sum(), reason));
        console.line("  server throttles   %d", r.throttles());
        console.line("  latency            p50 %.1f ms, p99 %.1f ms (round trip after the permit)",
                r.p50().toNanos() / 1e6, r.p99().toNanos() / 1e6);
        console.line("  elapsed            %.2f s; the limits allow no less than %.2f s (%.0f%% of the allowance used)",
                r.elapsed().toNanos() / 1e9, r.minimum().toNanos() / 1e9,
                r.elapsed().isZero() ? 0 : 100.0 * r.minimum().toNanos() / r.elapsed().toNanos());
        console.line("Metrics (Micrometer)");
        stats.meters.find("trtc.client.call").timers().stream()
                .sorted(java.util.Comparator.comparing(t -> t.getId().getTag("trtc.action") + t.getId().getTag("outcome")))
                .forEach(t -> console.line("  trtc.client.call   %s %s: %,d calls, mean %.1f ms, max %.1f ms",
                        t.getId().getTag("trtc.action"), t.getId().getTag("outcome"), t.count(),
                        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS), t.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
        stats.meters.find("trtc.ratelimit.wait").timers().stream()
                .sorted(java.util.Comparator.comparing(t -> t.getId().getTag("trtc.action")))
                .forEach(t -> console.line("  trtc.ratelimit.wait %s: %,d permits, mean %.1f ms, max %.1f ms",
                        t.getId().getTag("trtc.action"), t.count(), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                        t.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
    }
}
