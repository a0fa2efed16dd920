/**
 * The Reactor implementation of trtc-reactive: {@link io.github.trtcreactive.reactor.TrtcAsyncClient},
 * built with {@link io.github.trtcreactive.reactor.TrtcAsyncClientBuilder}.
 */
package io.github.trtcreactive.reactor;
