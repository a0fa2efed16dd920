package io.github.trtcreactive.spring;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.BackgroundWork;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcAsyncClientBuilder;
import io.github.trtcreactive.reactor.auth.DefaultCredentialsChain;
import io.github.trtcreactive.reactor.auth.ReactiveCredentialsProvider;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcCallbacksBuilder;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.page.Paginators;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import io.github.trtcreactive.redis.RedisLimitStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

/**
 * Wires trtc-reactive into a Spring Boot application from the {@code trtc.*} properties
 * ({@link TrtcProperties}). Every bean backs off when the application defines its own of the same
 * type; each is closed when the context shuts down (a client's {@code close()} is terminal).
 *
 * <ul>
 *   <li>{@link ReactiveCredentialsProvider}: {@code trtc.secret-id}/{@code secret-key}/{@code session-token};
 *       else the embedded emulator's when it runs; else {@link DefaultCredentialsChain}.</li>
 *   <li>{@link TrtcRateLimiter}: the documented limits, shared through Redis with
 *       {@code trtc.rate-limit.redis-uri} (trtc-reactive-redis), reported to Micrometer when a
 *       {@link MeterRegistry} is present (trtc-reactive-micrometer).</li>
 *   <li>{@link TrtcAsyncClient}: on Boot's Reactor Netty resources when a {@link ReactorResourceFactory}
 *       is present, observed when an {@link ObservationRegistry} is.</li>
 *   <li>{@link TaskPollers} (following the callbacks when they are received), {@link Paginators},
 *       {@link MetricStreams}.</li>
 *   <li>{@link TrtcCallbacks} when {@code trtc.callbacks.key} is set (its WebFlux route is
 *       {@link TrtcCallbacksRouteAutoConfiguration}).</li>
 *   <li>A health contributor named {@code trtc} when the actuator is present; it spends no API call.</li>
 *   <li>With {@code trtc.emulator.enabled=true} and no credentials set, a {@link TrtcEmulator} that
 *       receives every call, said in the log.</li>
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(TrtcProperties.class)
public class TrtcAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TrtcAutoConfiguration.class);

    /** Creates the configuration. */
    public TrtcAutoConfiguration() {
    }

    /**
     * The credentials every call is signed with.
     *
     * @param properties the {@code trtc.*} properties
     * @param emulator the embedded emulator, when it runs
     * @return the provider
     */
    @Bean
    @ConditionalOnMissingBean
    public ReactiveCredentialsProvider trtcCredentialsProvider(TrtcProperties properties,
            ObjectProvider<TrtcEmulatorHandle> emulator) {
        if (hasText(properties.getSecretId()) || hasText(properties.getSecretKey())) {
            if (!hasText(properties.getSecretId()) || !hasText(properties.getSecretKey())) {
                throw new IllegalStateException("trtc.secret-id and trtc.secret-key must be set together");
            }
            return ReactiveCredentialsProvider.of(CredentialsProvider.of(hasText(properties.getSessionToken())
                    ? Credentials.of(properties.getSecretId(), properties.getSecretKey(), properties.getSessionToken())
                    : Credentials.of(properties.getSecretId(), properties.getSecretKey())));
        }
        TrtcEmulatorHandle running = emulator.getIfAvailable();
        if (running != null) {
            return ReactiveCredentialsProvider.of(CredentialsProvider.of(running.emulator().credentials()));
        }
        return DefaultCredentialsChain.create();
    }

    /**
     * The account's rate budget.
     *
     * @param properties the {@code trtc.*} properties
     * @param store the fleet's shared store, when {@code trtc.rate-limit.redis-uri} is set
     * @param meters the application's meter registry, when it has one
     * @return the limiter
     */
    @Bean
    @ConditionalOnMissingBean
    public TrtcRateLimiter trtcRateLimiter(TrtcProperties properties, ObjectProvider<TrtcRedisStore> store,
            ObjectProvider<TrtcMeters> meters) {
        TrtcProperties.RateLimit settings = properties.getRateLimit();
        if (!settings.isEnabled()) {
            LOG.warn("trtc.rate-limit.enabled=false: calls are not held to the documented rate limits");
            return TrtcRateLimiter.disabled();
        }
        TrtcRateLimiter.Builder builder = TrtcRateLimiter.builder();
        TrtcRedisStore redis = store.getIfAvailable();
        if (redis != null) {
            builder.store(redis.store());
        }
        if (hasText(settings.getAccount())) {
            builder.account(settings.getAccount());
        }
        if (settings.getMaxWait() != null) {
            builder.maxWait(settings.getMaxWait());
        }
        if (settings.getAdaptive() != null) {
            builder.adaptive(settings.getAdaptive());
        }
        TrtcMeters registry = meters.getIfAvailable();
        if (registry != null) {
            builder.listener(registry.rateLimits());
        }
        return builder.build();
    }

    /**
     * The client.
     *
     * @param properties the {@code trtc.*} properties
     * @param credentials the credentials provider
     * @param rateLimiter the limiter
     * @param emulator the embedded emulator, when it runs
     * @param resources Boot's Reactor Netty resources, when the application has them
     * @param observation the application's observation wiring, when present
     * @return the client, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TrtcAsyncClient trtcAsyncClient(TrtcProperties properties, ReactiveCredentialsProvider credentials,
            TrtcRateLimiter rateLimiter, ObjectProvider<TrtcEmulatorHandle> emulator,
            ObjectProvider<TrtcSharedResources> resources, ObjectProvider<TrtcObservation> observation) {
        TrtcAsyncClientBuilder builder = TrtcAsyncClient.builder().credentialsProvider(credentials)
                .rateLimiter(rateLimiter);
        TrtcEmulatorHandle running = emulator.getIfAvailable();
        if (running != null) {
            builder.endpoint(running.emulator().uri());
        } else if (properties.getEndpoint() != null) {
            builder.endpoint(properties.getEndpoint());
        }
        if (hasText(properties.getRegion())) {
            builder.region(properties.getRegion());
        }
        if (properties.getResponseTimeout() != null) {
            builder.responseTimeout(properties.getResponseTimeout());
        }
        if (properties.getCallTimeout() != null) {
            builder.callTimeout(properties.getCallTimeout());
        }
        if (properties.getValidation() != null) {
            builder.validation(properties.getValidation());
        }
        TrtcSharedResources shared = resources.getIfAvailable();
        HttpClient http = shared == null ? null : shared.httpClient();
        if (http != null) {
            builder.httpClient(http);
        }
        TrtcObservation observed = observation.getIfAvailable();
        if (observed != null) {
            builder.observer(observed.observer());
        }
        return builder.build();
    }

    /**
     * Task pollers, following the received callbacks when there are any.
     *
     * @param client the client
     * @param callbacks the callbacks receiver, when {@code trtc.callbacks.key} is set
     * @param meters the application's meter registry, when it has one
     * @return the pollers
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public TaskPollers trtcTaskPollers(TrtcAsyncClient client, ObjectProvider<TrtcCallbacks> callbacks,
            ObjectProvider<TrtcMeters> meters) {
        TaskPollers.Builder builder = TaskPollers.builder(client);
        TrtcCallbacks received = callbacks.getIfAvailable();
        if (received != null) {
            builder.callbacks(received);
        }
        TrtcMeters registry = meters.getIfAvailable();
        if (registry != null) {
            builder.listener(registry.polls());
        }
        return builder.build();
    }

    /**
     * Paginators over the listing actions.
     *
     * @param client the client
     * @return the paginators
     */
    @Bean
    @ConditionalOnMissingBean
    public Paginators trtcPaginators(TrtcAsyncClient client) {
        return Paginators.create(client);
    }

    /**
     * Metric streams over the monitoring and usage actions.
     *
     * @param client the client
     * @return the streams
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public MetricStreams trtcMetricStreams(TrtcAsyncClient client) {
        return MetricStreams.create(client);
    }

    /**
     * TRTC's event callbacks, verified with {@code trtc.callbacks.key}.
     *
     * @param properties the {@code trtc.*} properties
     * @param meters the application's meter registry, when it has one
     * @return the receiver, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty("trtc.callbacks.key")
    public TrtcCallbacks trtcCallbacks(TrtcProperties properties, ObjectProvider<TrtcMeters> meters) {
        TrtcCallbacksBuilder builder;
        try {
            builder = TrtcCallbacks.builder().key(properties.getCallbacks().getKey()).path(properties.getCallbacks().getPath())
                    .maxBodySize(properties.getCallbacks().maxBodyBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("trtc.callbacks.key or trtc.callbacks.path: " + e.getMessage(), e);
        }
        TrtcMeters registry = meters.getIfAvailable();
        if (registry != null) {
            builder.listener(registry.callbacks());
        }
        return builder.build();
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** Boot's Reactor Netty resources (connection pool and event loops), when the application has them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.http.client.ReactorResourceFactory")
    static class SharedResources {

        @Bean
        TrtcSharedResources trtcSharedResources(ObjectProvider<ReactorResourceFactory> factory) {
            return new TrtcSharedResources(factory);
        }
    }

    /** The embedded emulator, when it is switched on and no credentials are set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.github.trtcreactive.emulator.TrtcEmulator")
    @ConditionalOnBooleanProperty("trtc.emulator.enabled")
    @Conditional(NoCredentialsCondition.class)
    static class EmbeddedEmulator {

        @Bean(destroyMethod = "close")
        TrtcEmulatorHandle trtcEmulatorHandle() {
            TrtcEmulator emulator = TrtcEmulator.start();
            LOG.warn("trtc: no credentials are set and trtc.emulator.enabled=true: every call goes to the embedded"
                    + " emulator at {}, not to Tencent Cloud", emulator.uri());
            return new TrtcEmulatorHandle(emulator);
        }

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        TrtcEmulator trtcEmulator(TrtcEmulatorHandle handle) {
            return handle.emulator();
        }
    }

    /** The fleet's shared budget in Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.github.trtcreactive.redis.RedisLimitStore")
    @ConditionalOnProperty("trtc.rate-limit.redis-uri")
    static class FleetBudget {

        @Bean(destroyMethod = "close")
        TrtcRedisStore trtcRedisStore(TrtcProperties properties) {
            String prefix = properties.getRateLimit().getRedisKeyPrefix();
            if (prefix != null && prefix.isBlank()) {
                throw new IllegalArgumentException("trtc.rate-limit.redis-key-prefix must not be empty or blank"
                        + " (leave it unset for the default)");
            }
            RedisLimitStore store;
            try {
                // Returns at once and connects in the background: the application starts while Redis is down.
                store = RedisLimitStore.connect(properties.getRateLimit().getRedisUri());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trtc.rate-limit.redis-uri: " + e.getMessage());
            }
            return new TrtcRedisStore(prefix != null ? store.withKeyPrefix(prefix) : store, store);
        }
    }

    /** Meters, when the application has Micrometer and trtc-reactive-micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.github.trtcreactive.micrometer.TrtcMicrometer",
            "io.micrometer.core.instrument.MeterRegistry"})
    static class Meters {

        @Bean
        TrtcMeters trtcMeters(ObjectProvider<MeterRegistry> registry) {
            return new TrtcMeters(registry);
        }
    }

    /** Observations of every call, when the application has an {@link ObservationRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.github.trtcreactive.micrometer.TrtcMicrometer",
            "io.micrometer.observation.ObservationRegistry"})
    static class Observations {

        @Bean
        TrtcObservation trtcObservation(ObjectProvider<ObservationRegistry> registry) {
            return new TrtcObservation(registry);
        }
    }

    /** The health contributor {@code trtc}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "trtcHealthIndicator")
        TrtcHealthIndicator trtcHealthIndicator(TrtcAsyncClient client, ReactiveCredentialsProvider credentials,
                TrtcRateLimiter rateLimiter, ObjectProvider<TrtcRedisStore> store, ObjectProvider<TrtcCallbacks> callbacks,
                ObjectProvider<BackgroundWork> background) {
            return new TrtcHealthIndicator(client, credentials, rateLimiter, store.getIfAvailable(),
                    callbacks.getIfAvailable(), background.orderedStream().toList());
        }
    }

    /** An HTTP client on Boot's Reactor Netty resources, when a {@link ReactorResourceFactory} bean exists. */
    record TrtcSharedResources(ObjectProvider<ReactorResourceFactory> factory) {
        HttpClient httpClient() {
            ReactorResourceFactory shared = factory.getIfAvailable();
            if (shared == null) {
                return null;
            }
            return HttpClient.create(shared.getConnectionProvider()).runOn(shared.getLoopResources()).compress(true);
        }
    }

    /** The running embedded emulator (a holder, so that the client's configuration can ask for it optionally). */
    record TrtcEmulatorHandle(TrtcEmulator emulator) implements AutoCloseable {
        @Override
        public void close() {
            emulator.close();
        }
    }

    /** The Redis store and the connection owner to close. */
    record TrtcRedisStore(RedisLimitStore store, RedisLimitStore owner) implements AutoCloseable {
        @Override
        public void close() {
            owner.close();
        }
    }
}
