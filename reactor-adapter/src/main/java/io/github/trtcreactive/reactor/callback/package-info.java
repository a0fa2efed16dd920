/**
 * TRTC's event callbacks as a verified, deduplicated, hot {@code Flux}: {@link
 * io.github.trtcreactive.reactor.callback.TrtcCallbacks} receives them (on any HTTP server through
 * {@code accept}, or on Reactor Netty through {@code serve}) and emits {@link
 * io.github.trtcreactive.reactor.callback.TrtcEvent}s.
 */
package io.github.trtcreactive.reactor.callback;
