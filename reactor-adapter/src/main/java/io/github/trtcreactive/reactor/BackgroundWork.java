package io.github.trtcreactive.reactor;

import java.util.List;

/**
 * An SDK object that keeps loops running in the background (a callback receiver with a relay,
 * pollers that follow callbacks), and tells how they are doing: for a health check or a dashboard.
 */
public interface BackgroundWork {

    /**
     * The status of each background loop, at this moment.
     *
     * @return one status per loop (empty when there is none), in a fixed order
     */
    List<BackgroundStatus> backgroundHealth();
}
