package io.github.trtcreactive.reactor.ratelimit;

/**
 * Whose call it is, for the limiter's queue. Within each action's lane, interactive calls (the
 * default for calls you make) are granted before background ones (what the SDK does on its own:
 * task pollers, metric streams, stop-on-cancel calls), while background keeps a guaranteed share of
 * the limit under sustained interactive load and takes all of it when nothing interactive waits.
 */
public enum CallPriority {
    /** A call someone waits for, such as a request handler's: served first, with a short permit wait. */
    INTERACTIVE,
    /** Work nobody waits for at once: served after interactive calls, within its share, with long waits. */
    BACKGROUND
}
