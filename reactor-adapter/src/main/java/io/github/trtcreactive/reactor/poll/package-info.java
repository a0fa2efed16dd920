/**
 * Task pollers: {@link io.github.trtcreactive.reactor.poll.TaskPollers} turns the Describe actions
 * of task families into live {@code Flux}es of {@link io.github.trtcreactive.reactor.poll.TaskUpdate}.
 */
package io.github.trtcreactive.reactor.poll;
