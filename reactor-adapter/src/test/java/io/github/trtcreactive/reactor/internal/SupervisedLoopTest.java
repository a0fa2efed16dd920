package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The supervised loop on a virtual clock: restarts with a bounded, jittered backoff, logs an outage once. */
class SupervisedLoopTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final List<BackgroundStatus> told = new CopyOnWriteArrayList<>();

    private SupervisedLoop loop(AtomicBoolean finished) {
        return new SupervisedLoop("test-loop", () -> Flux.defer(() -> {
            runs.incrementAndGet();
            return failing.get() ? Flux.<Integer>error(new IOException("secret=abc")) : Flux.<Integer>never();
        }), finished::get, time, told::add);
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }

    @Test
    void pause_whenRestartsGrow_doublesFrom100msTo30s_jitteredByUpToHalf() {
        for (int i = 0; i < 200; i++) {
            assertThat(SupervisedLoop.pause(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
            assertThat(SupervisedLoop.pause(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(1200));
            assertThat(SupervisedLoop.pause(40)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }

    @Test
    void start_whenTheBodyKeepsFailing_restartsWithBackoff_warnsOnce_andRecovers() {
        SupervisedLoop loop = loop(new AtomicBoolean());
        String log = StandardError.during(() -> {
            loop.start();
            assertThat(runs).hasValue(1);
            assertThat(loop.status().state()).isEqualTo(State.RESTARTING);
            time.advanceTimeBy(Duration.ofMillis(49));
            assertThat(runs).as("no restart before the least pause").hasValue(1);
            time.advanceTimeBy(Duration.ofMinutes(10));
            // Pauses double to 30 s (at least 15 s with jitter): ten minutes hold few restarts.
            assertThat(runs.get()).isBetween(10, 60);
            assertThat(loop.status().restarts()).isEqualTo(runs.get());
            assertThat(told).hasSize(runs.get()).allSatisfy(s -> assertThat(s.state()).isEqualTo(State.RESTARTING));

            failing.set(false);
            time.advanceTimeBy(Duration.ofSeconds(31));
            assertThat(loop.status().state()).as("still running, recovered only after lasting").isIn(State.RESTARTING,
                    State.UP);
            time.advanceTimeBy(SupervisedLoop.STABLE);
            assertThat(loop.status().state()).isEqualTo(State.UP);
        });
        assertThat(count(log, "WARN")).as("one WARN for the outage").isEqualTo(1);
        assertThat(count(log, "background loop test-loop stopped (")).isEqualTo(1);
        assertThat(count(log, "INFO")).as("one INFO when recovered").isEqualTo(1);
        BackgroundStatus status = loop.status();
        assertThat(status.lastError()).contains(IOException.class.getName());
        assertThat(status.toString()).doesNotContain("secret");

        // A second outage is a new WARN, and the backoff starts over from 100 ms.
        failing.set(true);
        int before = runs.get();
        loop.stop();
        assertThat(loop.status().state()).isEqualTo(State.STOPPED);
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(runs).as("stopped: no restart").hasValue(before);
    }

    @Test
    void aBodyThatEnds_isRestarted_andRecoversAtItsFirstElement() {
        Sinks.Many<Integer> second = Sinks.many().multicast().directBestEffort();
        AtomicInteger subscriptions = new AtomicInteger();
        SupervisedLoop loop = new SupervisedLoop("ending", () -> subscriptions.incrementAndGet() == 1
                ? Flux.just(1) : second.asFlux(), () -> false, time, s -> { });
        String log = StandardError.during(() -> {
            loop.start();
            assertThat(loop.status().state()).isEqualTo(State.RESTARTING);
            assertThat(loop.status().lastError()).contains("ended");
            time.advanceTimeBy(Duration.ofMillis(150));
            assertThat(subscriptions).hasValue(2);
            second.tryEmitNext(2);
            assertThat(loop.status().state()).isEqualTo(State.UP);
        });
        assertThat(count(log, "WARN")).isEqualTo(1);
        assertThat(count(log, "background loop ending runs again")).isEqualTo(1);
        loop.stop();
    }

    @Test
    void anEnd_whenTheOwnerIsDone_stopsQuietly() {
        AtomicBoolean finished = new AtomicBoolean(true);
        SupervisedLoop loop = loop(finished);
        String log = StandardError.during(() -> {
            loop.start();
            time.advanceTimeBy(Duration.ofMinutes(1));
        });
        assertThat(runs).hasValue(1);
        assertThat(loop.status().state()).isEqualTo(State.STOPPED);
        assertThat(loop.status().restarts()).isZero();
        assertThat(count(log, "WARN")).isZero();
    }

    @Test
    void status_beforeStart_isIdle_andStartAfterStop_doesNothing() {
        SupervisedLoop loop = loop(new AtomicBoolean());
        assertThat(loop.status()).isEqualTo(new BackgroundStatus("test-loop", State.IDLE, 0, Optional.empty()));
        assertThat(loop.status().healthy()).isTrue();
        loop.stop();
        loop.start();
        assertThat(runs).hasValue(0);
        assertThat(loop.status().describe()).isEqualTo("stopped, 0 restarts");
    }
}
