package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.callback.CallbackDetails;
import io.github.trtcreactive.core.callback.CallbackEventType;
import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.reactor.testing.Races;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;


/** The receiver's protocol through {@code accept}, and over real sockets through {@code serve}. */
class TrtcCallbacksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "123654";
    /** The documentation's signed example (event 204), byte for byte. */
    private static final String VECTOR = "{\n" + "\t\"EventGroupId\":\t2,\n" + "\t\"EventType\":\t204,\n"
            + "\t\"CallbackTs\":\t1664209748188,\n" + "\t\"EventInfo\":\t{\n" + "\t\t\"RoomId\":\t8489,\n"
            + "\t\t\"EventTs\":\t1664209748,\n" + "\t\t\"EventMsTs\":\t1664209748180,\n"
            + "\t\t\"UserId\":\t\"user_85034614\",\n" + "\t\t\"Reason\":\t0\n" + "\t}\n" + "}";
    private static final String VECTOR_SIGN = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";

    private final List<Disposable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        closing.forEach(Disposable::dispose);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> signed(String body) {
        return Map.of("Content-Type", "application/json", "Sign", CallbackSignature.sign(KEY, bytes(body)),
                "SdkAppId", "1400000001");
    }

    /** Now, when the class loads: callbacks are stamped a little after it, as fresh ones are. */
    private static final long NOW = System.currentTimeMillis();

    /** An entry event sent {@code sentAfter} ms after {@link #NOW}. */
    private static String enter(String user, long ms, long sentAfter) {
        return "{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t103,\n\t\"CallbackTs\":\t" + (NOW + sentAfter) + ",\n\t\"EventInfo\":\t{\n"
                + "\t\t\"RoomId\":\t\"room-1\",\n\t\t\"EventMsTs\":\t" + ms + ",\n\t\t\"UserId\":\t\"" + user + "\"\n\t}\n}";
    }

    @Test
    void theDocumentedSignedEvent_isAcceptedAndEmitted_withItsEnvelope() {
        // The example is from 2022: the age check is off for it (CallbackFreshnessTest covers the check).
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).maxEventAge(null).build();
        StepVerifier.create(callbacks.events().take(1))
                .then(() -> StepVerifier.create(callbacks.accept(Map.of("sign", VECTOR_SIGN, "SDKAPPID", "1400000001"),
                        bytes(VECTOR))).expectNext(new CallbackReply(200, "{\"code\":0}")).expectComplete().verify(WAIT))
                .assertNext(e -> {
                    assertThat(e.groupId()).isEqualTo(2);
                    assertThat(e.type()).isEqualTo(204);
                    assertThat(e.eventType()).contains(CallbackEventType.STOP_AUDIO);
                    assertThat(e.sdkAppId()).isEqualTo(1400000001L);
                    assertThat(e.roomId()).isEqualTo("8489");
                    assertThat(e.taskId()).isNull();
                    assertThat(e.eventTime()).isEqualTo(Instant.ofEpochMilli(1664209748180L));
                    assertThat(e.json().path("EventInfo").path("UserId").asText()).isEqualTo("user_85034614");
                    assertThat(e.details()).isInstanceOf(CallbackDetails.Room.class);
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(callbacks.acceptedCount()).isEqualTo(1);
        assertThat(callbacks.toString()).doesNotContain(KEY);
    }

    @Test
    void badMissingOrReSerialisedSignatures_getA401AndNoEvent() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        List<TrtcEvent> events = new CopyOnWriteArrayList<>();
        closing.add(callbacks.events().subscribe(events::add));
        String compact = "{\"EventGroupId\":2,\"EventType\":204,\"CallbackTs\":1664209748188,\"EventInfo\":{\"RoomId\":8489,"
                + "\"EventTs\":1664209748,\"EventMsTs\":1664209748180,\"UserId\":\"user_85034614\",\"Reason\":0}}";

        assertThat(callbacks.accept(Map.of("Sign", VECTOR_SIGN), bytes(compact)).block(WAIT).status()).isEqualTo(401);
        assertThat(callbacks.accept(Map.of(), bytes(VECTOR)).block(WAIT)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).contains("missing Sign").doesNotContain(KEY);
        });
        assertThat(callbacks.accept(Map.of("Sign", "AAAA" + VECTOR_SIGN.substring(4)), bytes(VECTOR)).block(WAIT).body())
                .contains("bad signature").doesNotContain(VECTOR_SIGN);
        assertThat(callbacks.rejectedCount()).isEqualTo(3);
        assertThat(events).isEmpty();

        // Unsigned, chosen explicitly (the console's key is optional), nothing is verified.
        TrtcCallbacks open = TrtcCallbacks.builder().unsigned().maxEventAge(null).build();
        assertThat(open.accept(Map.of(), bytes(compact)).block(WAIT).status()).isEqualTo(200);
    }

    @Test
    void emptyOversizedAndMalformedBodies_areRefused_afterTheSignatureCheck() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).maxBodySize(1024).build();
        String notJson = "{\"EventGroupId\":4,\"EventInfo\":{\"Payload\":{\"Url\":\"rtmp://x\" \"Status\":2}}}";
        String big = enter("x".repeat(2000), 1, 1);

        assertThat(callbacks.accept(Map.of(), new byte[0]).block(WAIT).status()).isEqualTo(400);
        assertThat(callbacks.accept(signed(big), bytes(big)).block(WAIT).status()).isEqualTo(413);
        assertThat(callbacks.accept(Map.of("Sign", "x"), bytes(notJson)).block(WAIT).status()).as("unsigned first")
                .isEqualTo(401);
        assertThat(callbacks.accept(signed(notJson), bytes(notJson)).block(WAIT)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("not JSON");
        });
    }

    @Test
    void aRetriedEvent_isAnsweredButEmittedOnce_evenWithAnotherCallbackTs() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        List<TrtcEvent> events = new CopyOnWriteArrayList<>();
        closing.add(callbacks.events().subscribe(events::add));

        for (String body : List.of(enter("alice", 1000, 1001), enter("alice", 1000, 11001), enter("alice", 1000, 21001),
                enter("bob", 1000, 1001))) {
            assertThat(callbacks.accept(signed(body), bytes(body)).block(WAIT).status()).isEqualTo(200);
        }
        StepVerifier.create(Flux.interval(Duration.ofMillis(5)).filter(i -> events.size() >= 2).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(events).extracting(TrtcEvent::userId).containsExactly("alice", "bob");
        assertThat(callbacks.duplicateCount()).isEqualTo(2);
    }

    @Test
    void eventsBeforeTheFirstSubscriber_areKept_andAFullBufferIsA503ThatARetryGetsPast() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).bufferSize(8).build();
        for (int i = 0; i < 8; i++) {
            String body = enter("u" + i, i, i);
            assertThat(callbacks.accept(signed(body), bytes(body)).block(WAIT).status()).isEqualTo(200);
        }
        String last = enter("last", 99, 99);
        assertThat(callbacks.accept(signed(last), bytes(last)).block(WAIT)).satisfies(r -> {
            assertThat(r.status()).as("the start-up buffer is full").isEqualTo(503);
            assertThat(r.body()).contains("buffer is full");
        });

        StepVerifier.create(callbacks.events().map(TrtcEvent::userId).take(9))
                .expectNext("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7")
                .then(() -> assertThat(callbacks.accept(signed(last), bytes(last)).block(WAIT).status())
                        .as("the service's retry").isEqualTo(200))
                .expectNext("last")
                .expectComplete()
                .verify(WAIT);
        assertThatThrownBy(() -> TrtcCallbacks.builder().bufferSize(100)).hasMessageContaining("power of two");
    }

    @Test
    void close_endsTheEvents_andLaterRequestsAre503() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().build();
        String a = enter("a", 1, 1);
        StepVerifier.create(callbacks.events())
                .then(() -> callbacks.accept(Map.of(), bytes(a)).block(WAIT))
                .expectNextCount(1)
                .then(callbacks::close)
                .expectComplete()
                .verify(WAIT);
        assertThat(callbacks.accept(Map.of(), bytes(a)).block(WAIT).status()).isEqualTo(503);
    }

    @Test
    void serve_answersOverRealSockets_onlyPostsToItsPath_andCapsTheBody() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).path("/trtc").maxBodySize(4096).build();
        List<TrtcEvent> events = new CopyOnWriteArrayList<>();
        closing.add(callbacks.events().subscribe(events::add));
        DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
        closing.add(server);
        HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
        String body = enter("carol", 5, 5);

        StepVerifier.create(http.headers(h -> signed(body).forEach(h::set)).post().uri("/trtc")
                        .send(ByteBufFlux.fromString(Mono.just(body))).responseSingle((res, content) ->
                                content.asString().map(s -> res.status().code() + " " + s)))
                .expectNext("200 {\"code\":0}").expectComplete().verify(WAIT);
        StepVerifier.create(http.get().uri("/trtc").responseSingle((res, content) -> Mono.just(res.status().code())))
                .expectNext(405).expectComplete().verify(WAIT);
        StepVerifier.create(http.headers(h -> signed(body).forEach(h::set)).post().uri("/elsewhere")
                        .send(ByteBufFlux.fromString(Mono.just(body))).responseSingle((res, c) -> Mono.just(res.status().code())))
                .expectNext(404).expectComplete().verify(WAIT);
        // A chunked body (no Content-Length) that grows past the cap is cut off while it is read.
        StepVerifier.create(http.headers(h -> h.set("Sign", "x")).post().uri("/trtc")
                        .send(ByteBufFlux.fromString(Flux.range(0, 20).map(i -> "x".repeat(1000))))
                        .responseSingle((res, c) -> Mono.just(res.status().code())))
                .expectNext(413).expectComplete().verify(WAIT);

        assertThat(events).extracting(TrtcEvent::userId).containsExactly("carol");
    }

    @Test
    void build_withoutAKey_failsClosed_andServingUnsignedWarnsOnce() {
        assertThatThrownBy(() -> TrtcCallbacks.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key(...)").hasMessageContaining("unsigned()");
        assertThatThrownBy(() -> TrtcCallbacks.builder().key(KEY).unsigned().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");

        TrtcCallbacks unsigned = TrtcCallbacks.builder().unsigned().build();
        String log = StandardError.during(() -> {
            closing.add(unsigned.serve(HttpServer.create().host("127.0.0.1").port(0)));
            closing.add(unsigned.serve(HttpServer.create().host("127.0.0.1").port(0)));
        });
        assertThat(log.lines().filter(l -> l.contains(" WARN ")))
                .singleElement().asString().contains("accepts unsigned events").contains("anyone");
        assertThat(unsigned.toString()).contains("key=none (unsigned)");
        assertThat(TrtcCallbacks.builder().key(KEY).build().toString()).contains("key=set").doesNotContain(KEY);
    }

    @Test
    void accept_racingOnEventLoops_emitsEveryEventOnce_andTwinsOnce() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        List<String> users = new CopyOnWriteArrayList<>();
        closing.add(callbacks.events().subscribe(e -> users.add(e.userId())));
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        int rounds = 2000;
        for (int i = 0; i < rounds; i++) {
            String a = enter("a" + i, i, i);
            String b = enter("b" + i, i, i);
            String twin = enter("twin" + i, i, i);
            // Non-blocking threads: BlockHound watches every emission here.
            Races.race(
                    () -> callbacks.accept(signed(a), bytes(a)).subscribe(r -> statuses.add(r.status())),
                    () -> callbacks.accept(signed(b), bytes(b)).subscribe(r -> statuses.add(r.status())),
                    () -> callbacks.accept(signed(twin), bytes(twin)).subscribe(r -> statuses.add(r.status())),
                    () -> callbacks.accept(signed(twin), bytes(twin)).subscribe(r -> statuses.add(r.status())));
        }
        StepVerifier.create(Flux.interval(Duration.ofMillis(5)).filter(i -> users.size() >= 3 * rounds).next())
                .expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(statuses).hasSize(4 * rounds).allSatisfy(st -> assertThat(st).isIn(200, 503));
        assertThat(statuses.stream().filter(st -> st == 503)).as("only a twin in flight is told to come back")
                .hasSizeLessThanOrEqualTo(rounds);
        assertThat(users).hasSize(3 * rounds).doesNotHaveDuplicates();
        assertThat(callbacks.acceptedCount()).isEqualTo(3L * rounds);
    }

    @Test
    void aReplayUnderAnotherSdkAppIdHeader_isTheSameEvent_andAPinnedApplicationRefusesOthers() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        List<TrtcEvent> events = new CopyOnWriteArrayList<>();
        closing.add(callbacks.events().subscribe(events::add));
        String body = enter("mallory", 1, 1);
        String sign = CallbackSignature.sign(KEY, bytes(body));
        for (String app : List.of("1400000001", "1400000002", "7", "x")) {
            assertThat(callbacks.accept(Map.of("Sign", sign, "SdkAppId", app), bytes(body)).block(WAIT).status())
                    .isEqualTo(200);
        }
        assertThat(callbacks.accept(Map.of("Sign", sign), bytes(body)).block(WAIT).status()).isEqualTo(200);
        assertThat(callbacks.acceptedCount()).as("the header is not signed: one event").isEqualTo(1);
        assertThat(callbacks.duplicateCount()).isEqualTo(4);

        TrtcCallbacks pinned = TrtcCallbacks.builder().key(KEY).sdkAppId(1400000001L).build();
        assertThat(pinned.accept(Map.of("Sign", sign, "SdkAppId", "1400000002"), bytes(body)).block(WAIT))
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.body()).contains("SdkAppId");
                });
        assertThat(pinned.accept(Map.of("Sign", sign), bytes(body)).block(WAIT).status()).isEqualTo(401);
        assertThat(pinned.accept(Map.of("Sign", sign, "SdkAppId", "1400000001"), bytes(body)).block(WAIT).status())
                .isEqualTo(200);
    }
}
