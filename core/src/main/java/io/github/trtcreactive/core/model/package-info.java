/**
 * The API model: one immutable class per request, response and structure, generated from the spec
 * (under {@code src/generated/java}), and the few hand-written interfaces they implement.
 */
package io.github.trtcreactive.core.model;
