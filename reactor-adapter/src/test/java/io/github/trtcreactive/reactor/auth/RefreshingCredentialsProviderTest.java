package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RefreshingCredentialsProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EmulatorClock clock = EmulatorClock.fixed(Instant.parse("2026-11-21T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();

    private Mono<ExpiringCredentials> tokenService() {
        return Mono.defer(() -> {
            int n = fetches.incrementAndGet();
            return Mono.delay(Duration.ofMillis(100)).thenReturn(new ExpiringCredentials(
                    Credentials.of("AKIDtemp" + n, "key-" + n, "token-" + n), clock.instant().plusSeconds(3600)));
        });
    }

    @Test
    void concurrentCallers_shareOneFetch_andNewCredentialsComeAheadOfExpiry() {
        RefreshingCredentialsProvider provider = RefreshingCredentialsProvider.create(tokenService(),
                Duration.ofMinutes(5), clock);

        StepVerifier.create(Flux.range(0, 100).flatMap(i -> provider.credentials()).map(Credentials::secretId)
                        .distinct().collectList())
                .expectNext(List.of("AKIDtemp1"))
                .expectComplete()
                .verify(WAIT);
        assertThat(fetches).hasValue(1);

        clock.advance(Duration.ofMinutes(54));
        StepVerifier.create(provider.credentials()).expectNextMatches(c -> c.secretId().equals("AKIDtemp1"))
                .expectComplete().verify(WAIT);
        clock.advance(Duration.ofMinutes(1)); // now five minutes before expiry
        StepVerifier.create(Flux.range(0, 50).flatMap(i -> provider.credentials()).map(Credentials::secretId)
                        .distinct().collectList())
                .as("still valid: served at once while one refresh runs")
                .expectNext(List.of("AKIDtemp1"))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(Flux.interval(Duration.ofMillis(20)).concatMap(i -> provider.credentials())
                        .filter(c -> c.secretId().equals("AKIDtemp2")).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aTokenServiceThatHangs_neverHoldsCallsWhileTheCurrentCredentialsWork_andFailsCallsOnlyAfterExpiry() {
        AtomicInteger attempts = new AtomicInteger();
        RefreshingCredentialsProvider provider = RefreshingCredentialsProvider.create(Mono.defer(() ->
                attempts.incrementAndGet() == 1
                        ? Mono.just(new ExpiringCredentials(Credentials.of("AKIDfirst", "secret-first-key", "t"),
                                clock.instant().plusSeconds(3600)))
                        : Mono.<ExpiringCredentials>never()), Duration.ofMinutes(5), Duration.ofMillis(200), clock);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            StepVerifier.create(provider.credentials()).expectNextCount(1).expectComplete().verify(WAIT);
            clock.advance(Duration.ofMinutes(57)); // due for refresh; the token service hangs from now on
            for (int i = 0; i < 5; i++) {
                StepVerifier.create(provider.credentials())
                        .expectNextMatches(c -> c.secretId().equals("AKIDfirst"))
                        .expectComplete()
                        .verify(Duration.ofMillis(100));
            }
            StepVerifier.create(Mono.delay(Duration.ofMillis(400))).expectNextCount(1).expectComplete().verify(WAIT);
            clock.advance(Duration.ofMinutes(3)); // expired
            StepVerifier.create(provider.credentials())
                    .expectError(java.util.concurrent.TimeoutException.class)
                    .verify(WAIT);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("fetching temporary credentials failed").doesNotContain("secret-first-key");
        assertThat(attempts.get()).as("one background refresh while valid (retried no sooner than 5 s), one after expiry")
                .isEqualTo(3);
    }

    @Test
    void aFailedFetch_isNotKept_butTheSourceIsAskedAgainOnlyAfterFiveSeconds() {
        AtomicInteger attempts = new AtomicInteger();
        RefreshingCredentialsProvider provider = RefreshingCredentialsProvider.create(Mono.defer(() ->
                attempts.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("token service down"))
                        : Mono.just(new ExpiringCredentials(Credentials.of("AKIDok", "k", "t"),
                                clock.instant().plusSeconds(3600)))), Duration.ofMinutes(5), clock);

        StepVerifier.create(provider.credentials()).expectError(IllegalStateException.class).verify(WAIT);
        clock.advance(Duration.ofMillis(4900));
        StepVerifier.create(provider.credentials()).as("in between: the last failure, not a fetch")
                .expectError(IllegalStateException.class).verify(WAIT);
        assertThat(attempts).hasValue(1);
        clock.advance(Duration.ofMillis(100));
        StepVerifier.create(provider.credentials()).expectNextMatches(c -> c.secretId().equals("AKIDok"))
                .expectComplete().verify(WAIT);
        assertThat(provider.toString()).doesNotContain("AKIDok");
    }

    @Test
    void credentialsThatExpireBeforeTheNextFetchIsAllowed_failCallsUntilThen_withoutAFetch() {
        AtomicInteger attempts = new AtomicInteger();
        RefreshingCredentialsProvider provider = RefreshingCredentialsProvider.create(Mono.fromSupplier(() -> {
            attempts.incrementAndGet();
            return new ExpiringCredentials(Credentials.of("AKIDshort", "k", "t"), clock.instant().plusSeconds(2));
        }), Duration.ofMinutes(5), clock);

        StepVerifier.create(provider.credentials().map(Credentials::secretId)).expectNext("AKIDshort")
                .expectComplete().verify(WAIT);
        clock.advance(Duration.ofSeconds(3));
        StepVerifier.create(provider.credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage("the credentials fetch answered credentials that expired at 2026-11-21T00:00:02Z,"
                                + " too soon to renew them; it is asked again at 2026-11-21T00:00:05Z"))
                .verify(WAIT);
        assertThat(attempts).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        StepVerifier.create(provider.credentials().map(Credentials::secretId)).expectNext("AKIDshort")
                .expectComplete().verify(WAIT);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aFetchThatBringsExpiredCredentialsOrNone_fails() {
        RefreshingCredentialsProvider expired = RefreshingCredentialsProvider.create(Mono.fromSupplier(() ->
                new ExpiringCredentials(Credentials.of("AKIDold", "k", "t"), clock.instant().minusSeconds(1))),
                Duration.ofMinutes(5), clock);
        StepVerifier.create(expired.credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage("the credentials fetch answered credentials that had already expired (at"
                                + " 2026-11-20T23:59:59Z)"))
                .verify(WAIT);
        StepVerifier.create(RefreshingCredentialsProvider.create(Mono.empty(), Duration.ofMinutes(5), clock)
                        .credentials())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage("the credentials fetch gave no credentials"))
                .verify(WAIT);
    }

    @Test
    void theClient_signsWithTheProvidersTemporaryCredentials() {
        Credentials temporary = Credentials.of("AKIDsts", "sts-key", "sts-token");
        try (TrtcEmulator emulator = TrtcEmulator.builder().credentials(temporary).start();
                TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore").endpoint(emulator.uri())
                        .credentialsProvider(RefreshingCredentialsProvider.create(Mono.fromSupplier(() ->
                                new ExpiringCredentials(temporary, Instant.now().plusSeconds(3600)))))
                        .build()) {
            StepVerifier.create(client.call("DescribeStreamIngest", JsonNodeFactory.instance.objectNode()
                            .put("SdkAppId", emulator.sdkAppId()).put("TaskId", "t")))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(WAIT);
            assertThat(emulator.requests()).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
        }
    }
}
