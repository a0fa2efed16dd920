package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcTimeoutException;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.reactor.internal.TurnSchedule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The poll loop's timing in virtual time, fed by in-memory Describe answers. */
class PollLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TaskKind<DescribeCloudRecordingResponse> KIND = TaskKind.CLOUD_RECORDING;
    private static final PollOptions OPTIONS = PollOptions.DEFAULTS.withInterval(Duration.ofSeconds(5))
            .withRetries(3, Duration.ofMillis(500), 0);

    private VirtualTimeScheduler time;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** Answers each Describe call with the next scripted status (or error); repeats the last. */
    private Supplier<Mono<DescribeCloudRecordingResponse>> script(Object... answers) {
        Deque<Object> queue = new ArrayDeque<>(List.of(answers));
        return () -> Mono.defer(() -> {
            calls.incrementAndGet();
            Object next = queue.size() > 1 ? queue.poll() : queue.peek();
            if (next instanceof Throwable t) {
                return Mono.error(t);
            }
            return Mono.just(DescribeCloudRecordingResponse.builder().taskId("t").status((String) next)
                    .requestId("r" + calls.get()).build());
        });
    }

    private Flux<TaskUpdate<DescribeCloudRecordingResponse>> loop(Supplier<Mono<DescribeCloudRecordingResponse>> d,
            PollOptions options) {
        return PollLoop.poll("DescribeCloudRecording", "t", d, KIND::statusOf, TaskStatus.gone(KIND.family()),
                KIND.goneCodes(), options.interval(), options, time,
                new TurnSchedule(time, TurnSchedule.DEFAULT_WINDOW));
    }

    private static TrtcServiceException error(String code) {
        return new TrtcServiceException("DescribeCloudRecording", code, "scripted", "req", 200);
    }

    @Test
    void eachStatusOnce_atTheInterval_untilTheTerminalOne() {
        StepVerifier.withVirtualTime(() -> loop(script("Idle", "Idle", "InProgress", "InProgress", "Exited"), OPTIONS),
                        () -> time, Long.MAX_VALUE)
                .assertNext(u -> {
                    assertThat(u.status().value()).isEqualTo("Idle");
                    assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.PENDING);
                    assertThat(u.response()).hasValueSatisfying(r -> assertThat(r.requestId()).isEqualTo("r1"));
                })
                .expectNoEvent(Duration.ofSeconds(10))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .expectNoEvent(Duration.ofSeconds(10))
                .assertNext(u -> assertThat(u.status().isTerminal()).isTrue())
                .expectComplete()
                .verify(WAIT);
        assertThat(calls).hasValue(5);
    }

    @Test
    void transientErrors_areRetriedWithBackoff_othersEndThePoll() {
        StepVerifier.withVirtualTime(() -> loop(script(error("InternalError"),
                                new TrtcClientException("DescribeCloudRecording", "reset", -1, null, null), "Exited"),
                        OPTIONS), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1500)) // 500 ms, then 1 s
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);

        time = VirtualTimeScheduler.create(); // each virtual-time verification disposes its scheduler
        StepVerifier.withVirtualTime(() -> loop(script(error("InvalidParameter.TaskId")), OPTIONS), () -> time,
                        Long.MAX_VALUE)
                .expectErrorSatisfies(e -> assertThat(((TrtcServiceException) e).errorCode())
                        .isEqualTo("InvalidParameter.TaskId"))
                .verify(WAIT);
    }

    @Test
    void goneAfterBeingSeen_endsAsFinished_butGoneAtFirstIsAnError() {
        StepVerifier.withVirtualTime(() -> loop(script("InProgress", error("ResourceNotFound")), OPTIONS), () -> time,
                        Long.MAX_VALUE)
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("InProgress"))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(u -> {
                    assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.GONE);
                    assertThat(u.response()).isEmpty();
                })
                .expectComplete()
                .verify(WAIT);

        time = VirtualTimeScheduler.create(); // each virtual-time verification disposes its scheduler
        StepVerifier.withVirtualTime(() -> loop(script(error("ResourceNotFound")), OPTIONS), () -> time, Long.MAX_VALUE)
                .expectError(TrtcServiceException.class)
                .verify(WAIT);
    }

    @Test
    void unknownStatuses_areKept_andPollingGoesOn() {
        StepVerifier.withVirtualTime(() -> loop(script("abc", "Exited"), OPTIONS), () -> time, Long.MAX_VALUE)
                .assertNext(u -> {
                    assertThat(u.status().value()).isEqualTo("abc");
                    assertThat(u.status().phase()).isEqualTo(TaskStatus.Phase.UNKNOWN);
                })
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(u -> assertThat(u.status().value()).isEqualTo("Exited"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theOverallTimeout_endsAnEndlessPoll() {
        StepVerifier.withVirtualTime(() -> loop(script("InProgress"), OPTIONS.withTimeout(Duration.ofSeconds(30))),
                        () -> time, Long.MAX_VALUE)
                .expectNextCount(1)
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TrtcTimeoutException.class)
                        .hasMessageContaining("poll timeout"))
                .verify(WAIT);
        assertThat(calls).hasValue(6); // at 0, 5, ... 25 s; the deadline at 30 s comes before the poll due then
    }

    @Test
    void cancelling_stopsPollingAtOnce() {
        StepVerifier.withVirtualTime(() -> loop(script("InProgress"), OPTIONS), () -> time, Long.MAX_VALUE)
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(12))
                .thenCancel()
                .verify(WAIT);
        int atCancel = calls.get();
        time.advanceTimeBy(Duration.ofMinutes(5));

        assertThat(atCancel).isEqualTo(3);
        assertThat(calls).hasValue(atCancel);
    }
}
