/**
 * The rate limiter: {@link io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter} keeps calls inside
 * TRTC's per-action limits with timers, never by blocking a thread.
 */
package io.github.trtcreactive.reactor.ratelimit;
