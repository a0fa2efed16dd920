package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One emulated long-running task. It ends when stopped, when its own lifetime runs out, or when its
 * room has stayed empty longer than its idle timeout; it stays visible for a grace period after
 * ending, then is gone. State is settled lazily, from the clock, whenever it is read or its room changes.
 */
abstract class Task {

    final String id;
    final EmulatedRooms.Ref room;
    final Instant started;
    final Duration idleTimeout;
    /** How long an ended task stays visible (for example recording's Exited) before it is gone. */
    final Duration grace;
    ObjectNode params;
    /** When the task ends by itself whatever its room does, or null. */
    Instant deadline;
    Instant endedAt;
    /** Why it ended, once it has. */
    EndCause endCause;
    /** The UserId of the robot the task puts in its room, or null. */
    String robotUserId;

    Task(String id, EmulatedRooms.Ref room, Instant started, Duration idleTimeout, Duration grace, ObjectNode params) {
        this.id = id;
        this.room = room;
        this.started = started;
        this.idleTimeout = idleTimeout;
        this.grace = grace;
        this.params = params;
    }

    final void settle(EmulatorState state) {
        if (endedAt != null) {
            return;
        }
        Instant now = state.now();
        Instant end = deadline;
        EndCause cause = EndCause.DEADLINE;
        if (idleTimeout != null && room != null) {
            Instant empty = state.rooms.emptySince(room, started);
            if (empty != null) {
                Instant idleEnd = empty.plus(idleTimeout);
                if (end == null || idleEnd.isBefore(end)) {
                    end = idleEnd;
                    cause = EndCause.IDLE;
                }
            }
        }
        if (end != null && !now.isBefore(end)) {
            endedAt = end;
            endCause = cause;
        }
    }

    final void stop(Instant now) {
        if (endedAt == null) {
            endedAt = now;
            endCause = EndCause.STOPPED;
        }
    }

    /** Why a task ended. */
    enum EndCause {
        /** By its Stop or Delete action. */
        STOPPED,
        /** Its room stayed empty for its idle timeout. */
        IDLE,
        /** Its own lifetime ran out (a stream played to its end, a maximum duration). */
        DEADLINE
    }

    final boolean isRunning() {
        return endedAt == null;
    }

    final boolean isGone(Instant now) {
        return endedAt != null && !now.isBefore(endedAt.plus(grace));
    }

    /** Seconds since start, for the phase of a starting task. */
    final long age(Instant now) {
        return Duration.between(started, now).getSeconds();
    }
}
