package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.metric.MetricStreams;
import io.github.trtcreactive.reactor.page.Paginators;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.test.StepVerifier;

/**
 * The auto-configuration in real application contexts: which beans exist for which properties, what
 * the client is pointed at and signs with, that the application's own beans win, that everything is
 * closed with the context, and what the health contributor says.
 */
@ExtendWith(OutputCaptureExtension.class)
class TrtcAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TrtcAutoConfiguration.class));

    private static DescribeRoomInfoRequest rooms(long sdkAppId) {
        long now = System.currentTimeMillis() / 1000;
        return DescribeRoomInfoRequest.builder().sdkAppId(sdkAppId).startTime(now - 60).endTime(now).build();
    }

    @Test
    void withTheEmulatorSwitchAndNoCredentials_callsGoToTheEmbeddedEmulator_andTheLogSaysSo(CapturedOutput output) {
        AtomicReference<TrtcAsyncClient> client = new AtomicReference<>();
        AtomicReference<TrtcEmulator> emulator = new AtomicReference<>();
        contexts.withPropertyValues("trtc.emulator.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TrtcEmulator.class).hasSingleBean(TrtcAsyncClient.class)
                    .hasSingleBean(TrtcRateLimiter.class).hasSingleBean(TaskPollers.class)
                    .hasSingleBean(Paginators.class).hasSingleBean(MetricStreams.class)
                    .hasSingleBean(TrtcHealthIndicator.class);
            emulator.set(context.getBean(TrtcEmulator.class));
            client.set(context.getBean(TrtcAsyncClient.class));
            StepVerifier.create(client.get().describeRoomInfo(rooms(emulator.get().sdkAppId())))
                    .expectNextCount(1).expectComplete().verify(WAIT);
            assertThat(emulator.get().requests("DescribeRoomInfo")).hasSize(1);
        });
        assertThat(output).contains("every call goes to the embedded emulator at " + emulator.get().uri());
        assertThat(client.get().isClosed()).as("closed with the context").isTrue();
    }

    @Test
    void credentialsAndEndpointFromProperties_signEveryCall_andTheEmulatorSwitchThenStaysOff() {
        Credentials keys = Credentials.of("AKIDspring", "spring-secret-key");
        try (TrtcEmulator service = TrtcEmulator.builder().credentials(keys).start()) {
            contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.secret-id=AKIDspring",
                    "trtc.secret-key=spring-secret-key", "trtc.endpoint=" + service.uri(), "trtc.region=ap-singapore",
                    "trtc.response-timeout=3s", "trtc.call-timeout=20s").run(context -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(TrtcEmulator.class);
                TrtcAsyncClient client = context.getBean(TrtcAsyncClient.class);
                assertThat(client.region()).isEqualTo("ap-singapore");
                StepVerifier.create(client.describeRoomInfo(rooms(service.sdkAppId())))
                        .expectNextCount(1).expectComplete().verify(WAIT);
                assertThat(service.requests("DescribeRoomInfo")).singleElement()
                        .satisfies(r -> assertThat(r.header("X-TC-Region")).isEqualTo("ap-singapore"));
            });
        }
    }

    @Test
    void aSecretIdWithoutItsKey_failsTheStartNamingBothProperties() {
        contexts.withPropertyValues("trtc.secret-id=AKIDalone").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessage("trtc.secret-id and trtc.secret-key must be set together"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final TrtcRateLimiter LIMITER = TrtcRateLimiter.builder().burst(3).build();

        @Bean
        TrtcRateLimiter myLimiter() {
            return LIMITER;
        }
    }

    @Test
    void theApplicationsOwnBeans_win_andAreWiredIntoTheRest() {
        contexts.withPropertyValues("trtc.emulator.enabled=true").withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TrtcRateLimiter.class);
            assertThat(context.getBean(TrtcRateLimiter.class)).isSameAs(OwnBeans.LIMITER);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class BootInfrastructure {
        static final java.util.List<String> OBSERVED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
            org.springframework.http.client.ReactorResourceFactory factory =
                    new org.springframework.http.client.ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setLoopResources(reactor.netty.resources.LoopResources.create("boot-shared", 1, true));
            return factory;
        }

        @Bean
        io.micrometer.observation.ObservationRegistry observationRegistry() {
            io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
            registry.observationConfig().observationHandler(
                    new io.micrometer.observation.ObservationHandler<io.micrometer.observation.Observation.Context>() {
                        @Override
                        public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                            return true;
                        }

                        @Override
                        public void onStop(io.micrometer.observation.Observation.Context context) {
                            OBSERVED.add(context.getName());
                        }
                    });
            return registry;
        }

        @Bean
        io.micrometer.core.instrument.MeterRegistry meterRegistry() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
    }

    @Test
    void bootsReactorNettyResources_observationsAndMeters_areUsedWhenTheApplicationHasThem() {
        BootInfrastructure.OBSERVED.clear();
        contexts.withPropertyValues("trtc.emulator.enabled=true").withUserConfiguration(BootInfrastructure.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TrtcEmulator emulator = context.getBean(TrtcEmulator.class);
                    AtomicReference<String> thread = new AtomicReference<>();
                    StepVerifier.create(context.getBean(TrtcAsyncClient.class).describeRoomInfo(rooms(emulator.sdkAppId()))
                                    .doOnNext(r -> thread.set(Thread.currentThread().getName())))
                            .expectNextCount(1).expectComplete().verify(WAIT);
                    assertThat(thread.get()).as("the reply arrives on Boot's shared loops").startsWith("boot-shared");
                    assertThat(BootInfrastructure.OBSERVED).contains("trtc.client.call");
                    assertThat(context.getBean(io.micrometer.core.instrument.MeterRegistry.class).getMeters())
                            .anySatisfy(m -> assertThat(m.getId().getName()).startsWith("trtc.ratelimit."));
                });
    }

    @Test
    void theHealthContributor_spendsNoCall_andSaysWhatItChecked() {
        contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.callbacks.key=123654").run(context -> {
            TrtcEmulator emulator = context.getBean(TrtcEmulator.class);
            Health health = context.getBean(TrtcHealthIndicator.class).health().block(WAIT);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("client", "open").containsEntry("credentials", "resolvable")
                    .containsEntry("redis", "not configured").containsEntry("rateLimiter", "enabled, 0 bucket(s) in use")
                    .containsEntry("callbacks", "accepted 0, duplicates 0, rejected 0")
                    // The pollers follow the callbacks: their routing loop starts with the first followed task.
                    .containsEntry("background", Map.of("pollers.callback-routing", "idle, 0 restarts"));
            assertThat(health.toString()).doesNotContain(emulator.credentials().secretKey()).doesNotContain("123654");
            assertThat(emulator.requests()).as("no API call").isEmpty();
            context.getBean(TrtcAsyncClient.class).close();
            assertThat(context.getBean(TrtcHealthIndicator.class).health().block(WAIT).getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void aSharedBudgetOnRedis_isUsed_andItsReachabilityIsPartOfHealth() throws Exception {
        try (TestRedis redis = TestRedis.start()) {
            contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.rate-limit.redis-uri=redis://127.0.0.1:"
                    + redis.port(), "trtc.rate-limit.redis-key-prefix=spring-test:").run(context -> {
                assertThat(context).hasNotFailed();
                TrtcAsyncClient client = context.getBean(TrtcAsyncClient.class);
                TrtcEmulator emulator = context.getBean(TrtcEmulator.class);
                StepVerifier.create(client.describeRoomInfo(rooms(emulator.sdkAppId())))
                        .expectNextCount(1).expectComplete().verify(WAIT);
                Health health = context.getBean(TrtcHealthIndicator.class).health().block(WAIT);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat((String) health.getDetails().get("redis")).startsWith("reachable (");
                assertThat(redis.keys("spring-test:*")).as("the budget lives in Redis").isNotEmpty();
            });
        }
    }

    @Test
    void theCallbacksBodyLimit_reachesTheReceiver_andAnImpossibleOneFailsTheStartNamingIt() {
        contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.callbacks.key=123654").run(context ->
                assertThat(context.getBean(TrtcCallbacks.class)).hasToString(
                        "TrtcCallbacks{key=set, path=/trtc/callbacks, maxBodySize=65536}"));
        contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.callbacks.key=123654",
                "trtc.callbacks.max-body-size=8KB").run(context ->
                assertThat(context.getBean(TrtcCallbacks.class).toString()).contains("maxBodySize=8192"));
        contexts.withPropertyValues("trtc.emulator.enabled=true", "trtc.callbacks.key=123654",
                "trtc.callbacks.max-body-size=0B").run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("trtc.callbacks.max-body-size"));
    }

    @Test
    void theConfigurationMetadata_describesEveryProperty() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String property : new String[] {"trtc.secret-id", "trtc.secret-key", "trtc.session-token", "trtc.region",
                    "trtc.endpoint", "trtc.response-timeout", "trtc.call-timeout", "trtc.validation",
                    "trtc.rate-limit.enabled", "trtc.rate-limit.redis-uri", "trtc.callbacks.key", "trtc.callbacks.path",
                    "trtc.callbacks.max-body-size", "trtc.emulator.enabled"}) {
                assertThat(metadata).contains("\"name\": \"" + property + "\"");
            }
        }
    }
}
