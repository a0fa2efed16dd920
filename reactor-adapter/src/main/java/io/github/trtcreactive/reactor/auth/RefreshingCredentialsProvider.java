package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Temporary credentials kept fresh: fetched on first use, reused until {@code refreshAhead} before
 * they expire, then fetched again. Concurrent callers share one fetch; a failed fetch is not kept,
 * so the next call tries again. Nothing blocks: the fetch is a Mono you supply (a call to your token
 * service).
 */
public final class RefreshingCredentialsProvider implements ReactiveCredentialsProvider {

    private final Mono<Credentials> cached;

    private RefreshingCredentialsProvider(Mono<ExpiringCredentials> fetch, Duration refreshAhead, Clock clock) {
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(refreshAhead, "refreshAhead");
        Objects.requireNonNull(clock, "clock");
        this.cached = fetch
                .cacheInvalidateIf(c -> !clock.instant().isBefore(c.expiresAt().minus(refreshAhead)))
                .map(ExpiringCredentials::credentials);
    }

    /**
     * Credentials from a fetch, refreshed five minutes before they expire.
     *
     * @param fetch yields fresh temporary credentials on each subscription
     * @return the provider
     */
    public static RefreshingCredentialsProvider create(Mono<ExpiringCredentials> fetch) {
        return new RefreshingCredentialsProvider(fetch, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /**
     * Credentials from a fetch, with the refresh margin and clock given.
     *
     * @param fetch yields fresh temporary credentials on each subscription
     * @param refreshAhead how long before expiry to fetch new ones
     * @param clock the clock that decides
     * @return the provider
     */
    public static RefreshingCredentialsProvider create(Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Clock clock) {
        return new RefreshingCredentialsProvider(fetch, refreshAhead, clock);
    }

    @Override
    public Mono<Credentials> credentials() {
        return cached;
    }

    @Override
    public String toString() {
        return "RefreshingCredentialsProvider";
    }
}
