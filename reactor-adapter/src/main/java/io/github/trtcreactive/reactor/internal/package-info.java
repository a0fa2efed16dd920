/** Implementation details of the Reactor client; not part of the public API and may change. */
package io.github.trtcreactive.reactor.internal;
