package io.github.trtcreactive.reactor.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import reactor.netty.http.client.HttpClient;

/**
 * The settings every role provider shares: how it reaches its service and when it renews.
 *
 * @param <B> the provider's own builder
 */
public abstract class RoleCredentialsBuilder<B extends RoleCredentialsBuilder<B>> {

    HttpClient httpClient;
    Duration timeout;
    Duration refreshAhead = Duration.ofMinutes(5);
    Clock clock = Clock.systemUTC();

    RoleCredentialsBuilder(Duration timeout) {
        this.timeout = timeout;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The HTTP client to use. Default: one connection per fetch on Reactor Netty's shared loops.
     *
     * @param httpClient the client
     * @return this builder
     */
    public B httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return self();
    }

    /**
     * The longest one fetch may take. Default 5 s for the metadata service, 10 s for STS.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * How long before expiry to renew. Default 5 minutes.
     *
     * @param refreshAhead a duration, not negative
     * @return this builder
     */
    public B refreshAhead(Duration refreshAhead) {
        this.refreshAhead = Objects.requireNonNull(refreshAhead, "refreshAhead");
        return self();
    }

    /**
     * The clock that decides when credentials are due (and signs, where the provider signs). Default
     * the system's.
     *
     * @param clock the clock
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The client to fetch with: the one given, else a connection per fetch. */
    HttpClient http() {
        return httpClient != null ? httpClient : RoleCalls.defaultHttpClient(timeout);
    }

    /** Checks a validity asked of STS: from 15 minutes to 12 hours. */
    static Duration stsDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.toSeconds() < 900 || duration.toSeconds() > 43_200) {
            throw new IllegalArgumentException("duration must be from 900 to 43200 seconds, was " + duration.toSeconds());
        }
        return duration;
    }
}
