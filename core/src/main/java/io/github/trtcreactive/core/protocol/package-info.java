/** The JSON envelope of TRTC requests and replies, and its mapping to the error types. */
package io.github.trtcreactive.core.protocol;
