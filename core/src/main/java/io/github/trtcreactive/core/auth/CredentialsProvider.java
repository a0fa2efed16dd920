package io.github.trtcreactive.core.auth;

import java.nio.file.Path;
import java.util.List;

/**
 * A source of {@link Credentials}. Implementations do their I/O once, not per request, so a client
 * may call {@link #resolveCredentials()} for each call.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /**
     * Returns the credentials of this source.
     *
     * @return the credentials
     * @throws CredentialsNotFoundException when this source has none, saying why
     */
    Credentials resolveCredentials();

    /**
     * A provider that always returns the given credentials.
     *
     * @param credentials the credentials
     * @return the provider
     */
    static CredentialsProvider of(Credentials credentials) {
        return new StaticCredentialsProvider(credentials);
    }

    /**
     * Reads {@code TENCENTCLOUD_SECRET_ID}, {@code TENCENTCLOUD_SECRET_KEY} and the optional
     * {@code TENCENTCLOUD_SESSION_TOKEN} from the process environment.
     *
     * @return the provider
     */
    static CredentialsProvider environment() {
        return new EnvironmentCredentialsProvider(System::getenv);
    }

    /**
     * Reads the {@code [default]} section of {@code ~/.tencentcloud/credentials}.
     *
     * @return the provider
     */
    static CredentialsProvider profileFile() {
        return new ProfileCredentialsProvider(
                Path.of(System.getProperty("user.home"), ".tencentcloud", "credentials"), "default");
    }

    /**
     * The default chain: the environment, then the profile file.
     *
     * @return the chain
     */
    static CredentialsProvider defaultChain() {
        return new CredentialsProviderChain(List.of(environment(), profileFile()));
    }

    /**
     * A chain that tries the given providers in order and returns the first credentials found.
     *
     * @param providers the providers, in order
     * @return the chain
     */
    static CredentialsProvider chain(CredentialsProvider... providers) {
        return new CredentialsProviderChain(List.of(providers));
    }
}
