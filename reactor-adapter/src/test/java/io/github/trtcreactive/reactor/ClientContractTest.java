package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcDeadlineExceededException;
import io.github.trtcreactive.core.error.TrtcException;
import io.github.trtcreactive.core.error.TrtcPoolExhaustedException;
import io.github.trtcreactive.core.error.TrtcRateLimitException;
import io.github.trtcreactive.core.error.TrtcResponseTimeoutException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.DescribeStreamIngestRequest;
import io.github.trtcreactive.core.model.StartStreamIngestRequest;
import io.github.trtcreactive.core.model.StartStreamIngestResponse;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.page.Paginators;
import io.github.trtcreactive.reactor.poll.FollowedTask;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * The client's contract on the paths off the happy one: close is terminal, user hooks never change
 * an outcome, every failure is a TrtcException, the caller's Context reaches every call made on its
 * behalf, and timeouts and the pool bound what they say. Against the emulator over real sockets.
 */
class ClientContractTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RetryPolicy FAST = RetryPolicy.defaults().backoff(Duration.ofMillis(10), Duration.ofMillis(50), 0);
    private static final PollOptions POLL = PollOptions.DEFAULTS.withInterval(Duration.ofMillis(50));

    private TrtcEmulator emulator;
    private ObjectNode ingest;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        ingest = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("TaskId", "t");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private TrtcAsyncClientBuilder builder() {
        return TrtcAsyncClient.builder().credentials(emulator.credentials()).endpoint(emulator.uri())
                .region("ap-singapore").retryPolicy(FAST).responseTimeout(Duration.ofSeconds(2));
    }

    private String startIngest(TrtcAsyncClient client, String room) {
        return client.startStreamIngest(StartStreamIngestRequest.builder().sdkAppId(emulator.sdkAppId())
                        .roomId(room).roomIdType(0L).userId("robot")
                        .userSig(emulator.userSigs().generate("robot", Duration.ofHours(1)))
                        .streamUrl("https://example.invalid/a.mp4").repeatNum(-1L).build())
                .map(StartStreamIngestResponse::taskId).block(WAIT);
    }

    /** How a stream that only ever asks for one element ends: its error, or an AssertionError when it completes. */
    private static CompletableFuture<Throwable> endingWithDemandOfOne(Flux<?> flux) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        flux.subscribe(new reactor.core.publisher.BaseSubscriber<Object>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                subscription.request(1);
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                ended.complete(throwable);
            }

            @Override
            protected void hookOnComplete() {
                ended.complete(new AssertionError("completed"));
            }
        });
        return ended;
    }

    /** How a stream ends: its error, or an AssertionError when it completes. */
    private static CompletableFuture<Throwable> ending(Flux<?> flux) {
        return flux.then(Mono.<Throwable>empty()).onErrorResume(Mono::just).defaultIfEmpty(new AssertionError("completed"))
                .toFuture();
    }

    // ---- lifecycle ----

    @Test
    void close_isTerminal_laterCallsFailWithoutSending_andTheOwnedPoolIsDisposed() {
        TrtcAsyncClient client = builder().build();
        StepVerifier.create(client.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete().verify(WAIT);

        client.close();

        assertThat(client.isClosed()).isTrue();
        assertThat(client.ownsDisposedPool()).as("disposed before close() returned").isTrue();
        StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcClientClosedException.class,
                        c -> assertThat(c.requestSent()).isFalse()))
                .verify(WAIT);
        StepVerifier.create(client.describeStreamIngest(DescribeStreamIngestRequest.builder()
                        .sdkAppId(emulator.sdkAppId()).taskId("t").build()))
                .expectError(TrtcClientClosedException.class)
                .verify(WAIT);
        StepVerifier.create(client.withRetryPolicy(RetryPolicy.none()).call("DescribeStreamIngest", ingest))
                .expectError(TrtcClientClosedException.class)
                .verify(WAIT);
        assertThat(emulator.requests("DescribeStreamIngest")).as("nothing reached the server after close").hasSize(1);
        client.close(); // again: nothing happens
    }

    @Test
    void close_endsPollersMetricStreamsListingsAndPermitWaiters_withTheClosedError() throws Exception {
        TrtcRateLimiter slow = TrtcRateLimiter.builder().maxWait(Duration.ofMinutes(5))
                .limit("DismissRoom", new RateLimit(1, Duration.ofMinutes(1), RateLimit.Basis.DOCUMENTED)).build();
        TrtcAsyncClient client = builder().rateLimiter(slow).build();
        String task = startIngest(client, "r-close");
        for (int i = 0; i < 3; i++) {
            emulator.rooms().join("room-" + i, "host");
        }
        long now = Instant.now().getEpochSecond();
        ObjectNode dismiss = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId()).put("RoomId", 1);
        client.call("DismissRoom", dismiss).onErrorResume(e -> Mono.empty()).block(WAIT); // uses the only permit

        CompletableFuture<Throwable> waiter = ending(client.call("DismissRoom", dismiss).flux());
        CompletableFuture<Throwable> poller = ending(TaskPollers.create(client).poll(TaskKind.STREAM_INGEST,
                emulator.sdkAppId(), task, POLL));
        CompletableFuture<Throwable> metrics = ending(MetricStreams.create(client,
                reactor.core.scheduler.Schedulers.parallel(), Duration.ofMillis(50))
                .realTimeScale(emulator.sdkAppId(), null, Instant.now().minusSeconds(30)));
        CompletableFuture<Throwable> listing = endingWithDemandOfOne(Paginators.create(client).describeRoomInfo(
                DescribeRoomInfoRequest.builder().sdkAppId(emulator.sdkAppId()).startTime(now - 3600).endTime(now + 60)
                        .pageSize(1L).build()));
        StepVerifier.create(Flux.interval(Duration.ofMillis(10))
                        .filter(i -> emulator.requests("DescribeStreamIngest").size() >= 2
                                && !emulator.requests("DescribeTRTCRealTimeScaleData").isEmpty()
                                && !emulator.requests("DescribeRoomInfo").isEmpty()
                                && slow.snapshot().stream().anyMatch(b -> b.queued() == 1))
                        .next())
                .expectNextCount(1).expectComplete().verify(WAIT);

        client.close();

        for (CompletableFuture<Throwable> ended : List.of(waiter, poller, metrics, listing)) {
            assertThat(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TrtcClientClosedException.class);
        }
        assertThat(slow.snapshot()).allSatisfy(b -> assertThat(b.queued()).as(b.action()).isZero());
        assertThat(emulator.requests("DismissRoom")).as("the waiter was never sent").hasSize(1);
    }

    @Test
    void close_ofAClientOnTheUsersPool_leavesThePoolOpen_andCloseLaterCompletes() {
        ConnectionProvider pool = ConnectionProvider.create("users-pool", 4);
        try {
            TrtcAsyncClient client = builder().connectionProvider(pool).build();
            StepVerifier.create(client.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
            StepVerifier.create(client.closeLater()).expectComplete().verify(WAIT);

            assertThat(client.isClosed()).isTrue();
            assertThat(pool.isDisposed()).isFalse();
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectError(TrtcClientClosedException.class).verify(WAIT);
        } finally {
            pool.dispose();
        }
        TrtcAsyncClient owned = builder().build();
        StepVerifier.create(owned.closeLater()).expectComplete().verify(WAIT);
        assertThat(owned.ownsDisposedPool()).isTrue();
    }

    @Test
    void callTimeout_boundsACredentialsProviderThatNeverAnswers() {
        try (TrtcAsyncClient client = builder().credentialsProvider((ReactiveCredentialsProvider) Mono::never)
                .callTimeout(Duration.ofMillis(300)).build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(
                            TrtcDeadlineExceededException.class, d -> assertThat(d.requestSent()).isFalse()))
                    .verify(WAIT);
        }
        assertThat(emulator.requests()).isEmpty();
    }

    // ---- user hooks ----

    @Test
    void aRateLimitListenerThatThrows_strandsNoWaiter() {
        AtomicInteger granted = new AtomicInteger();
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().listener(new RateLimitListener() {
            @Override
            public void onGranted(String action, Duration waited) {
                granted.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onQueued(String action, Duration expectedWait, int queued) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        try (TrtcAsyncClient client = builder().rateLimiter(limiter).build()) {
            StepVerifier.create(Flux.range(0, 8).flatMap(i -> client.call("DescribeStreamIngest", ingest)).count())
                    .expectNext(8L)
                    .expectComplete()
                    .verify(WAIT);
        }
        // Callers are signalled before the listener is: its last call may come just after the last answer.
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).filter(i -> granted.get() == 8).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(limiter.snapshot()).singleElement().satisfies(b -> assertThat(b.queued()).isZero());
    }

    @Test
    void aCallListenerThatThrows_neverChangesAnOutcome() {
        AtomicInteger seen = new AtomicInteger();
        try (TrtcAsyncClient client = builder().callListener((action, latency, error) -> {
            seen.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }).build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete()
                    .verify(WAIT);
            emulator.faults().next("DescribeStreamIngest", Fault.serviceError("InvalidParameter", "bad"), 1);
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                            s -> assertThat(s.errorCode()).isEqualTo("InvalidParameter")))
                    .verify(WAIT);
        }
        assertThat(seen).hasValue(2);
        assertThat(emulator.requests("DescribeStreamIngest")).as("no second send after a listener failure").hasSize(2);
    }

    // ---- one error contract ----

    @Test
    void everyFailurePath_endsInATrtcException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        expectTrtc("retries exhausted", TrtcServiceException.class, builder(),
                () -> emulator.faults().always("DescribeStreamIngest", Fault.internalError()));
        emulator.faults().clear();
        expectTrtc("skew correction exhausted", TrtcServiceException.class, builder(),
                () -> emulator.faults().next("DescribeStreamIngest",
                        Fault.serviceError("AuthFailure.SignatureExpire", "Signature expired."), 2));
        expectTrtc("deadline", TrtcDeadlineExceededException.class, builder().callTimeout(Duration.ofMillis(200)),
                () -> emulator.faults().next("DescribeStreamIngest", Fault.delay(Duration.ofSeconds(2)), 1));
        expectTrtc("transport", TrtcClientException.class, TrtcAsyncClient.builder()
                .credentials(emulator.credentials()).region("ap-singapore").retryPolicy(FAST)
                .endpoint(URI.create("http://127.0.0.1:" + closedPort)), () -> { });
        expectTrtc("decode", TrtcClientException.class, builder().retryPolicy(RetryPolicy.none()),
                () -> emulator.faults().next("DescribeStreamIngest", Fault.malformedJson(), 1));
        expectTrtc("credentials provider failure", TrtcClientException.class, builder()
                .credentialsProvider((ReactiveCredentialsProvider) () -> Mono.error(new IllegalStateException("sts"))),
                () -> { });
        TrtcRateLimiter tight = TrtcRateLimiter.builder().maxWait(Duration.ofMillis(1))
                .limit("DescribeStreamIngest", new RateLimit(1, Duration.ofSeconds(10), RateLimit.Basis.DOCUMENTED))
                .build();
        try (TrtcAsyncClient client = builder().rateLimiter(tight).build()) {
            StepVerifier.create(Flux.range(0, 2).flatMap(i -> client.call("DescribeStreamIngest", ingest)
                            .then(Mono.<Throwable>empty()).onErrorResume(Mono::just)))
                    .assertNext(e -> assertThat(e).as("permit refusal").isInstanceOf(TrtcRateLimitException.class))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(client.describeStreamIngest(DescribeStreamIngestRequest.builder().build()))
                    .expectErrorSatisfies(e -> assertThat(e).as("validation").isInstanceOf(TrtcValidationException.class))
                    .verify(WAIT);
        }
    }

    private void expectTrtc(String path, Class<? extends TrtcException> type, TrtcAsyncClientBuilder builder,
            Runnable arrange) {
        arrange.run();
        try (TrtcAsyncClient client = builder.build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).as(path).isInstanceOf(type))
                    .verify(WAIT);
        }
    }

    @Test
    void aReplyDateMoreThanADayOff_teachesNoClockOffset() {
        try (TrtcEmulator ahead = TrtcEmulator.builder().rateLimits(false)
                .clock(EmulatorClock.fixed(Instant.now().plus(Duration.ofDays(3)))).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().credentials(ahead.credentials())
                        .endpoint(ahead.uri()).region("ap-singapore").retryPolicy(FAST).build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcServiceException.class,
                            s -> assertThat(s.errorCode()).isEqualTo("AuthFailure.SignatureExpire")))
                    .verify(WAIT);
            assertThat(ahead.requests()).as("not re-signed three days ahead").hasSize(1);
            assertThat(Duration.between(Instant.now(), client.serviceNow()).abs()).isLessThan(Duration.ofMinutes(1));
        }
    }

    // ---- Context ----

    @Test
    void theCallersContext_reachesDirectPagedPolledAndStopCalls() {
        List<String> tenants = new CopyOnWriteArrayList<>();
        Credentials keys = emulator.credentials();
        ReactiveCredentialsProvider tenantAware = () -> Mono.deferContextual(ctx -> {
            tenants.add(ctx.getOrDefault("tenant", "none"));
            return Mono.just(keys);
        });
        for (int i = 0; i < 5; i++) {
            emulator.rooms().join("ctx-" + i, "host");
        }
        try (TrtcAsyncClient client = builder().credentialsProvider(tenantAware).build()) {
            String task = startIngest(client, "ctx-room");
            long now = Instant.now().getEpochSecond();

            Consumer<String> expectOnly = tenant -> {
                assertThat(tenants).as(tenant).isNotEmpty().containsOnly(tenant);
                tenants.clear();
            };
            tenants.clear();
            client.call("DescribeStreamIngest", ingest).contextWrite(Context.of("tenant", "direct")).block(WAIT);
            expectOnly.accept("direct");
            assertThat(Paginators.create(client).describeRoomInfo(DescribeRoomInfoRequest.builder()
                            .sdkAppId(emulator.sdkAppId()).startTime(now - 3600).endTime(now + 60).pageSize(2L).build())
                    .contextWrite(Context.of("tenant", "paged")).count().block(WAIT)).isEqualTo(5L);
            expectOnly.accept("paged");
            TaskPollers pollers = TaskPollers.create(client);
            pollers.poll(TaskKind.STREAM_INGEST, emulator.sdkAppId(), task, POLL).take(1)
                    .contextWrite(Context.of("tenant", "polled")).blockLast(WAIT);
            expectOnly.accept("polled");
            FollowedTask<?> followed = pollers.startAndFollow(TaskKind.STREAM_INGEST, emulator.sdkAppId(),
                    Mono.just(task), POLL);
            followed.take(1).contextWrite(Context.of("tenant", "followed")).blockLast(WAIT);
            expectOnly.accept("followed");
            followed.stop().contextWrite(Context.of("tenant", "stop")).block(WAIT);
            expectOnly.accept("stop");
        }
        assertThat(emulator.requests("StopStreamIngest")).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
    }

    // ---- timeouts and the pool ----

    @Test
    void responseTimeout_boundsTheWholeReply_notJustTheGapBetweenReads() {
        emulator.faults().next("DescribeStreamIngest", Fault.trickle(Duration.ofMillis(50)), 1);
        try (TrtcAsyncClient client = builder().responseTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(8)).retryPolicy(RetryPolicy.none()).build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", ingest))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TrtcResponseTimeoutException.class,
                            t -> assertThat(t.requestSent()).isTrue()))
                    .verify(WAIT);
        }
    }

    @Test
    void aSaturatedPool_isItsOwnError_andIsNotRetriedIntoThePool() {
        emulator.faults().next("DescribeStreamIngest", Fault.delay(Duration.ofMillis(800)), 2);
        try (TrtcAsyncClient client = builder().maxConnections(1).pendingAcquireMaxCount(1)
                .rateLimiter(TrtcRateLimiter.disabled()).build()) {
            List<Throwable> outcomes = Flux.range(0, 3)
                    .flatMap(i -> client.call("DescribeStreamIngest", ingest).then(Mono.<Throwable>empty())
                            .onErrorResume(Mono::just))
                    .collectList().block(WAIT);

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(TrtcPoolExhaustedException.class,
                    p -> assertThat(p.requestSent()).isFalse());
            assertThat(emulator.requests("DescribeStreamIngest")).as("two served one after the other, the third "
                    + "refused at once and not sent again").hasSize(2);
        }
        try (TrtcAsyncClient client = builder().maxConnections(1).pendingAcquireTimeout(Duration.ofMillis(200))
                .rateLimiter(TrtcRateLimiter.disabled()).build()) {
            emulator.faults().next("DescribeStreamIngest", Fault.delay(Duration.ofSeconds(2)), 1);
            List<Throwable> outcomes = Flux.range(0, 2)
                    .flatMap(i -> client.call("DescribeStreamIngest", ingest).then(Mono.<Throwable>empty())
                            .onErrorResume(Mono::just))
                    .collectList().block(WAIT);
            assertThat(outcomes).singleElement().satisfies(e -> assertThat(e)
                    .isInstanceOf(TrtcPoolExhaustedException.class).hasMessageContaining("pending-acquire timeout"));
        }
    }

    @Test
    void eachClient_hasItsOwnPoolName_andConnectionsAreRenewedAfterTheirLifeTime() {
        try (TrtcAsyncClient a = builder().maxLifeTime(Duration.ofMillis(300)).build();
                TrtcAsyncClient b = builder().build()) {
            assertThat(a.poolName()).startsWith("trtc-reactive-").isNotEqualTo(b.poolName());
            StepVerifier.create(a.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete().verify(WAIT);
            StepVerifier.create(a.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete().verify(WAIT);
            assertThat(emulator.connectionsOpened()).as("kept alive within its life time").isEqualTo(1);
            StepVerifier.create(Mono.delay(Duration.ofMillis(500))).expectNextCount(1).expectComplete().verify(WAIT);
            StepVerifier.create(a.call("DescribeStreamIngest", ingest)).expectNextCount(1).expectComplete().verify(WAIT);
            assertThat(emulator.connectionsOpened()).as("a new connection after the life time").isEqualTo(2);
        }
    }
}
