package io.github.trtcreactive.reactor.auth;

import io.github.trtcreactive.core.auth.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * Temporary credentials kept fresh without ever making a call wait for a refresh it does not need.
 * The first call fetches them. From {@code refreshAhead} before they expire, calls still get the
 * current credentials at once while one refresh runs in the background; only once they have
 * really expired do calls wait, all for the same fetch. Nothing blocks: the fetch is a Mono you
 * supply (a call to your token service).
 *
 * <p>A source in trouble is asked at most every 5 s. A fetch counts as troubled when it fails,
 * outlasts its timeout, completes empty, or brings credentials that have already expired (a
 * failure too) or that are already within {@code refreshAhead} of expiry (kept, but due at once).
 * Until 5 s have passed, no new fetch starts, and callers get:
 * <ul>
 *   <li>the current credentials, as long as they have not expired;</li>
 *   <li>otherwise the last fetch's failure, the same exception again, without waiting;</li>
 *   <li>otherwise (the last fetch brought credentials that have expired since) a
 *       {@link RoleCredentialsException} saying when the next fetch may start.</li>
 * </ul>
 * Concurrent callers share one fetch. The trouble is logged at WARN once (without secrets), then at
 * DEBUG until the source brings healthy credentials again, which is logged at INFO.
 */
public final class RefreshingCredentialsProvider implements ReactiveCredentialsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCredentialsProvider.class);
    /** The least time between two fetches while the source is in trouble. */
    static final Duration TROUBLED_SOURCE_INTERVAL = Duration.ofSeconds(5);

    private final String source;
    private final Mono<ExpiringCredentials> fetch;
    private final Duration refreshAhead;
    private final Duration fetchTimeout;
    private final Clock clock;
    private final AtomicReference<ExpiringCredentials> current = new AtomicReference<>();
    private final AtomicReference<Mono<ExpiringCredentials>> inFlight = new AtomicReference<>();
    /** No fetch starts before this: set {@link #TROUBLED_SOURCE_INTERVAL} ahead by a troubled fetch. */
    private volatile Instant nextFetch = Instant.MIN;
    /** The last fetch's failure; null once a fetch brought credentials. */
    private volatile Throwable lastFailure;
    /** Whether the current trouble has been logged at WARN. */
    private final AtomicBoolean warned = new AtomicBoolean();

    private RefreshingCredentialsProvider(String source, Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Duration fetchTimeout, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
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
        return create(fetch, Duration.ofMinutes(5), Duration.ofSeconds(30), Clock.systemUTC());
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
        return create(fetch, refreshAhead, Duration.ofSeconds(30), clock);
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
        return new RefreshingCredentialsProvider("the credentials fetch", fetch, refreshAhead, fetchTimeout, clock);
    }

    /** As {@link #create(Mono, Duration, Duration, Clock)}, with the source named in logs and errors. */
    static RefreshingCredentialsProvider create(String source, Mono<ExpiringCredentials> fetch, Duration refreshAhead,
            Duration fetchTimeout, Clock clock) {
        return new RefreshingCredentialsProvider(source, fetch, refreshAhead, fetchTimeout, clock);
    }

    /**
     * The credentials to sign the next call with: the current ones while they have not expired (a
     * refresh starting in the background once they are due), else those of a fetch, shared with
     * every concurrent caller. While the source is in trouble, see the class description.
     *
     * @return the credentials, on subscription; or the fetch's failure, or a
     *     {@link RoleCredentialsException} when the source keeps answering unusable credentials
     */
    @Override
    public Mono<Credentials> credentials() {
        return Mono.defer(() -> {
            ExpiringCredentials held = current.get();
            Instant now = clock.instant();
            if (held != null && now.isBefore(held.expiresAt())) {
                if (!now.isBefore(held.expiresAt().minus(refreshAhead)) && !now.isBefore(nextFetch)) {
                    // Due for renewal: renew in the background, serve what still works.
                    refresh().subscribe(renewed -> { }, failed -> { });
                }
                return Mono.just(held.credentials());
            }
            return refresh().map(ExpiringCredentials::credentials);
        });
    }

    /** The fetch under way, or a new one when the source may be asked, else what it last said. */
    private Mono<ExpiringCredentials> refresh() {
        while (true) {
            Mono<ExpiringCredentials> running = inFlight.get();
            if (running != null) {
                return running;
            }
            // Read after inFlight: a fetch's outcome is recorded before it leaves inFlight.
            Instant now = clock.instant();
            if (now.isBefore(nextFetch)) {
                return lastOutcome(now);
            }
            AtomicReference<Mono<ExpiringCredentials>> self = new AtomicReference<>();
            Mono<ExpiringCredentials> started = Mono.defer(() -> fetch)
                    .timeout(fetchTimeout, Schedulers.parallel())
                    .switchIfEmpty(Mono.error(() -> new RoleCredentialsException(source + " gave no credentials")))
                    .handle(this::refuseExpired)
                    .doOnNext(this::accepted)
                    .doOnError(this::failed)
                    .doFinally(signal -> inFlight.compareAndSet(self.get(), null))
                    // One outcome per fetch: whoever holds this instance shares it; the next refresh is a new one.
                    .cache();
            self.set(started);
            if (inFlight.compareAndSet(null, started)) {
                return started;
            }
        }
    }

    private Mono<ExpiringCredentials> lastOutcome(Instant now) {
        ExpiringCredentials held = current.get();
        if (held != null && now.isBefore(held.expiresAt())) {
            return Mono.just(held);
        }
        Throwable failure = lastFailure;
        if (failure != null) {
            return Mono.error(failure);
        }
        return Mono.error(new RoleCredentialsException(source + " answered credentials that expired at "
                + (held == null ? "an unknown time" : held.expiresAt()) + ", too soon to renew them; it is asked again"
                + " at " + nextFetch));
    }

    private void refuseExpired(ExpiringCredentials fetched, SynchronousSink<ExpiringCredentials> sink) {
        if (clock.instant().isBefore(fetched.expiresAt())) {
            sink.next(fetched);
        } else {
            sink.error(new RoleCredentialsException(source + " answered credentials that had already expired (at "
                    + fetched.expiresAt() + ")"));
        }
    }

    private void accepted(ExpiringCredentials fetched) {
        Instant now = clock.instant();
        current.set(fetched);
        lastFailure = null;
        if (now.isBefore(fetched.expiresAt().minus(refreshAhead))) {
            nextFetch = Instant.MIN;
            if (warned.compareAndSet(true, false)) {
                LOG.info("{} answers usable temporary credentials again", source);
            }
            return;
        }
        nextFetch = now.plus(TROUBLED_SOURCE_INTERVAL);
        troubled("{} answered temporary credentials that expire at {}, within the renewal margin of {}; they serve"
                + " until then, and it is asked again at most every {}", source, fetched.expiresAt(),
                seconds(refreshAhead), seconds(TROUBLED_SOURCE_INTERVAL));
    }

    private void failed(Throwable e) {
        Instant now = clock.instant();
        nextFetch = now.plus(TROUBLED_SOURCE_INTERVAL);
        lastFailure = e;
        ExpiringCredentials held = current.get();
        troubled("fetching temporary credentials failed ({}); {}; {} is asked again at most every {}",
                // Our own messages name the source and never a secret; a foreign exception's might hold anything.
                e instanceof RoleCredentialsException ? e.getMessage() : e.getClass().getName(),
                held != null && now.isBefore(held.expiresAt()) ? "the current ones serve until they expire"
                        : "calls fail until a fetch succeeds", source, seconds(TROUBLED_SOURCE_INTERVAL));
    }

    /** One WARN per trouble, DEBUG for its repeats: a source in trouble is asked every 5 s. */
    private void troubled(String format, Object... arguments) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(format + " (repeats are logged at DEBUG until it recovers)", arguments);
        } else {
            LOG.debug(format, arguments);
        }
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    @Override
    public String toString() {
        return "RefreshingCredentialsProvider";
    }
}
