/** The action catalogue: each action's rate limit, documenting sites, task family and role. */
package io.github.trtcreactive.core.catalog;
