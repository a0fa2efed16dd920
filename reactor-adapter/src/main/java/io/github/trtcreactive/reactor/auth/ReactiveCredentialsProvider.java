package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * A source of credentials that may need I/O to produce them (temporary credentials from a token
 * service, for example). The client asks it once per call; implementations must not block.
 */
@FunctionalInterface
public interface ReactiveCredentialsProvider {

    /** {@return the credentials to sign the next call with} */
    Mono<Credentials> credentials();

    /**
     * Adapts a provider whose I/O is done up front (static, environment, profile file).
     *
     * @param provider the provider
     * @return the same credentials as a Mono, resolved on subscription
     */
    static ReactiveCredentialsProvider of(CredentialsProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return () -> Mono.fromCallable(provider::resolveCredentials);
    }
}
