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
     * The credentials of this source, or empty when it has none: what a chain asks, so that a
     * source that is simply absent (no variables set) costs no exception on every call. By default
     * calls {@link #resolveCredentials()}; sources that can tell cheaply override it.
     *
     * @return the credentials, or empty
     */
    default java.util.Optional<Credentials> findCredentials() {
        try {
            return java.util.Optional.of(resolveCredentials());
        } catch (CredentialsNotFoundException e) {
            return java.util.Optional.empty();
        }
    }

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
     * Reads the same variables as {@link #environment()} from another environment (for tests and
     * embedding).
     *
     * @param environment looks a variable up; null when unset
     * @return the provider
     */
    static CredentialsProvider environment(java.util.function.UnaryOperator<String> environment) {
        return new EnvironmentCredentialsProvider(java.util.Objects.requireNonNull(environment, "environment"));
    }

    /**
     * Reads {@code ~/.tencentcloud/credentials}: the section that {@code TENCENTCLOUD_PROFILE} names,
     * else {@code [default]}.
     *
     * @return the provider
     */
    static CredentialsProvider profileFile() {
        return profileFile(defaultProfileFile(), profileName(System::getenv));
    }

    /**
     * Reads {@code ~/.tencentcloud/credentials}: the section that the given environment's
     * {@code TENCENTCLOUD_PROFILE} names, else {@code [default]}.
     *
     * @param environment looks a variable up; null when unset
     * @return the provider
     */
    static CredentialsProvider profileFile(java.util.function.UnaryOperator<String> environment) {
        return profileFile(defaultProfileFile(), profileName(environment));
    }

    /**
     * Reads one section of a credentials file ({@code secret_id}, {@code secret_key}, optional
     * {@code token}), once, on first use.
     *
     * @param file the file
     * @param profile the section, for example {@code default}
     * @return the provider
     */
    static CredentialsProvider profileFile(Path file, String profile) {
        if (profile == null || profile.isBlank()) {
            throw new IllegalArgumentException("profile must name a section of " + file);
        }
        return new ProfileCredentialsProvider(file, profile.strip());
    }

    /**
     * The default chain: the environment, then the profile file.
     *
     * @return the chain
     */
    static CredentialsProvider defaultChain() {
        return defaultChain(System::getenv);
    }

    /**
     * The default chain over another environment (for tests and embedding): its variables, then the
     * section of {@code ~/.tencentcloud/credentials} that its {@code TENCENTCLOUD_PROFILE} names.
     *
     * @param environment looks a variable up; null when unset
     * @return the chain
     */
    static CredentialsProvider defaultChain(java.util.function.UnaryOperator<String> environment) {
        return new CredentialsProviderChain(List.of(new EnvironmentCredentialsProvider(environment),
                profileFile(defaultProfileFile(), profileName(environment))));
    }

    private static Path defaultProfileFile() {
        return Path.of(System.getProperty("user.home"), ".tencentcloud", "credentials");
    }

    private static String profileName(java.util.function.UnaryOperator<String> environment) {
        String named = environment.apply("TENCENTCLOUD_PROFILE");
        return named == null || named.isBlank() ? "default" : named.strip();
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
