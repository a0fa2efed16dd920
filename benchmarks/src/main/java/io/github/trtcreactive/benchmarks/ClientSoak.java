package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.github.trtcreactive.redis.RedisLimitStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * One client for a long time against the emulator and a real Redis, with everything that could make
 * it leak or stall going on at once:
 * <pre>
 * java -cp benchmarks/target/trtc-benchmarks.jar io.github.trtcreactive.benchmarks.ClientSoak --minutes 30
 *     [--seconds S] [--row-seconds 60] [--redis URI | --redis-server PATH] [--tasks 10] [--seed 1] [--out PATH]
 * </pre>
 * The client signs each call with credentials that rotate every 10 s, calls eleven actions at their
 * documented limits through a limiter whose budget lives in Redis (keyed by SecretId, the limiter's
 * default, so each rotation brings a new account into the limiter and into Redis), follows recordings with pollers
 * cancelled at random (the emulator posting its event callbacks to a {@link TrtcCallbacks}
 * receiver), resubscribes metric streams, and meets a fault on the emulator every few seconds
 * (the emulator runs in a process of its own, {@link SoakEmulator}, so that what is measured here
 * is the client's: its heap, threads, timers);
 * halfway through, Redis is killed and started again on the same port (unless {@code --redis} names
 * one that is not this program's). Each row (every minute by default) gives the heap left after one
 * full collection, the medians of threads, pending timers and open connections read every 5 s,
 * accounts registered in Redis, pollers running and stuck, and calls answered and failed, each
 * failure put down to an injected fault, to the Redis restart, or to nothing. The targets follow,
 * each PASS, FAIL or n/a; the exit code is 1 when one fails. Flatness targets fail on growth only:
 * the last row's value above the second row's by more than 10% (or 2, for threads, timers and
 * connections), see {@link SoakReport}. Accounts are reported, not judged: they grow with every
 * rotation for as long as the limiter and the store keep per-account state. {@code --out} writes the same text to a file (a directory gets
 * {@code client-soak.txt}).
 */
public final class ClientSoak {

    /**
     * How long the limiter and the store keep an account unused: a minute (the defaults are 10), so
     * a run shows the per-account state of credentials rotating every 10 s level off within two
     * minutes, as it does after ten with the defaults.
     */
    static final Duration ACCOUNT_IDLE = Duration.ofMinutes(1);
    /**
     * The oldest callback the receiver takes: a minute (the default is 10), so that the keys it
     * remembers to refuse a replay (kept the age plus a minute) level off within the first two
     * minutes too, as they do after eleven with the default.
     */
    static final Duration CALLBACK_AGE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClientSoak.class);
    /** How often threads, timers and connections are read within a row. */
    private static final long READ_EVERY_SECONDS = 5;
    private static final String CALLBACK_KEY = "clientSoak1";
    /** The pollers' cadence while events flow, and the longest a poller may then go without a poll (3x). */
    private static final Duration SAFETY_INTERVAL = Duration.ofSeconds(15);
    /** How long each key pair is used. */
    private static final Duration ROTATION = Duration.ofSeconds(10);

    private ClientSoak() {}

    /** The options of one run. */
    record Options(long seconds, long rowSeconds, String redisUri, String redisServer, int tasks, long seed,
            Path out, String command) {}

    /**
     * Runs the soak and exits 0 when every target is met, 1 otherwise.
     *
     * @param args options, see the class comment
     * @throws Exception when the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int code = run(parse(args), System.out);
        System.exit(code); // Lettuce and Netty threads must not keep a finished run alive
    }

    static Options parse(String[] args) {
        long seconds = 30 * 60;
        long rowSeconds = 60;
        String redisUri = null;
        String redisServer = null;
        int tasks = 10;
        long seed = 1;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> seconds = 60 * Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--row-seconds" -> rowSeconds = Long.parseLong(args[++i]);
                case "--redis" -> redisUri = args[++i];
                case "--redis-server" -> redisServer = args[++i];
                case "--tasks" -> tasks = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --minutes N,"
                        + " --seconds S, --row-seconds S, --redis URI, --redis-server PATH, --tasks N, --seed N,"
                        + " --out PATH");
            }
        }
        if (seconds < 1 || rowSeconds < 1 || rowSeconds > seconds || tasks < 1) {
            throw new IllegalArgumentException("the run and its rows must last at least a second, rows no longer"
                    + " than the run, and --tasks must be at least 1");
        }
        return new Options(seconds, rowSeconds, redisUri, redisServer, tasks, seed, out, String.join(" ", args));
    }

    /**
     * Runs the soak, printing each row as it is taken, then the targets.
     *
     * @param o the options
     * @param print where the report goes
     * @return 0 when no target failed, else 1
     * @throws Exception when the run cannot be set up
     */
    static int run(Options o, PrintStream print) throws Exception {
        PendingTimers.install(); // before the first Reactor scheduler exists
        List<String> lines = new ArrayList<>();
        Consumer<String> out = line -> {
            lines.add(line);
            print.println(line);
        };
        out.accept(String.format(Locale.ROOT, "ClientSoak, %s, JDK %s, %d cores",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors()));
        out.accept("command: java -cp benchmarks/target/trtc-benchmarks.jar io.github.trtcreactive.benchmarks.ClientSoak "
                + o.command());
        List<SoakReport.Row> rows = new ArrayList<>();
        // The second row's histogram and the latest: a histogram holds a few thousand entries, and a
        // list of one per row would itself be a heap that grows every minute.
        SoakHeap.Histogram[] histograms = new SoakHeap.Histogram[2];
        double recovered = Double.NaN;
        boolean completed = false;
        SoakStats stats = new SoakStats(3 * SAFETY_INTERVAL.toNanos());
        RotatingCredentials credentials = new RotatingCredentials(pairsFor(o), ROTATION);
        try (SoakRedis redis = o.redisUri() != null ? SoakRedis.external(o.redisUri()) : SoakRedis.start(o.redisServer());
                TrtcCallbacks callbacks = TrtcCallbacks.builder().key(CALLBACK_KEY).maxEventAge(CALLBACK_AGE).build()) {
            DisposableServer receiver = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
            try (SoakEmulator emulator = SoakEmulator.start(URI.create("http://127.0.0.1:" + receiver.port() + "/"),
                        CALLBACK_KEY, pairsFor(o), ROTATION);
                    RedisLimitStore store = RedisLimitStore.connect(redis.uri(), ACCOUNT_IDLE);
                    TrtcAsyncClient client = TrtcAsyncClient.builder().credentialsProvider(credentials)
                            .endpoint(emulator.uri()).region("ap-singapore").observer(stats)
                            .rateLimiter(TrtcRateLimiter.builder().store(store).idleEviction(ACCOUNT_IDLE).build())
                            .build()) { // keyed by SecretId
                TaskPollers pollers = TaskPollers.builder(client).callbacks(callbacks)
                        .safetyPolling(SAFETY_INTERVAL, SAFETY_INTERVAL.multipliedBy(3)).build();
                SoakWorkload workload = new SoakWorkload(client, emulator, pollers, MetricStreams.create(client),
                        stats, o.seed(), o.tasks());
                SoakSampler sampler = new SoakSampler(emulator::openConnections, callbacks::openConnectionCount);
                out.accept(String.format(Locale.ROOT, "emulator %s, Redis %s, a new SecretId (so a new limiter"
                        + " account) every 10 s, %d recordings at most, a row every %d s; the emulator in a process"
                        + " of its own", emulator.uri(),
                        redis.uri(), o.tasks(), o.rowSeconds()));
                out.accept("");
                SoakReport.HEADER.forEach(out);
                credentials.restart();
                long started = System.nanoTime();
                workload.start();
                long restartAt = redis.restartable() ? o.seconds() / 2 : Long.MAX_VALUE;
                long step = Math.min(READ_EVERY_SECONDS, o.rowSeconds());
                for (long next = o.rowSeconds(); next <= o.seconds(); next += o.rowSeconds()) {
                    // Readings every few seconds; the last at the row's end. One missed during the
                    // Redis restart is not made up.
                    for (long at = next - o.rowSeconds() + step; ; at = Math.min(at + step, next)) {
                        if (restartAt < at) {
                            sleepUntil(started, restartAt);
                            recovered = restartRedis(redis, stats);
                            restartAt = Long.MAX_VALUE;
                        }
                        if (sleepUntil(started, at) || at == next) {
                            sampler.read();
                        }
                        if (at == next) {
                            break;
                        }
                    }
                    SoakReport.Row row = row(started, stats, sampler, redis, client, pollers, histograms,
                            rows.size());
                    rows.add(row);
                    out.accept(SoakReport.format(row));
                }
                workload.stop();
                out.accept("");
                out.accept(String.format(Locale.ROOT, "recordings started %d, metric points %d, stream"
                        + " resubscriptions %d, faults injected %d, SecretIds used %d, callbacks received %d",
                        workload.tasksStarted(), workload.metricPoints(), workload.resubscriptions(),
                        stats.faultsInjectedCount(), credentials.secretIdsUsed(), callbacks.acceptedCount()));
                stats.otherSamples().forEach(s -> out.accept("failure outside the faults: " + s));
                if (histograms[0] != null && histograms[1] != null) {
                    out.accept("live heap by class, the largest growths from the second row to the last:");
                    SoakHeap.growth(histograms[0], histograms[1], 12).forEach(out);
                }
            }
            receiver.disposeNow(Duration.ofSeconds(10));
            completed = true;
        } catch (RuntimeException e) {
            LOG.error("the soak did not complete", e);
            out.accept("the soak did not complete: " + e);
        }
        out.accept("");
        boolean failed = false;
        for (SoakReport.Target target : SoakReport.targets(rows, o.seconds(), completed, recovered)) {
            out.accept(SoakReport.format(target));
            failed |= target.failed();
        }
        out.accept(failed ? "RESULT: FAIL" : "RESULT: PASS");
        if (o.out() != null) {
            Path file = Files.isDirectory(o.out()) ? o.out().resolve("client-soak.txt") : o.out();
            Files.writeString(file, String.join("\n", lines) + "\n");
        }
        return failed ? 1 : 0;
    }

    /** How long the rotating key pairs must last: the run, its set-up and its closing. */
    private static Duration pairsFor(Options o) {
        return Duration.ofSeconds(o.seconds() + 120);
    }

    /**
     * Kills Redis, starts it again on the same port after 3 s and waits for the limiter to write its
     * schedule to the new, empty server.
     *
     * @return seconds from the new start to the first schedule key written, or -1 after 60 s without
     */
    private static double restartRedis(SoakRedis redis, SoakStats stats) throws Exception {
        long killed = System.nanoTime();
        stats.redisOutage(killed, Long.MAX_VALUE);
        redis.kill();
        LOG.info("Redis killed; starting it again in 3 s");
        Thread.sleep(3000); // the program's main thread: the outage the client lives through
        redis.restart();
        long restarted = System.nanoTime();
        String schedules = "trtc-reactive:limit:{*}:Describe*"; // any account's
        while (System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(60)) {
            if (redis.count(schedules) > 0) {
                long back = System.nanoTime();
                stats.redisOutage(killed, back + TimeUnit.SECONDS.toNanos(5));
                LOG.info("the limiter writes to Redis again, {} ms after its restart", (back - restarted) / 1_000_000);
                return (back - restarted) / 1e9;
            }
            Thread.sleep(200);
        }
        stats.redisOutage(killed, System.nanoTime());
        return -1;
    }

    private static SoakReport.Row row(long started, SoakStats stats, SoakSampler sampler, SoakRedis redis,
            TrtcAsyncClient client, TaskPollers pollers, SoakHeap.Histogram[] histograms, int index) {
        SoakSampler.Medians medians = sampler.drain();
        // One full collection per row, not several: each is a pause of the whole process, and three in
        // a row made the limiter's fleet turns late three times running.
        SoakHeap.Histogram live = SoakHeap.take();
        if (index == 1) {
            histograms[0] = live; // the second row's: the baseline
        } else if (index > 1) {
            histograms[1] = live; // the latest
        }
        long pool = SoakHeap.bufferPoolHeapBytes();
        double heap = (live.totalBytes() - pool) / 1048576.0;
        // Counted last: the count's short-lived Redis connection must not be in the row's readings.
        long accounts = redis.count("trtc-reactive:limit:{*}:processes");
        return new SoakReport.Row((System.nanoTime() - started) / 1_000_000_000L, heap, pool / 1048576.0, medians,
                accounts,
                client.rateLimiter().laneCount(), pollers.activeLoops(), stats.succeededCount(),
                stats.injectedFailureCount(), stats.redisFailureCount(), stats.otherFailureCount(),
                stats.stuckPollers());
    }

    /**
     * Sleeps until a second of the run.
     *
     * @return whether that second was still ahead, or at most one reading's interval behind
     */
    private static boolean sleepUntil(long started, long second) throws InterruptedException {
        long wait = started + TimeUnit.SECONDS.toNanos(second) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // the program's main thread, between readings
        }
        return wait > -TimeUnit.SECONDS.toNanos(READ_EVERY_SECONDS);
    }
}
