/** Credentials and the providers that find them: static, environment, profile file and a chain. */
package io.github.trtcreactive.core.auth;
