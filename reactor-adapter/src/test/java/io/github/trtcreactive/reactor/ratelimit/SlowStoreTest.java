package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A slow store is not a lost one, in virtual time: a late answer on a connected store is waited for
 * (a fallback would spend a local share the shared schedule never sees); answers missed repeatedly,
 * or a store that says it is not connected, make the limiter count alone; and a process that never
 * had a turn waits a window before it counts alone, rather than burst.
 */
class SlowStoreTest {

    private static final String KEY = "AKIDslow";
    private static final long MS = 1_000_000L;
    /** One second plus the 40 ms fleet margin: the window the limiter pauses for at a switch. */
    private static final long WINDOW = 1040 * MS;

    private VirtualTimeScheduler time;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** A store on the virtual clock whose answers take {@code answerIn}; {@code silent}: none ever comes. */
    private final class SlowStore implements LimitStore {
        volatile Duration answerIn = Duration.ZERO;
        volatile boolean silent;
        volatile boolean connected = true;
        final AtomicInteger asked = new AtomicInteger();
        long tat;

        @Override
        public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
            asked.incrementAndGet();
            if (silent) {
                return Mono.never();
            }
            // Slow as a busy Redis is: the script runs late, and its answer comes at once.
            return Mono.delay(answerIn, time).map(t -> reserveNow(key, schedule, holdOff));
        }

        private synchronized Reservation reserveNow(LimitKey key, LimitSchedule schedule, Duration holdOff) {
            long now = time.now(TimeUnit.NANOSECONDS);
            long base = Math.max(tat, now + holdOff.toNanos());
            tat = base + schedule.interval().toNanos();
            return new Reservation(key, schedule, Duration.ofNanos(base - now), tat);
        }

        @Override
        public Mono<Void> release(Reservation reservation) {
            return Mono.empty();
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public int fleetSize(String account) {
            return 4;
        }
    }

    private TrtcRateLimiter limiter(SlowStore store) {
        return TrtcRateLimiter.builder().scheduler(time).store(store).listener(new RateLimitListener() {
            @Override
            public void onStoreUnavailable(Throwable cause) {
                heard.add("unavailable " + cause.getClass().getSimpleName());
            }

            @Override
            public void onStoreRestored() {
                heard.add("restored");
            }
        }).build();
    }

