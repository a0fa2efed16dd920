/** Credentials that need I/O: {@link io.github.trtcreactive.reactor.auth.RefreshingCredentialsProvider}. */
package io.github.trtcreactive.reactor.auth;
