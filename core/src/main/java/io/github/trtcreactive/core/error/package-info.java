/**
 * The error types: {@link io.github.trtcreactive.core.error.TrtcException} is the unchecked root;
 * service errors, client-side failures, timeouts and validation failures are its subclasses.
 */
package io.github.trtcreactive.core.error;
