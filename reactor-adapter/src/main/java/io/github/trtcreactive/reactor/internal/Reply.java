package io.github.trtcreactive.reactor.internal;

/**
 * One HTTP reply: its status, its {@code Date} header and its complete body.
 *
 * @param status the HTTP status code
 * @param date the Date header as sent, or {@code null}
 * @param body the body bytes, decompressed
 */
public record Reply(int status, String date, byte[] body) {}
