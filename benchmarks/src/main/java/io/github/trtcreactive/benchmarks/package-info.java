/**
 * Side-by-side measurements of trtc-reactive: JMH benchmarks of signing, serialization and parsing
 * against the official SDK's paths ({@link io.github.trtcreactive.benchmarks.CodecBenchmark}), load
 * runs against raw Reactor Netty and the official SDK ({@link io.github.trtcreactive.benchmarks.LoadClient}),
 * the limiter's accuracy and the cost of many pollers. {@link io.github.trtcreactive.benchmarks.BenchmarkMain}
 * runs everything and writes {@code benchmarks/results/}.
 */
package io.github.trtcreactive.benchmarks;
