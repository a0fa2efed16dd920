/**
 * Benchmarks of trtc-reactive against raw Reactor Netty and the official SDK, run on demand. This
 * module is being built; it holds no benchmark yet.
 */
package io.github.trtcreactive.benchmarks;
