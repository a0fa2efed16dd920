package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.core.catalog.TaskFamily;
import java.util.Objects;

/**
 * A task's status as its family's Describe action reports it: the raw value, always kept, and what
 * it means in the task's life. Values a family does not document (the published examples contain
 * placeholders such as {@code "abc"}) are kept with phase {@link Phase#UNKNOWN} rather than rejected.
 *
 * @param family the task family
 * @param value the raw status, for example {@code InProgress}; {@code "gone"} for {@link #gone}
 * @param phase what the value means
 */
public record TaskStatus(TaskFamily family, String value, Phase phase) {

    /** Where a task is in its life. */
    public enum Phase {
        /** Created, not yet working (Idle, Preparing). */
        PENDING,
        /** Working (InProgress). */
        RUNNING,
        /** Ended or ending (Exited, Stopped, NotExist): the last status a poll reports. */
        FINISHED,
        /** No longer known to the service after it had been seen; reported once, last. */
        GONE,
        /** A value the family does not document. */
        UNKNOWN
    }

    /**
     * Checks the components.
     *
     * @param family the task family
     * @param value the raw status, for example {@code InProgress}; {@code "gone"} for {@link #gone}
     * @param phase what the value means
     * @throws NullPointerException when one is null
     */
    public TaskStatus {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(phase, "phase");
    }

    /**
     * The status of a task the service no longer knows.
     *
     * @param family the task family
     * @return the GONE status
     */
    public static TaskStatus gone(TaskFamily family) {
        return new TaskStatus(family, "gone", Phase.GONE);
    }

    /** {@return whether no later status will follow} */
    public boolean isTerminal() {
        return phase == Phase.FINISHED || phase == Phase.GONE;
    }

    /**
     * Whether the raw value is the given one.
     *
     * @param raw a status value, for example {@code "Exited"}
     * @return whether they are equal
     */
    public boolean is(String raw) {
        return value.equals(raw);
    }
}
