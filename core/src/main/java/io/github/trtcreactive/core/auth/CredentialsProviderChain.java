package io.github.trtcreactive.core.auth;

import java.util.ArrayList;
import java.util.List;

/** Tries providers in order; when none has credentials, says what each one lacked. */
final class CredentialsProviderChain implements CredentialsProvider {

    private final List<CredentialsProvider> providers;

    CredentialsProviderChain(List<CredentialsProvider> providers) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("a credentials chain needs at least one provider");
        }
        this.providers = List.copyOf(providers);
    }

    @Override
    public Credentials resolveCredentials() {
        // The usual case without an exception per absent source; the reasons are gathered only when
        // every source is absent.
        for (CredentialsProvider provider : providers) {
            java.util.Optional<Credentials> found = provider.findCredentials();
            if (found.isPresent()) {
                return found.get();
            }
        }
        List<String> reasons = new ArrayList<>();
        for (CredentialsProvider provider : providers) {
            try {
                return provider.resolveCredentials();
            } catch (CredentialsNotFoundException e) {
                reasons.add(e.getMessage());
            }
        }
        throw new CredentialsNotFoundException("No TRTC credentials found. Tried, in order: "
                + String.join("; ", reasons)
                + ". Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or pass credentials to the builder.");
    }

    @Override
    public String toString() {
        return "chain " + providers;
    }
}
