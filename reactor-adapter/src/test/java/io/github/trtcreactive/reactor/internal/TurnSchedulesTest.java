package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The schedules of a poller are forgotten once idle, never while used, and never under a joining follower. */
class TurnSchedulesTest {

    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final Duration SWEPT = IDLE.plus(IDLE.dividedBy(4)).plusSeconds(1);

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    @Test
    void aScheduleWithAFollowerOrAWaitingTurn_isKept_andForgottenAnIdleTimeAfterItsLastTurn() {
        TurnSchedules schedules = new TurnSchedules(time, 2, IDLE);
        AtomicInteger polls = new AtomicInteger();
        TurnSchedule.Ticket follower = schedules.join("DescribeA\nAKID1", Duration.ofHours(1));
        Disposable following = follower.next(Mono.fromRunnable(polls::incrementAndGet))
                .then(follower.next(Mono.fromRunnable(polls::incrementAndGet))) // an hour later
                .subscribe();
        assertThat(polls).hasValue(1);

        time.advanceTimeBy(IDLE.multipliedBy(10));
        assertThat(schedules.size()).as("a follower").isEqualTo(1);

        follower.dispose(); // its turn in an hour still waits, on the schedule's timer
        time.advanceTimeBy(IDLE.multipliedBy(10));
        assertThat(schedules.size()).as("a waiting turn").isEqualTo(1);

        following.dispose(); // the waiting turn is given up: nothing is left to wake for
        time.advanceTimeBy(SWEPT);
        assertThat(schedules.size()).isZero();
        assertThat(polls).hasValue(1);
    }

    @Test
    void aScheduleWhoseLastTurnIsRecent_isKept_untilTheIdleTimeHasPassed() {
        TurnSchedules schedules = new TurnSchedules(time, 2, IDLE);
        time.advanceTimeBy(Duration.ofMinutes(5));
        TurnSchedule.Ticket follower = schedules.join("DescribeA\nAKID1", Duration.ofSeconds(10));
        follower.next(Mono.empty()).subscribe();
        follower.dispose();

        time.advanceTimeBy(IDLE.minusSeconds(1));
        assertThat(schedules.size()).isEqualTo(1);
        time.advanceTimeBy(IDLE.dividedBy(4).plusSeconds(1));
        assertThat(schedules.size()).isZero();

        TurnSchedule.Ticket back = schedules.join("DescribeA\nAKID1", Duration.ofSeconds(10));
        assertThat(schedules.size()).as("a follower that comes back gets a new schedule").isEqualTo(1);
        back.dispose();
    }

    @Test
    void aJoinRacingTheSweep_neverLandsInARemovedSchedule() {
        for (int i = 0; i < 5_000; i++) {
            // The immediate scheduler refuses the sweep's timer: the test sweeps, on the wall clock.
            TurnSchedules schedules = new TurnSchedules(Schedulers.immediate(), 2, IDLE);
            schedules.join("DescribeA\nAKID1", Duration.ofSeconds(10)).dispose(); // idle at once: it never gave a turn
            AtomicReference<TurnSchedule.Ticket> joined = new AtomicReference<>();

            Races.race(schedules::sweep, () -> joined.set(schedules.join("DescribeA\nAKID1", Duration.ofSeconds(10))));

            assertThat(schedules.size()).as("the follower's schedule is held (round %d)", i).isEqualTo(1);
            schedules.sweep();
            assertThat(schedules.size()).as("and not forgotten while it has a follower (round %d)", i).isEqualTo(1);
            joined.get().dispose();
            schedules.sweep();
            assertThat(schedules.size()).as("then forgotten (round %d)", i).isZero();
        }
    }
}
