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
 * emulator's rate windows see what a service would. The emulator's event callbacks of each step are
 * all answered before the next.
 */
final class Lockstep implements RateLimitListener, CallListener {

    private static final long SETTLE_LIMIT = TimeUnit.SECONDS.toNanos(10);

    final VirtualTimeScheduler time;
    private final TrtcEmulator emulator;
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();

    Lockstep(TrtcEmulator emulator) {
        this(emulator, VirtualTimeScheduler.create());
    }

    Lockstep(TrtcEmulator emulator, VirtualTimeScheduler time) {
        this.emulator = emulator;
        this.time = time;
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
            if (granted.get() == answered.get() && emulator.callbacksPending() == 0) {
                quiet++;
                LockSupport.parkNanos(30_000);
            } else {
                quiet = 0;
                LockSupport.parkNanos(20_000);
            }
            if (System.nanoTime() > give) {
                throw new AssertionError("calls still unanswered after 10 s: " + (granted.get() - answered.get())
                        + ", callbacks pending: " + emulator.callbacksPending());
            }
        }
    }

    /**
     * Starts one cloud recording per room (an anchor in each, so they run), 20 a second, the create
     * action's limit, and moves time on until every one is started and its robot in its room.
     *
     * @param client the client
     * @param rooms how many
     * @return the task ids, by room
     */
    java.util.List<String> record(io.github.trtcreactive.reactor.TrtcAsyncClient client, int rooms) {
        String sig = emulator.userSigs().generate("robot", Duration.ofDays(1));
        java.util.List<String> ids = java.util.Collections.synchronizedList(
                new java.util.ArrayList<>(java.util.Collections.nCopies(rooms, (String) null)));
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        for (int batch = 0; batch * 20 < rooms; batch++) {
            for (int i = batch * 20; i < Math.min(rooms, batch * 20 + 20); i++) {
                int room = i;
                emulator.rooms().join("room-" + room, "anchor");
                client.createCloudRecording(io.github.trtcreactive.core.model.CreateCloudRecordingRequest.builder()
                                .sdkAppId(emulator.sdkAppId()).roomId("room-" + room).roomIdType(0L).userId("robot")
                                .userSig(sig)
                                .recordParams(io.github.trtcreactive.core.model.RecordParams.builder().recordMode(1L)
                                        .maxIdleTime(86_400L).build())
                                .storageParams(io.github.trtcreactive.core.model.StorageParams.builder()
                                        .cloudVod(io.github.trtcreactive.core.model.CloudVod.builder()
                                                .tencentVod(io.github.trtcreactive.core.model.TencentVod.builder()
                                                        .build()).build()).build())
                                .build())
                        .map(io.github.trtcreactive.core.model.CreateCloudRecordingResponse::taskId)
                        .subscribe(id -> {
                            ids.set(room, id);
                            created.incrementAndGet();
                        });
            }
            run(Duration.ofSeconds(1), Duration.ofMillis(5));
        }
        run(Duration.ofSeconds(2), Duration.ofMillis(5)); // the last ones, and every robot in its room
        if (created.get() != rooms) {
            throw new AssertionError("started " + created.get() + " of " + rooms + " recordings");
        }
        return new java.util.ArrayList<>(ids);
    }
}
