package io.github.trtcreactive.spring;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundWork;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.ratelimit.BucketSnapshot;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The health contributor {@code trtc}. It spends no API call (the rate budget belongs to real work):
 * the client is open, the credentials resolve (within 5 s), the limiter's state, the Redis store
 * answers a PING (when the budget is shared), the callback receiver's counts, and the state of each
 * background loop (reading the callback relay, routing callbacks to the pollers: up, idle or
 * restarting, with its restart count and the class of its last failure). Details never hold a key,
 * a token or a signature. An unreachable Redis, or a loop being restarted, is shown in the details
 * but does not make the status DOWN: the limiter goes on at this process's share of the limit, the
 * loops start again by themselves, and taking the instance out of a readiness group would turn a
 * Redis restart into an outage of the service.
 */
public class TrtcHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TrtcAsyncClient client;
    private final ReactiveCredentialsProvider credentials;
    private final TrtcRateLimiter rateLimiter;
    private final TrtcAutoConfiguration.TrtcRedisStore redis;
    private final TrtcCallbacks callbacks;
    private final List<BackgroundWork> background;

    TrtcHealthIndicator(TrtcAsyncClient client, ReactiveCredentialsProvider credentials, TrtcRateLimiter rateLimiter,
            TrtcAutoConfiguration.TrtcRedisStore redis, TrtcCallbacks callbacks, List<BackgroundWork> background) {
        this.client = client;
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
        this.redis = redis;
        this.callbacks = callbacks;
        this.background = List.copyOf(background);
    }

    /** Each background loop's state in a few words, by loop name (never an error's message). */
    private Map<String, String> backgroundDetails() {
        Map<String, String> loops = new LinkedHashMap<>();
        for (BackgroundWork work : background) {
            for (BackgroundStatus status : work.backgroundHealth()) {
                loops.put(status.name(), status.describe());
            }
        }
        return loops;
    }

    @Override
    public Mono<Health> health() {
        if (client.isClosed()) {
            return Mono.just(Health.down().withDetail("client", "closed").build());
        }
        Mono<String> credentialState = Mono.defer(credentials::credentials).timeout(TIMEOUT)
                .map(c -> "resolvable").defaultIfEmpty("none given")
                .onErrorResume(e -> Mono.just("failed: " + e.getClass().getSimpleName()));
        Mono<String> redisState = redis == null ? Mono.just("not configured")
                : redis.store().ping(TIMEOUT).map(rtt -> "reachable (" + rtt.toMillis() + " ms)")
                        .onErrorResume(e -> Mono.just("unreachable: " + e.getClass().getSimpleName()
                                + "; counting locally at this process's share"));
        return Mono.zip(credentialState, redisState).map(states -> {
            boolean up = states.getT1().equals("resolvable");
            Health.Builder health = up ? Health.up() : Health.down();
            health.withDetail("client", "open").withDetail("region", client.region())
                    .withDetail("credentials", states.getT1());
            List<BucketSnapshot> buckets = rateLimiter.snapshot();
            health.withDetail("rateLimiter", rateLimiter.isEnabled()
                    ? "enabled, " + buckets.size() + " bucket(s) in use" : "disabled");
            health.withDetail("redis", states.getT2());
            health.withDetail("callbacks", callbacks == null ? "not configured" : "accepted " + callbacks.acceptedCount()
                    + ", duplicates " + callbacks.duplicateCount() + ", rejected " + callbacks.rejectedCount());
            Map<String, String> loops = backgroundDetails();
            if (!loops.isEmpty()) {
                health.withDetail("background", loops);
            }
            return health.build();
        });
    }
}
