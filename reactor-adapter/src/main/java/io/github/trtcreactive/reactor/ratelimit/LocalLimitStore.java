package io.github.trtcreactive.reactor.ratelimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The in-process store: one virtual-scheduling schedule per key, in memory, timed by
 * {@link System#nanoTime()}. The limiter does not consult it (its own lanes already count the
 * process); it is the reference behaviour of {@link LimitStore#reserve}, shared by nothing.
 */
final class LocalLimitStore implements LimitStore {

    static final LocalLimitStore INSTANCE = new LocalLimitStore();

    private final Map<LimitKey, long[]> schedules = new HashMap<>();

    private LocalLimitStore() {}

    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public Mono<Reservation> reserve(LimitKey key, LimitSchedule schedule, Duration maxWait, Duration holdOff) {
        return Mono.fromSupplier(() -> {
            long now = System.nanoTime();
            long interval = schedule.interval().toNanos();
            synchronized (schedules) {
                long[] tat = schedules.computeIfAbsent(key, k -> new long[] {now});
                long base = Math.max(tat[0], now + holdOff.toNanos());
                long wait = Math.max(0, base - (schedule.burst() - 1) * interval - now);
                if (wait > maxWait.toNanos()) {
                    return null;
                }
                tat[0] = base + interval;
                return new Reservation(key, schedule, Duration.ofNanos(wait), tat[0]);
            }
        });
    }

    @Override
    public Mono<Void> release(Reservation reservation) {
        return Mono.fromRunnable(() -> {
            synchronized (schedules) {
                long[] tat = schedules.get(reservation.key());
                // Only the latest reservation can be taken back without moving others.
                if (tat != null && tat[0] == reservation.token()) {
                    tat[0] -= reservation.schedule().interval().toNanos();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "LimitStore.local()";
    }
}
