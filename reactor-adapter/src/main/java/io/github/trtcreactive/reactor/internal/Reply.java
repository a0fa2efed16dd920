package io.github.trtcreactive.reactor.internal;

/**
 * One HTTP reply: its status and complete body.
 *
 * @param status the HTTP status code
 * @param body the body bytes, decompressed
 */
public record Reply(int status, byte[] body) {}
