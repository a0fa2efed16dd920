package io.github.trtcreactive.emulator.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.SetUserBlockedRequest;
import io.github.trtcreactive.core.model.Validation;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.Faults;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import reactor.test.StepVerifier;

/**
 * The extension run by JUnit itself (the platform's test kit) on sample test classes: what each
 * test is given, how long emulators live, and what a test sees of the clock, the faults and the
 * request log. The sample classes are nested and named {@code ...Case}, so only the test kit runs them.
 */
class TrtcEmulatorExtensionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** What the sample tests saw, in the order they ran. */
    static final List<Object> SEEN = new ArrayList<>();

    private static Events run(Class<?> sample) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    static DescribeRoomInfoRequest rooms(TrtcEmulator emulator) {
        long now = emulator.clock().instant().getEpochSecond();
        return DescribeRoomInfoRequest.builder().sdkAppId(emulator.sdkAppId()).startTime(now - 60).endTime(now).build();
    }

    private static boolean listening(TrtcEmulator emulator) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", emulator.port()), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @WithTrtcEmulator
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedCase {
        @Test
        @Order(1)
        void first(TrtcEmulator emulator, TrtcAsyncClient client) {
            StepVerifier.create(client.describeRoomInfo(rooms(emulator))).expectNextCount(1).expectComplete().verify(WAIT);
            SEEN.add(emulator);
            SEEN.add(emulator.requests().size());
        }

        @Test
        @Order(2)
        void second(TrtcEmulator emulator, TrtcAsyncClient client) {
            SEEN.add(emulator);
            SEEN.add(emulator.requests().size());
        }
    }

    @Test
    void aClassSharesOneEmulator_itsRequestLogClearedBetweenTests_andClosedAfterTheClass() {
        run(SharedCase.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(2));
        assertThat(SEEN.get(1)).isEqualTo(1);
        assertThat(SEEN.get(3)).as("cleared before the second test").isEqualTo(0);
        assertThat(listening((TrtcEmulator) SEEN.get(0))).as("closed after the class").isFalse();
    }

    @WithTrtcEmulator(perTest = true)
    static class PerTestCase {
        @Test
        void one(TrtcEmulator emulator) {
            SEEN.add(emulator);
            SEEN.add(listening(emulator));
        }

        @Test
        void two(TrtcEmulator emulator) {
            SEEN.add(emulator);
            SEEN.add(listening(emulator));
        }
    }

    @Test
    void perTest_eachTestGetsItsOwnEmulator_closedWhenTheTestEnds() {
        run(PerTestCase.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(2));
        assertThat(SEEN.get(1)).isEqualTo(true);
        assertThat(SEEN.get(3)).isEqualTo(true);
        assertThat(listening((TrtcEmulator) SEEN.get(0))).isFalse();
        assertThat(listening((TrtcEmulator) SEEN.get(2))).isFalse();
    }

    @WithTrtcEmulator(clock = "2026-11-21T00:00:00Z", rateLimits = false)
    static class ClockAndFaultsCase {
        @Test
        void clockAndFaults(TrtcEmulator emulator, TrtcAsyncClient client, EmulatorClock clock, Faults faults) {
            SEEN.add(clock.instant());
            clock.advance(Duration.ofHours(1));
            SEEN.add(emulator.clock().instant());
            // the client signs with the same clock: an hour later its calls are still accepted
            StepVerifier.create(client.describeRoomInfo(rooms(emulator))).expectNextCount(1).expectComplete().verify(WAIT);
            faults.next("DescribeRoomInfo", Fault.serviceError("FailedOperation.Test", "injected"), 1);
            StepVerifier.create(client.describeRoomInfo(rooms(emulator)))
                    .expectErrorSatisfies(e -> SEEN.add(((TrtcServiceException) e).errorCode())).verify(WAIT);
        }
    }

    @Test
    void aFixedClock_isSharedByTheEmulatorAndTheClient_andFaultsAreInjected() {
        run(ClockAndFaultsCase.class).assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(SEEN).containsExactly(Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-21T01:00:00Z"),
                "FailedOperation.Test");
    }

    @WithTrtcEmulator
    static class NoFixedClockCase {
        @Test
        void wantsAClock(EmulatorClock clock) {
        }
    }

    @Test
    void anEmulatorClockWithoutAFixedClock_isRefusedWithTheFix() {
        run(NoFixedClockCase.class).assertStatistics(s -> s.started(1).failed(1)).failed()
                .assertThatEvents().singleElement().satisfies(e -> assertThat(e.getPayload(
                        org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                        .hasMessageContaining("@WithTrtcEmulator(clock = \"2026-01-01T00:00:00Z\")"));
    }

    @WithTrtcEmulator(clock = "yesterday")
    static class BadClockCase {
        @Test
        void never() {
        }
    }

    @Test
    void aClockThatIsNotAnInstant_failsTheClassNamingTheSetting() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadClockCase.class)).execute().containerEvents()
                .failed().assertThatEvents().singleElement().satisfies(e -> assertThat(e.getPayload(
                        org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                        .hasMessageContaining("@WithTrtcEmulator(clock = \"yesterday\") is not an ISO-8601 instant"));
    }

    static class BuiltInCodeCase {
        @RegisterExtension
        static TrtcEmulatorExtension trtc = TrtcEmulatorExtension.builder()
                .emulator(e -> e.sdkAppId(1400000042L))
                .client(c -> c.validation(Validation.DOCUMENTED))
                .build();

        @Test
        void configured(TrtcAsyncClient client) {
            SEEN.add(trtc.emulator().sdkAppId());
            StepVerifier.create(client.setUserBlocked(SetUserBlockedRequest.builder().sdkAppId(1400000042L).roomId(1)
                            .userId("u").isMute(7).build()))
                    .expectErrorSatisfies(e -> SEEN.add(e.getClass()))
                    .verify(WAIT);
            SEEN.add(trtc.client() == client);
        }
    }

    @Test
    void anExtensionBuiltInCode_configuresTheEmulatorAndTheClient() {
        run(BuiltInCodeCase.class).assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(SEEN).containsExactly(1400000042L, TrtcValidationException.class, true);
    }
}
