package io.github.trtcreactive.reactor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcRateLimitException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Interactive calls before background ones, background's guaranteed share, and the bounds of each, in virtual time. */
class PriorityLaneTest {

    private static final String KEY = "AKIDpriority";
    private static final String ACTION = "DescribeCloudRecording";
    private static final long MS = 1_000_000L;
    /** The spacing of a 20/s limit with the default 10 ms margin. */
    private static final long SPACING = 1010 * MS / 20;

    private VirtualTimeScheduler time;

    @BeforeEach
    void clock() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        time.dispose();
    }

    /** One granted call: its priority's initial and when it was sent. */
    private record Sent(char kind, long at) {}

    private void fire(TrtcRateLimiter limiter, CallPriority priority, int n, List<Sent> sent, List<Throwable> errors) {
        char kind = priority == CallPriority.INTERACTIVE ? 'I' : 'B';
        for (int i = 0; i < n; i++) {
            limiter.limit(KEY, ACTION, priority, null, permit -> Mono.fromCallable(() -> {
                sent.add(new Sent(kind, time.now(TimeUnit.NANOSECONDS)));
                return 1;
            })).subscribe(v -> { }, errors::add);
        }
    }

    @Test
    void interactiveCalls_goBeforeQueuedBackgroundOnes_whileBackgroundKeepsAQuarter() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        fire(limiter, CallPriority.BACKGROUND, 100, sent, errors);
        time.advanceTimeBy(Duration.ofMillis(100));
        int before = sent.size();
        fire(limiter, CallPriority.INTERACTIVE, 40, sent, errors);
        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(errors).isEmpty();
        assertThat(sent).hasSize(140);
        List<Sent> after = sent.subList(before, sent.size());
        // While both wait, three interactive grants for each background one.
        String order = after.subList(0, 52).stream().map(s -> String.valueOf(s.kind())).reduce("", String::concat);
        assertThat(order).isEqualTo("IIIB".repeat(13));
        long firstInteractive = after.stream().filter(s -> s.kind() == 'I').findFirst().orElseThrow().at();
        assertThat(firstInteractive - 100 * MS).as("the first interactive call waits at most one spacing")
                .isLessThanOrEqualTo(SPACING);
    }

    @Test
    void background_takesTheWholeLimit_whenNothingInteractiveWaits() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        fire(limiter, CallPriority.BACKGROUND, 40, sent, new CopyOnWriteArrayList<>());
        time.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(sent).hasSize(40);
        assertThat(sent.get(39).at()).isEqualTo(39 * SPACING);
    }

    @Test
    void withAShareOfZero_backgroundWaitsUntilNothingInteractiveWaits() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).backgroundShare(0).build();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        fire(limiter, CallPriority.BACKGROUND, 5, sent, new CopyOnWriteArrayList<>());
        fire(limiter, CallPriority.INTERACTIVE, 20, sent, new CopyOnWriteArrayList<>());
        time.advanceTimeBy(Duration.ofSeconds(3));

        String order = sent.stream().map(s -> String.valueOf(s.kind())).reduce("", String::concat);
        assertThat(order).as("the first background call was granted at once, before anything waited")
                .isEqualTo("B" + "I".repeat(20) + "BBBB");
    }

    @Test
    void interactiveCalls_waitAtMostThirtySeconds_backgroundOnesTenMinutes_andACallCanAskForItsOwn() {
        TrtcRateLimiter limiter = TrtcRateLimiter.builder().scheduler(time).build();
        List<Throwable> interactive = new CopyOnWriteArrayList<>();
        List<Throwable> background = new CopyOnWriteArrayList<>();
        fire(limiter, CallPriority.INTERACTIVE, 700, new CopyOnWriteArrayList<>(), interactive);
        fire(limiter, CallPriority.BACKGROUND, 700, new CopyOnWriteArrayList<>(), background);
        List<Throwable> own = new CopyOnWriteArrayList<>();
        limiter.limit(KEY, ACTION, CallPriority.INTERACTIVE, Duration.ofSeconds(1), permit -> Mono.just(1))
                .subscribe(v -> { }, own::add);

        // 30 s at 20 per 1.01 s: about 594 interactive calls fit in the wait, the rest are refused at once.
        assertThat(interactive).hasSizeBetween(100, 110).allSatisfy(e -> assertThat(e)
                .isInstanceOf(TrtcRateLimitException.class).hasMessageContaining("30000 ms for interactive calls"));
        assertThat(background).as("700 background calls fit in ten minutes").isEmpty();
        assertThat(own).singleElement().isInstanceOf(TrtcRateLimitException.class)
                .extracting(Throwable::getMessage).asString().contains("1000 ms");
        time.advanceTimeBy(Duration.ofMinutes(2));
    }
}
