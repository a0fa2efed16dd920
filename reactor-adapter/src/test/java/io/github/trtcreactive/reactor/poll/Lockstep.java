package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.CallListener;
import io.github.trtcreactive.reactor.ratelimit.RateLimitListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Runs a client in virtual time against the emulator over real sockets: the test moves the virtual
 * clock of the limiter and the pollers and the emulator's clock together, a few milliseconds at a
 * time, and after each step waits (in real time) until every call that got a permit has had its
 * answer. So a request reaches the emulator at the emulated moment its permit was granted, and the
 * emulator's rate windows see what a service would.
 */
final class Lockstep implements RateLimitListener, CallListener {

    private static final long SETTLE_LIMIT = TimeUnit.SECONDS.toNanos(10);

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final TrtcEmulator emulator;
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();

    Lockstep(TrtcEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public void onGranted(String action, Duration waited) {
        granted.incrementAndGet();
    }

    @Override
    public void onAttempt(String action, Duration latency, Throwable error) {
        answered.incrementAndGet();
    }

    /** @return the virtual time, seconds */
    double seconds() {
        return time.now(TimeUnit.MICROSECONDS) / 1e6;
    }

    /**
     * Moves both clocks on by a duration, one step at a time.
     *
     * @param duration how far
     * @param step how far per step
     */
    void run(Duration duration, Duration step) {
        for (long done = 0; done < duration.toNanos(); done += step.toNanos()) {
            emulator.clock().advance(step);
            time.advanceTimeBy(step);
            settle();
        }
    }

    /** Waits until every permitted call has been answered, twice in a row a little apart. */
    void settle() {
        long give = System.nanoTime() + SETTLE_LIMIT;
        int quiet = 0;
        while (quiet < 2) {
            if (granted.get() == answered.get()) {
                quiet++;
                LockSupport.parkNanos(30_000);
            } else {
                quiet = 0;
                LockSupport.parkNanos(20_000);
            }
            if (System.nanoTime() > give) {
                throw new AssertionError("calls still unanswered after 10 s: " + (granted.get() - answered.get()));
            }
        }
    }
}
