package io.github.trtcreactive.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's clock: task lifecycles, rate windows and signature expiry all read it. It follows
 * a base clock plus an offset that tests move forward with {@link #advance(Duration)}. Give the same
 * clock to the client under test when you move time by more than the 5-minute signature tolerance.
 */
public final class EmulatorClock extends Clock {

    private final Clock base;
    private final java.util.List<Runnable> advanced = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong offsetNanos = new AtomicLong();

    private EmulatorClock(Clock base) {
        this.base = base;
    }

    /** {@return a clock that follows real time until advanced} */
    public static EmulatorClock system() {
        return new EmulatorClock(Clock.systemUTC());
    }

    /**
     * A clock that stands still until advanced.
     *
     * @param start the initial instant
     * @return the clock
     */
    public static EmulatorClock fixed(Instant start) {
        return new EmulatorClock(Clock.fixed(Objects.requireNonNull(start, "start"), ZoneOffset.UTC));
    }

    /**
     * Moves time forward.
     *
     * @param amount a non-negative duration
     */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; amount was " + amount);
        }
        offsetNanos.addAndGet(amount.toNanos());
        advanced.forEach(Runnable::run);
    }

    /** Runs a listener after each move (the callback watcher reports what the move changed at once). */
    void onAdvance(Runnable listener) {
        advanced.add(listener);
    }

    void removeOnAdvance(Runnable listener) {
        advanced.remove(listener);
    }

    @Override
    public Instant instant() {
        return base.instant().plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    long nanos() {
        Instant now = instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
