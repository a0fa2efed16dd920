/** The TC3-HMAC-SHA256 request signature, as pure functions of the bytes sent. */
package io.github.trtcreactive.core.signer;
