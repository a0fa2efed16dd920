/**
 * Runnable programs for each kind of user: {@link io.github.trtcreactive.examples.Quickstart} (one
 * task, start to end), {@link io.github.trtcreactive.examples.ModerationBot} (thousands of calls
 * inside the rate limits) and {@link io.github.trtcreactive.examples.LiveDashboard} (metrics and task
 * status streamed to a browser). With no credentials in the environment they start an embedded
 * emulator; see {@link io.github.trtcreactive.examples.ExampleEnvironment}.
 */
package io.github.trtcreactive.examples;
