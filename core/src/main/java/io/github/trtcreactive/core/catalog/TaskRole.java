package io.github.trtcreactive.core.catalog;

/** What an action does to a task of its family. */
public enum TaskRole {
    /** Starts a task and returns its id. */
    START,
    /** Reads a task's status. */
    DESCRIBE,
    /** Changes a running task. */
    UPDATE,
    /** Sends a command to a running task. */
    CONTROL,
    /** Ends a task. */
    STOP;

    /**
     * Whether calling the action twice could do something different from calling it once, so an
     * unknown outcome must not be retried blindly.
     *
     * @return {@code false} only for {@link #DESCRIBE}
     */
    public boolean isMutating() {
        return this != DESCRIBE;
    }
}