    private List<Long> fire(TrtcRateLimiter limiter, int n) {
        List<Long> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            limiter.limit(KEY, "DescribeRoomInfo", Mono.fromRunnable(() -> sent.add(time.now(TimeUnit.NANOSECONDS))))
                    .subscribe(v -> { }, e -> sent.add(-1L));
        }
        return sent;
    }

    @Test
    void anAnswerPastTheStoreTimeout_onAConnectedStore_isWaitedFor_andItsTurnTaken() {
        SlowStore store = new SlowStore();
        store.answerIn = Duration.ofMillis(600); // past the 250 ms store timeout, within four times it
        TrtcRateLimiter limiter = limiter(store);

        List<Long> sent = fire(limiter, 3);
        time.advanceTimeBy(Duration.ofSeconds(3));

        long interval = WINDOW / 20;
        assertThat(heard).as("no fallback for a slow answer").isEmpty();
        assertThat(store.asked).as("one reservation per call, none asked again").hasValue(3);
        assertThat(sent).containsExactly(600 * MS, 600 * MS + interval, 600 * MS + 2 * interval);
    }

    @Test
    void anAnswerThatNeverComes_isAskedForAgain_andOnlyRepeatedMissesMakeAnOutage() {
        SlowStore store = new SlowStore();
        store.silent = true;
        TrtcRateLimiter limiter = limiter(store);

        List<Long> sent = fire(limiter, 1);
        time.advanceTimeBy(Duration.ofMillis(2999));
        assertThat(heard).as("two answers missed: still a slow store").isEmpty();
        assertThat(store.asked).hasValue(3);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(heard).as("the third miss within 10 s").containsExactly("unavailable TimeoutException");

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(sent).as("the call then counted alone, a window after its first ask (it never had a turn)")
                .containsExactly(WINDOW + 3000 * MS);
    }

    @Test
    void aStoreThatIsNotConnected_isLeftAtTheStoreTimeout() {
        SlowStore store = new SlowStore();
        store.silent = true;
        store.connected = false;
        TrtcRateLimiter limiter = limiter(store);

        List<Long> sent = fire(limiter, 1);
        time.advanceTimeBy(Duration.ofMillis(250));

        assertThat(heard).containsExactly("unavailable TimeoutException");
        assertThat(store.asked).hasValue(1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(sent).as("a cold process waits a window rather than burst its share").containsExactly(
                250 * MS + WINDOW);
    }

    @Test
    void aConnectionLostWhileWaiting_endsTheWaitAtTheStoreTimeout() {
        SlowStore store = new SlowStore();
        store.answerIn = Duration.ofMillis(600);
        TrtcRateLimiter limiter = limiter(store);

        fire(limiter, 1);
        time.advanceTimeBy(Duration.ofMillis(100));
        store.connected = false;
        time.advanceTimeBy(Duration.ofMillis(150));

        assertThat(heard).containsExactly("unavailable TimeoutException");
    }

    @Test
    void aLateAnswerIsWaitedFor_onlyWithinTheCallsPermitWait_andTheEndOfThatWaitSaysNothingOfTheStore() {
        SlowStore store = new SlowStore();
        store.answerIn = Duration.ofMillis(900);
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).store(store)
                .maxWait(Duration.ofMillis(500)).listener(new RateLimitListener() {
                    @Override
                    public void onStoreUnavailable(Throwable cause) {
                        heard.add("unavailable");
                    }
                }).build();
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        limiter.limit(KEY, "DescribeRoomInfo", Mono.just(1)).subscribe(v -> { }, errors::add);
        time.advanceTimeBy(Duration.ofMillis(499));
        assertThat(errors).isEmpty();
        time.advanceTimeBy(Duration.ofMillis(2));

        assertThat(errors).as("given up at the call's wait, not at the 1 s bound").singleElement()
                .isInstanceOf(TrtcRateLimitException.class).extracting(Throwable::getMessage).asString()
                .contains("beyond the maximum wait of 500 ms");
        assertThat(heard).as("no outage: the call's own wait ran out").isEmpty();
    }

    @Test
    void manyCallsCaughtInOneStall_countItOnce_andAskAgain() {
        SlowStore store = new SlowStore();
        store.silent = true;
        TrtcRateLimiter limiter = limiter(store);

        List<Long> sent = fire(limiter, 5);
        time.advanceTimeBy(Duration.ofMillis(999));
        store.silent = false; // the stall ends; the first asks' answers stay lost
        // The local lane lets the five go 52 ms apart: they give up from 1 s to 1.21 s, all on that stall.
        time.advanceTimeBy(Duration.ofMillis(301));
        assertThat(store.asked).as("five asks, each asked again").hasValue(10);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(heard).as("one stall is a slow moment, however many calls it caught").isEmpty();
        assertThat(sent).hasSize(5).doesNotContain(-1L);
    }

    @Test
    void aFirstAskLostInAStall_isAnsweredAtTheSecond() {
        SlowStore store = new SlowStore();
        store.silent = true;
        TrtcRateLimiter limiter = limiter(store);

        List<Long> sent = fire(limiter, 1);
        time.advanceTimeBy(Duration.ofMillis(999));
        store.silent = false; // the stall ends; the first ask's answer stays lost
        time.advanceTimeBy(Duration.ofMillis(1));

        assertThat(sent).containsExactly(1000 * MS);
        assertThat(store.asked).hasValue(2);
        assertThat(heard).isEmpty();
    }
}
