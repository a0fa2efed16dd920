/**
 * The observation SPI: {@link io.github.trtcreactive.reactor.observe.CallObserver} sees each logical
 * call from subscription to end (permit wait, attempts, retries, outcome, request id, the caller's
 * Context), for metrics and tracing without a dependency of this module on any of them.
 */
package io.github.trtcreactive.reactor.observe;
