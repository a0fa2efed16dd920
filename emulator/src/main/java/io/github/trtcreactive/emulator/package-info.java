/**
 * The local TRTC endpoint (emulator): a Reactor Netty server that authenticates, rate-limits and
 * emulates the service for examples and tests. This module is being built; it holds no public type yet.
 */
package io.github.trtcreactive.emulator;
