package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Temporary credentials kept fresh without ever making a call wait for a refresh it does not need.
 * The first call fetches them. From {@code refreshAhead} before they expire, calls still get the
 * current credentials at once while one refresh runs in the background; only once they have
 * really expired do calls wait, all for the same fetch. A fetch that fails or outlasts its timeout
 * is logged (without secrets) and tried again 5 s later (at once by a call that has no valid
 * credentials left); the credentials it was to replace
 * keep serving until they expire. Nothing blocks: the fetch is a Mono you supply (a call to your
 * token service).
 */
public final class RefreshingCredentialsProvider implements ReactiveCredentialsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCredentialsProvider.class);

    private final Mono<ExpiringCredentials> fetch;
    private final Duration refreshAhead;
    private final Duration fetchTimeout;
    private final Clock clock;
    private final AtomicReference<ExpiringCredentials> current = new AtomicReference<>();
    private final AtomicReference<Mono<ExpiringCredentials>> inFlight = new AtomicReference<>();
    /** After a failed background refresh, the next one waits a little: the token service may be down. */
    private volatile Instant nextBackgroundRefresh = Instant.MIN;
    private static final Duration BACKGROUND_RETRY = Duration.ofSeconds(5);

    private RefreshingCredentialsProvider(Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Duration fetchTimeout, Clock clock) {
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.refreshAhead = Objects.requireNonNull(refreshAhead, "refreshAhead");
        this.fetchTimeout = Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (refreshAhead.isNegative() || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException("refreshAhead must not be negative and fetchTimeout must be positive");
        }
    }

    /**
     * Credentials from a fetch, refreshed five minutes before they expire, each fetch bounded by 30 s.
     *
     * @param fetch yields fresh temporary credentials on each subscription
     * @return the provider
     */
    public static RefreshingCredentialsProvider create(Mono<ExpiringCredentials> fetch) {
        return new RefreshingCredentialsProvider(fetch, Duration.ofMinutes(5), Duration.ofSeconds(30),
                Clock.systemUTC());
    }

    /**
     * Credentials from a fetch, with the refresh margin and clock given; each fetch bounded by 30 s.
     *
     * @param fetch yields fresh temporary credentials on each subscription
     * @param refreshAhead how long before expiry to start fetching new ones
     * @param clock the clock that decides
     * @return the provider
     */
    public static RefreshingCredentialsProvider create(Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Clock clock) {
        return new RefreshingCredentialsProvider(fetch, refreshAhead, Duration.ofSeconds(30), clock);
    }

    /**
     * Credentials from a fetch, with every setting given.
     *
     * @param fetch yields fresh temporary credentials on each subscription
     * @param refreshAhead how long before expiry to start fetching new ones
     * @param fetchTimeout the longest one fetch may take; past it, it counts as failed
     * @param clock the clock that decides
     * @return the provider
     */
    public static RefreshingCredentialsProvider create(Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Duration fetchTimeout, Clock clock) {
        return new RefreshingCredentialsProvider(fetch, refreshAhead, fetchTimeout, clock);
    }

    @Override
    public Mono<Credentials> credentials() {
        return Mono.defer(() -> {
            ExpiringCredentials held = current.get();
            Instant now = clock.instant();
            if (held != null && now.isBefore(held.expiresAt())) {
                if (!now.isBefore(held.expiresAt().minus(refreshAhead)) && !now.isBefore(nextBackgroundRefresh)) {
                    // Due for renewal: renew in the background, serve what still works.
                    refresh().subscribe(renewed -> { }, failed -> { });
                }
                return Mono.just(held.credentials());
            }
            return refresh().map(ExpiringCredentials::credentials);
        });
    }

    /** The fetch under way, or a new one; concurrent callers share it. */
    private Mono<ExpiringCredentials> refresh() {
        while (true) {
            Mono<ExpiringCredentials> running = inFlight.get();
            if (running != null) {
                return running;
            }
            AtomicReference<Mono<ExpiringCredentials>> self = new AtomicReference<>();
            Mono<ExpiringCredentials> started = Mono.defer(() -> fetch)
                    .timeout(fetchTimeout, Schedulers.parallel())
                    .doOnNext(current::set)
                    .doOnError(e -> nextBackgroundRefresh = clock.instant().plus(BACKGROUND_RETRY))
                    .doOnError(e -> LOG.warn("fetching temporary credentials failed ({}); {}", e.getClass().getName(),
                            current.get() != null && clock.instant().isBefore(current.get().expiresAt())
                                    ? "the current ones serve until they expire" : "calls fail until a fetch succeeds"))
                    .doFinally(signal -> inFlight.compareAndSet(self.get(), null))
                    // One outcome per fetch: whoever holds this instance shares it; the next refresh is a new one.
                    .cache();
            self.set(started);
            if (inFlight.compareAndSet(null, started)) {
                return started;
            }
        }
    }

    @Override
    public String toString() {
        return "RefreshingCredentialsProvider";
    }
}
