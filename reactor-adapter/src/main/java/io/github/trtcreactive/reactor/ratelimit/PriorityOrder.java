package io.github.trtcreactive.reactor.ratelimit;

import io.github.trtcreactive.reactor.internal.WaiterQueue;
import java.util.ArrayDeque;

/**
 * The order a lane serves its waiting calls in: interactive ones first come first served, background
 * ones after them but with a guaranteed share of the grants (see {@link CallPriority}). Waiters that
 * left the queue stay in the lines until they reach the head and are dropped there. Not thread-safe:
 * the lane's lock guards it.
 *
 * @param <W> the lane's waiter type
 */
final class PriorityOrder<W extends WaiterQueue.Waiter<?>> {

    private final double backgroundShare;
    /** Interactive waiters, first come first served. */
    private final ArrayDeque<W> interactive = new ArrayDeque<>();
    /** Background waiters, first come first served, after interactive ones within their share. */
    private final ArrayDeque<W> background = new ArrayDeque<>();
    /** How many interactive waiters still wait. */
    private int waitingInteractive;
    /**
     * Background's claim while both kinds wait: each such grant adds the share, and background is
     * served when the claim reaches one, so it gets its share of the grants and no more.
     */
    private double backgroundClaim;

    PriorityOrder(double backgroundShare) {
        this.backgroundShare = backgroundShare;
    }

    /** Adds a waiter that has just been queued. */
    void add(W waiter, boolean isBackground) {
        (isBackground ? background : interactive).addLast(waiter);
        if (!isBackground) {
            waitingInteractive++;
        }
    }

    /** A waiter left the queue without a grant (cancelled or failed). */
    void left(boolean isBackground) {
        if (!isBackground) {
            waitingInteractive--;
        }
    }

    /**
     * How many grants a new waiter stands behind, when {@code waiting} wait in all: an interactive
     * one behind the interactive waiters and background's share of the grants; a background one
     * behind every waiter (later interactive arrivals may still pass it).
     */
    int position(boolean isBackground, int waiting) {
        if (isBackground) {
            return waiting + 1;
        }
        if (waiting == waitingInteractive) {
            return waitingInteractive + 1;
        }
        return (int) Math.min(waiting + 1, Math.ceil((waitingInteractive + 1) / (1 - backgroundShare)));
    }

    /**
     * Takes the waiter to serve next: interactive first, except that background is served whenever
     * its claim reaches one while both kinds wait (its guaranteed share), and whenever nothing
     * interactive waits (work-conserving).
     *
     * @return the waiter, or null when none waits
     */
    W next() {
        dropGone();
        if (interactive.isEmpty()) {
            backgroundClaim = 0;
            return background.pollFirst();
        }
        if (!background.isEmpty()) {
            backgroundClaim += backgroundShare;
            if (backgroundClaim >= 1 - 1e-9) {
                backgroundClaim -= 1;
                return background.pollFirst();
            }
        }
        waitingInteractive--;
        return interactive.pollFirst();
    }

    /** Drops the waiters at the heads that no longer wait (cancelled, failed). */
    void dropGone() {
        while (!interactive.isEmpty() && !interactive.peekFirst().isWaiting()) {
            interactive.pollFirst();
        }
        while (!background.isEmpty() && !background.peekFirst().isWaiting()) {
            background.pollFirst();
        }
    }
}
