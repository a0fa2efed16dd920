/**
 * Reactor-free core of trtc-reactive: credentials, the TC3-HMAC-SHA256 signer, endpoints, the error
 * types, the wire protocol and the action catalogue. Nothing here performs I/O on a request path.
 */
package io.github.trtcreactive.core;
