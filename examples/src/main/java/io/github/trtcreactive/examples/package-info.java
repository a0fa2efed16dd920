/**
 * Runnable programs for each kind of user (quickstart, moderation bot, live dashboard). This module
 * is being built; it holds no program yet.
 */
package io.github.trtcreactive.examples;
