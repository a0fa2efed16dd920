package io.github.trtcreactive.reactor.testing;

import java.util.Arrays;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.util.RaceTestUtils;

/**
 * {@link RaceTestUtils#race} on Reactor's non-blocking threads, with BlockHound watching the raced
 * code: the harness's own wait (it yields while the racers gather) is allowed, what each racer runs
 * is not (see {@link RacesBlockHoundIntegration}).
 */
public final class Races {

    private static final Scheduler RACERS = Schedulers.newParallel("race", 4, true);

    private Races() {}

    /**
     * Runs the tasks at the same moment, each on its own non-blocking thread, and waits for all.
     *
     * @param tasks the racers
     */
    public static void race(Runnable... tasks) {
        Runnable[] watched = Arrays.stream(tasks).map(task -> (Runnable) () -> nonBlocking(task))
                .toArray(Runnable[]::new);
        RaceTestUtils.race(10, RACERS, watched);
    }

    /** Where a racer runs: BlockHound refuses blocking calls inside, whatever the harness allows. */
    static void nonBlocking(Runnable task) {
        task.run();
    }
}
