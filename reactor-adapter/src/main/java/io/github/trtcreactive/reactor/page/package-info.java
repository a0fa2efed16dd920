/**
 * Paginators: {@link io.github.trtcreactive.reactor.page.Paginators} turns the paged listings into
 * lazy {@code Flux}es of pages or of items.
 */
package io.github.trtcreactive.reactor.page;
