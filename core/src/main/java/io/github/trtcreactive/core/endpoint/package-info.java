/** TRTC endpoints: the default, international and regional domains, and overrides. */
package io.github.trtcreactive.core.endpoint;
