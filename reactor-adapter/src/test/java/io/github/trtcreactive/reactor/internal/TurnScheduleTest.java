package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.testing.Races;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The schedule of turns in virtual time: fairness, urgency, spreading, the window and cancellation. */
class TurnScheduleTest {

    private VirtualTimeScheduler time;
    private final List<Disposable> followers = new ArrayList<>();
    /** Per follower, the virtual seconds of its turns. */
    private final Map<Integer, List<Double>> turns = new ConcurrentHashMap<>();

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        followers.forEach(Disposable::dispose);
        time.dispose();
    }

    /** A follower that takes a turn forever; each turn records its time and lasts {@code work}. */
    private TurnSchedule.Ticket follow(TurnSchedule schedule, int id, Duration interval, Duration work) {
        TurnSchedule.Ticket ticket = schedule.join(interval);
        Mono<Long> poll = Mono.defer(() -> {
            turns.computeIfAbsent(id, k -> new ArrayList<>()).add(seconds());
            return Mono.delay(work, time);
        });
        followers.add(ticket.next(poll).repeat().doFinally(s -> ticket.dispose()).subscribe());
        return ticket;
    }

    private double seconds() {
        return time.now(TimeUnit.MILLISECONDS) / 1000.0;
    }

    private static List<Double> gaps(List<Double> times) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    void followersSharingATooSmallBudget_takeTurnsRoundRobin_eachEveryNOverBSeconds() {
        // One turn at a time lasting 100 ms: a budget of 10 polls a second for 100 followers that
        // would each like one a second. Each should come round every 100 / 10 = 10 s.
        TurnSchedule schedule = new TurnSchedule(time, 1);
        for (int i = 0; i < 100; i++) {
            follow(schedule, i, Duration.ofSeconds(1), Duration.ofMillis(100));
        }
        time.advanceTimeBy(Duration.ofSeconds(60));

        assertThat(turns).hasSize(100);
        for (List<Double> t : turns.values()) {
            assertThat(t).hasSizeBetween(5, 7);
            assertThat(gaps(t)).allSatisfy(g -> assertThat(g).isBetween(9.9, 10.1));
        }
        assertThat(schedule.waiting()).isEqualTo(99);
        assertThat(schedule.running()).isEqualTo(1);
    }

    @Test
    void anUrgentFollower_comesBeforeSteadyOnes_whichKeepAQuarterOfTheTurns() {
        TurnSchedule schedule = new TurnSchedule(time, 1);
        for (int i = 0; i < 50; i++) {
            follow(schedule, i, Duration.ofSeconds(1), Duration.ofMillis(100)).urgent(false);
        }
        time.advanceTimeBy(Duration.ofSeconds(20)); // the first turns (urgent: first polls) are over
        turns.clear();
        TurnSchedule.Ticket hot = follow(schedule, 999, Duration.ofSeconds(1), Duration.ofMillis(100));
        time.advanceTimeBy(Duration.ofSeconds(30));

        // The urgent follower is polled at its own interval, not once per 50 / 10 = 5 s.
        List<Double> hotTurns = turns.get(999);
        assertThat(hotTurns).hasSizeBetween(28, 31);
        assertThat(gaps(hotTurns)).allSatisfy(g -> assertThat(g).isLessThanOrEqualTo(1.2));
        int steady = turns.entrySet().stream().filter(e -> e.getKey() != 999).mapToInt(e -> e.getValue().size()).sum();
        assertThat(steady).isBetween(265, 275); // 300 turns in 30 s, 30 of them the urgent one's

        // Many urgent followers cannot take every turn: steady ones keep a quarter.
        turns.clear();
        for (int i = 1000; i < 1040; i++) {
            follow(schedule, i, Duration.ofSeconds(1), Duration.ofMillis(100));
        }
        time.advanceTimeBy(Duration.ofSeconds(30));
        int steadyNow = turns.entrySet().stream().filter(e -> e.getKey() < 999).mapToInt(e -> e.getValue().size())
                .sum();
        assertThat(steadyNow).isBetween(70, 80);
        hot.urgent(false);
    }

    @Test
    void followersStartedTogether_areSpreadEvenlyOverTheirInterval_afterTheirFirstTurns() {
        TurnSchedule schedule = new TurnSchedule(time, 8);
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TurnSchedule.Ticket ticket = schedule.join(Duration.ofSeconds(5));
            Mono<Long> poll = Mono.defer(() -> {
                synchronized (all) {
                    all.add(seconds());
                }
                ticket.urgent(false);
                return Mono.just(1L);
            });
            followers.add(ticket.next(poll).repeat().subscribe());
        }
        time.advanceTimeBy(Duration.ofSeconds(60));

        assertThat(all.subList(0, 10)).allSatisfy(t -> assertThat(t).isZero()); // first polls at once
        List<Double> later = all.subList(10, all.size());
        // From the second round on, one poll every 5 s / 10 = 0.5 s, never a burst.
        assertThat(gaps(later)).allSatisfy(g -> assertThat(g).isBetween(0.499, 0.501));
        assertThat(later).hasSizeBetween(108, 111);
    }

    @Test
    void theWindowBoundsRunningTurns_andCancellingAWaitingOrRunningTurnFreesIt() {
        TurnSchedule schedule = new TurnSchedule(time, 2);
        Sinks.Empty<Void> forever = Sinks.empty();
        AtomicInteger started = new AtomicInteger();
        List<Disposable> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TurnSchedule.Ticket ticket = schedule.join(Duration.ofSeconds(1));
            calls.add(ticket.next(Mono.defer(() -> {
                started.incrementAndGet();
                return forever.asMono();
            })).subscribe());
        }
        assertThat(started).hasValue(2);
        assertThat(schedule.running()).isEqualTo(2);
        assertThat(schedule.waiting()).isEqualTo(3);

        calls.get(4).dispose(); // waiting: removed, starts nothing
        assertThat(schedule.waiting()).isEqualTo(2);
        assertThat(started).hasValue(2);

        calls.get(0).dispose(); // running: its place goes to the next waiting turn
        assertThat(started).hasValue(3);
        assertThat(schedule.running()).isEqualTo(2);
        assertThat(schedule.waiting()).isEqualTo(1);
        calls.forEach(Disposable::dispose);
        assertThat(schedule.running()).isZero();
        assertThat(schedule.waiting()).isZero();
    }

    @Test
    void aRetryIsAnUrgentTurnAfterItsDelay_andADisposedTicketNoLongerCountsInTheSpread() {
        TurnSchedule schedule = new TurnSchedule(time, 1);
        TurnSchedule.Ticket ticket = schedule.join(Duration.ofSeconds(10));
        List<Double> at = new ArrayList<>();
        ticket.next(Mono.fromRunnable(() -> at.add(seconds()))).subscribe();
        ticket.after(Duration.ofMillis(700), Mono.fromRunnable(() -> at.add(seconds()))).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(at).containsExactly(0.0, 0.7);
        assertThat(schedule.followers()).isEqualTo(1);
        ticket.dispose();
        ticket.dispose();
        assertThat(schedule.followers()).isZero();
    }

    @Test
    void aTurnCancelledBeforeItIsQueued_neverTakesASlotOfTheWindow() {
        TurnSchedule schedule = new TurnSchedule(time, 2);
        TurnSchedule.Ticket ticket = schedule.join(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            BaseSubscriber<Long> cancelledFirst = new BaseSubscriber<>() { };
            cancelledFirst.cancel(); // a poller's timeout or close() before the subscription reached the queue
            ticket.after(Duration.ZERO, Mono.just(1L)).subscribe(cancelledFirst);
        }
        assertThat(schedule.running()).as("slots held by turns nobody waits for").isZero();
        StepVerifier.create(ticket.after(Duration.ZERO, Mono.just(7L))).expectNext(7L).expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void cancelRacingGrant_andResubscribe_neverLoseASlot() {
        TurnSchedule schedule = new TurnSchedule(Schedulers.parallel(), 2);
        TurnSchedule.Ticket ticket = schedule.join(Duration.ofMillis(1));
        for (int i = 0; i < 4000; i++) {
            AtomicReference<Disposable> first = new AtomicReference<>();
            Races.race(
                    () -> first.set(ticket.after(Duration.ZERO, Mono.just(1L)).subscribe()),
                    () -> {
                        Disposable d = first.get();
                        if (d != null) {
                            d.dispose();
                        }
                    },
                    () -> ticket.after(Duration.ZERO, Mono.<Long>never()).subscribe().dispose());
            Disposable d = first.get();
            if (d != null) {
                d.dispose();
            }
        }
        StepVerifier.create(ticket.after(Duration.ZERO, Mono.just(7L))).expectNext(7L).expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(schedule.running()).isZero();
    }

    @Test
    void close_failsEveryWaitingTurn_andEachLaterOne_whileRunningTurnsKeepTheirPlaces() {
        TurnSchedule schedule = new TurnSchedule(time, 1);
        TurnSchedule.Ticket ticket = schedule.join(Duration.ofSeconds(1));
        Disposable running = ticket.after(Duration.ZERO, Mono.never()).subscribe();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            ticket.after(Duration.ZERO, Mono.just(1)).subscribe(v -> { }, errors::add);
        }
        TrtcClientClosedException closed = new TrtcClientClosedException("poll");
        schedule.close(closed);
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).isSameAs(closed));
        assertThat(schedule.waiting()).isZero();
        assertThat(schedule.running()).isEqualTo(1);
        StepVerifier.create(ticket.after(Duration.ZERO, Mono.just(1))).expectErrorSatisfies(e -> assertThat(e)
                .isSameAs(closed)).verify(Duration.ofSeconds(5));
        running.dispose();
        assertThat(schedule.running()).isZero();
    }

    @Test
    void cancelRacingClose_andGrantRacingClose_leaveNoTurnHanging_norASlotTaken() {
        TrtcClientClosedException closed = new TrtcClientClosedException("poll");
        for (int i = 0; i < 4000; i++) {
            TurnSchedule schedule = new TurnSchedule(Schedulers.parallel(), 1);
            TurnSchedule.Ticket ticket = schedule.join(Duration.ofMillis(1));
            Disposable holder = ticket.after(Duration.ZERO, Mono.never()).subscribe();
            AtomicInteger started = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Disposable waiter = ticket.after(Duration.ZERO, Mono.defer(() -> {
                started.incrementAndGet();
                return Mono.never();
            })).subscribe(v -> { }, errors::add);
            if (i % 2 == 0) {
                Races.race(waiter::dispose, () -> schedule.close(closed)); // cancel x close
                assertThat(started).hasValue(0);
                assertThat(errors).hasSizeLessThanOrEqualTo(1);
            } else {
                Races.race(holder::dispose, () -> schedule.close(closed)); // grant x close
                assertThat(started.get() + errors.size()).as("started or failed, once").isEqualTo(1);
            }
            assertThat(errors).allSatisfy(e -> assertThat(e).isSameAs(closed));
            holder.dispose();
            waiter.dispose();
            assertThat(schedule.waiting()).isZero();
            assertThat(schedule.running()).as("slots held after every turn ended").isZero();
            StepVerifier.create(ticket.after(Duration.ZERO, Mono.just(1))).expectErrorSatisfies(e -> assertThat(e)
                    .isSameAs(closed)).verify(Duration.ofSeconds(5));
        }
    }
}
