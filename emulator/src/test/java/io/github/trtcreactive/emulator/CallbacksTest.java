package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.callback.CallbackSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** The callbacks the emulator posts: their style, signature, headers, content and retries, over real sockets. */
class CallbacksTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "123654";

    /** One request the capture server received. */
    record Received(Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }

        int type() {
            return json().path("EventType").asInt();
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private DisposableServer capture;
    private TrtcEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        if (capture != null) {
            capture.disposeNow();
        }
    }

    /** A receiver that records every request and answers 200, or 500 while {@link #failFirst} lasts. */
    private URI startCapture() {
        capture = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                            req.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
                            if (failFirst.getAndDecrement() > 0) {
                                return res.status(500).send().then();
                            }
                            received.add(new Received(headers, body));
                            return res.status(200).sendString(Mono.just("{\"code\":0}")).then();
                        }))
                .bindNow();
        return URI.create("http://127.0.0.1:" + capture.port() + "/callbacks");
    }

    private static void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(20)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete().verify(WAIT);
    }

    private List<Integer> types() {
        return received.stream().map(Received::type).toList();
    }

    @Test
    void bodiesAreWrittenInTheServicesTabStyle_byteForByte() throws Exception {
        String vector = "{\n" + "\t\"EventGroupId\":\t2,\n" + "\t\"EventType\":\t204,\n"
                + "\t\"CallbackTs\":\t1664209748188,\n" + "\t\"EventInfo\":\t{\n" + "\t\t\"RoomId\":\t8489,\n"
                + "\t\t\"EventTs\":\t1664209748,\n" + "\t\t\"EventMsTs\":\t1664209748180,\n"
                + "\t\t\"UserId\":\t\"user_85034614\",\n" + "\t\t\"Reason\":\t0\n" + "\t}\n" + "}";
        byte[] written = CallbackJson.write(JSON.readTree(vector));
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(vector);
        assertThat(CallbackSignature.sign(KEY, written)).isEqualTo("kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=");
    }

    @Test
    void roomAndRecordingEvents_signedOverTheBytesSent_withTheDocumentedHeaders() {
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(start)).rateLimits(false)
                .callbacks(startCapture(), KEY).start();
        RawClient client = new RawClient(emulator);
        String sig = emulator.userSigs().generate("robot", Duration.ofHours(1));

        emulator.rooms().join(42, "alice");
        await(() -> received.size() >= 4);
        assertThat(types()).containsExactly(101, 103, 201, 203);
        Received created = received.get(0);
        assertThat(created.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("SdkAppId", "1400000001");
        assertThat(created.headers().get("Sign")).isEqualTo(CallbackSignature.sign(KEY, created.body()));
        assertThat(new String(created.body(), StandardCharsets.UTF_8)).startsWith("{\n\t\"EventGroupId\":\t1,\n");
        assertThat(created.json().path("EventInfo").path("RoomId").isNumber()).as("a numeric room").isTrue();
        assertThat(created.json().path("EventInfo").path("EventMsTs").asLong()).isEqualTo(start.toEpochMilli());

        String task = client.ok("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"rec\",\"RoomIdType\":0,"
                + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":2},"
                + "\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{}}}}").get("TaskId").asText();
        emulator.rooms().join("rec", "bob");
        await(() -> received.size() >= 8);
        emulator.clock().advance(Duration.ofSeconds(1));
        await(() -> types().contains(301));
        Received recorderUp = received.stream().filter(r -> r.type() == 301).findFirst().orElseThrow();
        assertThat(recorderUp.json().path("EventInfo").path("TaskId").asText()).isEqualTo(task);
        assertThat(recorderUp.json().path("EventInfo").path("UserId").asText()).isEqualTo("robot");
        assertThat(recorderUp.json().path("EventInfo").path("RoomId").asText()).isEqualTo("rec");
        assertThat(recorderUp.json().path("EventInfo").path("Payload").path("Status").asInt()).isZero();

        client.ok("DeleteCloudRecording", "{\"SdkAppId\":1400000001,\"TaskId\":\"" + task + "\"}");
        await(() -> types().contains(312));
        List<Received> end = received.stream().filter(r -> r.type() >= 302 && r.type() <= 312).toList();
        assertThat(end).extracting(Received::type).containsExactly(302, 311, 312);
        assertThat(end.get(0).json().path("EventInfo").path("Payload").path("LeaveCode").asInt()).as("stopped").isZero();
        assertThat(end.get(1).json().path("EventInfo").path("Payload").path("TencentVod").path("VideoUrl").asText())
                .startsWith("https://");
        received.forEach(r -> assertThat(r.headers().get("Sign")).isEqualTo(CallbackSignature.sign(KEY, r.body())));

        emulator.rooms().leave(42, "alice");
        await(() -> types().contains(102));
        assertThat(types().subList(types().size() - 2, types().size())).containsExactly(104, 102);
        // The capture server records a request before its answer reaches the emulator, which counts it then.
        await(() -> emulator.callbacksSent() == received.size());
        assertThat(emulator.callbacksGivenUp()).isZero();
    }

    @Test
    void aFailedCallbackIsRetriedAtOnce_thenEveryTenSeconds_andEachTaskFamilyReportsItsLifecycle() {
        failFirst.set(2); // the first attempt and the immediate retry fail; the one 10 s later succeeds
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false)
                .streamMediaLength(Duration.ofSeconds(5)).callbacks(startCapture(), null).start();
        RawClient client = new RawClient(emulator);
        String ingest = client.ok("StartStreamIngest", "{\"SdkAppId\":1400000001,\"RoomId\":\"live\",\"RoomIdType\":0,"
                + "\"UserId\":\"puller\",\"UserSig\":\"" + emulator.userSigs().generate("puller", Duration.ofHours(1))
                + "\",\"StreamUrl\":\"https://example.invalid/a.mp4\"}").get("TaskId").asText();
        long started = System.nanoTime();
        await(() -> types().contains(701));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMs).as("delivered by the retry 10 s after the immediate one").isBetween(9_000L, 15_000L);
        assertThat(emulator.callbacksRetried()).isEqualTo(2);
        Received up = received.get(0);
        assertThat(up.headers()).doesNotContainKey("Sign");
        assertThat(up.json().has("CallbackMsTs")).as("stream ingest's envelope field").isTrue();
        assertThat(up.json().path("EventInfo").path("TaskId").asText()).isEqualTo(ingest);

        emulator.clock().advance(Duration.ofSeconds(6)); // the stream plays to its end
        await(() -> types().contains(702));
    }

    @Test
    void theCallbackUrlAndKey_areChecked() {
        assertThatThrownBy(() -> TrtcEmulator.builder().callbacks(URI.create("ftp://x/"), null))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> TrtcEmulator.builder().callbacks(URI.create("http://127.0.0.1:1/"), "bad key!"))
                .hasMessageContaining("letters and digits").hasMessageNotContaining("bad key!");
    }
}
