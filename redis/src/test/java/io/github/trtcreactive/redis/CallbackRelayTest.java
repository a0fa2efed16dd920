package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * Two receiver processes sharing events through the Redis relay: the emulator posts to one, both
 * see every event once, and a retry that reaches the other is not seen twice.
 */
class CallbackRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = "relayKey7";

    /** A receiver process and the lines it printed. */
    private record Receiver(Process process, int port, List<String> events) {}

    private static Receiver start(RedisProcess redis) throws Exception {
        Process process = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), RelayProcess.class.getName(), redis.uri(), KEY)
                .redirectErrorStream(true).start();
        List<String> events = new CopyOnWriteArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        for (String line; (line = out.readLine()) != null; ) { // the test thread reads the child's start-up
            if (line.startsWith("LISTENING ")) {
                port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
                break;
            }
        }
        assertThat(port).as("the receiver process started").isPositive();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("EVENT ")) {
                        events.add(line.substring("EVENT ".length()));
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "relay-process-output");
        reader.setDaemon(true);
        reader.start();
        return new Receiver(process, port, events);
    }

    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(50)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void twoReceiverProcesses_seeEveryEventOnce_andARetryReachingTheOtherIsNotSeenTwice() throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        try (RedisProcess redis = RedisProcess.start()) {
            receivers.add(start(redis));
            receivers.add(start(redis));
            Receiver a = receivers.get(0);
            Receiver b = receivers.get(1);
            try (TrtcEmulator emulator = TrtcEmulator.builder()
                    .callbacks(URI.create("http://127.0.0.1:" + a.port() + "/"), KEY).start()) {
                emulator.rooms().join("relay-room", "alice", "bob");
                await(() -> a.events().size() >= 7 && b.events().size() >= 7); // 101, then 103, 201, 203 twice
                emulator.rooms().leave("relay-room", "alice");
                await(() -> a.events().size() >= 8 && b.events().size() >= 8);
                // The relayed event can reach both processes before the answer reaches the emulator.
                await(() -> emulator.callbacksSent() == 8);
            }

            // The service retries an event it thinks failed; the retry lands on the other instance.
            String body = "{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t103,\n\t\"CallbackTs\":\t"
                    + System.currentTimeMillis() + ",\n\t\"EventInfo\":\t{\n"
                    + "\t\t\"RoomId\":\t\"r\",\n\t\t\"EventMsTs\":\t1000,\n\t\t\"UserId\":\t\"carol\"\n\t}\n}";
            for (Receiver target : List.of(a, b)) {
                StepVerifier.create(HttpClient.create().headers(h -> h.set("Sign", CallbackSignature.sign(KEY,
                                        body.getBytes(StandardCharsets.UTF_8))).set("SdkAppId", "1400000001"))
                                .post().uri("http://127.0.0.1:" + target.port() + "/")
                                .send(ByteBufFlux.fromString(Mono.just(body)))
                                .responseSingle((res, content) -> Mono.just(res.status().code())))
                        .expectNext(200).expectComplete().verify(WAIT);
            }
            await(() -> a.events().size() >= 9 && b.events().size() >= 9);
            Thread.sleep(1000); // the test thread gives a second copy, if any, time to show
            for (Receiver r : receivers) {
                Map<String, Long> copies = r.events().stream().collect(Collectors.groupingBy(e -> e, Collectors.counting()));
                assertThat(copies.values()).as("each event once").allSatisfy(n -> assertThat(n).isEqualTo(1));
                assertThat(r.events()).hasSize(9);
                assertThat(r.events().stream().map(e -> e.split(" ")[0]).toList())
                        .containsExactlyInAnyOrder("101", "103", "201", "203", "103", "201", "203", "104", "103");
            }
            assertThat(a.events()).containsExactlyInAnyOrderElementsOf(b.events());
        } finally {
            receivers.forEach(r -> r.process().destroyForcibly());
        }
    }

    @Test
    void whenRedisIsDown_theReceiverStillHandsEventsOnLocally_andReadsTheStreamAgainWhenItIsBack() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            io.github.trtcreactive.reactor.callback.TrtcCallbacks callbacks = io.github.trtcreactive.reactor.callback
                    .TrtcCallbacks.builder().unsigned().relay(RedisCallbackRelay.connect(redis.uri(), "down-test", 10_000))
                    .relayTimeout(Duration.ofMillis(500)).build();
            List<String> users = new CopyOnWriteArrayList<>();
            reactor.core.Disposable subscription = callbacks.events().subscribe(e -> users.add(e.userId()));
            try {
                Thread.sleep(300); // the test thread lets the relay start reading
                assertThat(callbacks.accept(Map.of(), enter("before", 1)).block(WAIT).status()).isEqualTo(200);
                await(() -> users.contains("before"));

                redis.kill();
                assertThat(callbacks.accept(Map.of(), enter("during", 2)).block(WAIT).status()).isEqualTo(200);
                await(() -> users.contains("during"));

                redis.startAgain();
                // The service would retry until the relay answers again; the test thread does the same.
                long until = System.nanoTime() + WAIT.toNanos();
                while (!users.contains("after") && System.nanoTime() < until) {
                    assertThat(callbacks.accept(Map.of(), enter("after", 3)).block(WAIT).status()).isEqualTo(200);
                    Thread.sleep(100);
                }
                assertThat(users).containsExactly("before", "during", "after");

                // Another instance publishes: this one reads the stream again.
                try (RedisCallbackRelay other = RedisCallbackRelay.connect(redis.uri(), "down-test", 10_000)) {
                    byte[] body = enter("fromTheFleet", 4);
                    assertThat(other.publish(io.github.trtcreactive.core.callback.CallbackEvent.parse(body, 0,
                            java.time.Instant.EPOCH).deduplicationKey(), 0, body, Duration.ofMinutes(11)).block(WAIT)).isTrue();
                    await(() -> users.contains("fromTheFleet"));
                }
            } finally {
                subscription.dispose();
                callbacks.close();
            }
        }
    }

    @Test
    void anEmptyOrBlankKeyPrefix_isRefused_beforeConnecting() {
        for (String prefix : new String[] {"", "  "}) {
            assertThatThrownBy(
                    () -> RedisCallbackRelay.connect("redis://127.0.0.1:1", prefix, 10_000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        }
    }

    private static byte[] enter(String user, long ms) {
        return ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + (System.currentTimeMillis() + ms)
                + ",\"EventInfo\":{\"RoomId\":\"r\","
                + "\"EventMsTs\":" + ms + ",\"UserId\":\"" + user + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
