package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The receiver's relay reader is supervised: a relay stream that fails or ends is read again after a
 * pause, the outage is logged once, and the listener hears each restart. And closing: on an event
 * loop without blocking, {@code closeLater()} waits for the relay, and close is terminal.
 */
class BackgroundSupervisionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A relay whose n-th read is scripted; publishing fails, so the receiver hands events on locally. */
    private static final class ScriptedRelay implements CallbackRelay {
        final AtomicInteger reads = new AtomicInteger();
        final Sinks.Many<Relayed> live = Sinks.many().multicast().directBestEffort();
        final AtomicBoolean closed = new AtomicBoolean();
        final Sinks.Empty<Void> released = Sinks.empty();

        @Override
        public Mono<Boolean> publish(String deduplicationKey, long sdkAppId, byte[] body, Duration remember) {
            return Mono.error(new IllegalStateException("publishing is down"));
        }

        @Override
        public Flux<Relayed> events() {
            return Flux.defer(() -> switch (reads.incrementAndGet()) {
                case 1 -> Flux.error(new IllegalStateException("the stream broke"));
                case 2 -> Flux.empty(); // ends unexpectedly
                default -> live.asFlux();
            });
        }

        @Override
        public void close() {
            closed.set(true);
        }

        @Override
        public Mono<Void> closeLater() {
            return Mono.defer(() -> {
                close();
                return released.asMono();
            });
        }
    }

    private static byte[] enter(String user, long nowMs) {
        return ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + nowMs + ",\"EventInfo\":{\"RoomId\":\"r\","
                + "\"EventMsTs\":" + nowMs + ",\"UserId\":\"" + user + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void relayReader_whenTheStreamFailsThenEnds_isReadAgain_warnsOnce_andTellsTheListener() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeBy(Duration.ofDays(1)); // a clock past the epoch, for the callbacks' age check
        ScriptedRelay relay = new ScriptedRelay();
        List<BackgroundStatus> heard = new CopyOnWriteArrayList<>();
        CallbackListener listener = new CallbackListener() {
            @Override
            public void onBackgroundRestart(BackgroundStatus status) {
                heard.add(status);
            }
        };
        List<String> users = new CopyOnWriteArrayList<>();
        List<TrtcCallbacks> built = new CopyOnWriteArrayList<>();
        String log = StandardError.during(() -> {
            TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().relay(relay).listener(listener).scheduler(time)
                    .build(); // the first read fails at once
            built.add(callbacks);
            callbacks.events().subscribe(e -> users.add(e.userId()));
            time.advanceTimeBy(Duration.ofMillis(10));
            assertThat(callbacks.backgroundHealth()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("callbacks.relay");
                assertThat(s.state()).isEqualTo(State.RESTARTING);
                assertThat(s.lastError()).contains(IllegalStateException.class.getName());
            });
            time.advanceTimeBy(Duration.ofMillis(200)); // the second read ends at once
            time.advanceTimeBy(Duration.ofSeconds(1)); // the third one lasts
            assertThat(relay.reads).hasValue(3);
            assertThat(callbacks.backgroundHealth().get(0).lastError()).contains("ended");

            relay.live.tryEmitNext(new CallbackRelay.Relayed(1, enter("fromTheFleet", time.now(TimeUnit.MILLISECONDS))));
            time.advanceTimeBy(Duration.ofMillis(10));
            assertThat(users).containsExactly("fromTheFleet");
            assertThat(callbacks.backgroundHealth().get(0).state()).isEqualTo(State.UP);
            assertThat(callbacks.backgroundHealth().get(0).restarts()).isEqualTo(2);
        });
        assertThat(heard).extracting(BackgroundStatus::restarts).containsExactly(1L, 2L);
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("callbacks.relay")).count()).isEqualTo(1);

        TrtcCallbacks callbacks = built.get(0);
        callbacks.close();
        assertThat(relay.closed).isTrue();
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(relay.reads).as("no read after close").hasValue(3);
        assertThat(callbacks.backgroundHealth().get(0).state()).isEqualTo(State.STOPPED);
    }

    @Test
    void close_onANonBlockingThread_doesNotBlock_andIsTerminal() {
        ScriptedRelay relay = new ScriptedRelay();
        relay.reads.set(10); // reads the live stream at once
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().relay(relay).build();
        // BlockHound is installed for every test: a blocking call here would fail the Mono.
        StepVerifier.create(Mono.fromRunnable(callbacks::close).subscribeOn(Schedulers.parallel()))
                .expectComplete().verify(WAIT);
        assertThat(callbacks.isClosed()).isTrue();
        assertThat(relay.closed).isTrue();
        StepVerifier.create(callbacks.events()).expectComplete().verify(WAIT);
        StepVerifier.create(callbacks.bind(HttpServer.create().host("127.0.0.1").port(0)))
                .expectError(TrtcClientClosedException.class).verify(WAIT);
        StepVerifier.create(callbacks.accept(Map.of(), enter("late", System.currentTimeMillis())))
                .assertNext(reply -> assertThat(reply.status()).isEqualTo(503)).expectComplete().verify(WAIT);
    }

    @Test
    void closeLater_onANonBlockingThread_completesWhenTheRelayIsReleased() {
        ScriptedRelay relay = new ScriptedRelay();
        relay.reads.set(10);
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().relay(relay).build();
        StepVerifier.create(callbacks.closeLater().subscribeOn(Schedulers.parallel()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> assertThat(relay.closed).isTrue())
                .then(() -> relay.released.tryEmitEmpty())
                .expectComplete().verify(WAIT);
        assertThat(callbacks.isClosed()).isTrue();
        StepVerifier.create(callbacks.closeLater()).expectComplete().verify(WAIT);
    }

    @Test
    void roomView_close_isNonBlocking_andTerminal() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().build();
        RoomView view = RoomView.of(callbacks);
        StepVerifier.create(view.closeLater().subscribeOn(Schedulers.parallel())).expectComplete().verify(WAIT);
        StepVerifier.create(view.snapshots()).expectError(TrtcClientClosedException.class).verify(WAIT);
        StepVerifier.create(view.changes()).expectComplete().verify(WAIT);
        callbacks.close();
    }
}
