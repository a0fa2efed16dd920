/**
 * TRTC's event callbacks without Reactor: the {@code Sign} signature over the raw body
 * ({@link io.github.trtcreactive.core.callback.CallbackSignature}), the documented groups and types,
 * and the parsed event with its family's typed details
 * ({@link io.github.trtcreactive.core.callback.CallbackEvent}).
 */
package io.github.trtcreactive.core.callback;
