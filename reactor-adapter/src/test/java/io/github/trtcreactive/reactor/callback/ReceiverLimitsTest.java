package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.reactor.testing.StandardError;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * What {@code serve} bounds before anything is authenticated, over real sockets: time, connections,
 * buffered bytes, oversized bodies. Lower bounds on time are safe on a loaded machine (a timer can
 * fire late, never early); upper bounds carry seconds of margin.
 */
class ReceiverLimitsTest {

    private static final String KEY = "limits1";
    private static final Duration MARGIN = Duration.ofSeconds(4);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private TrtcCallbacks receiver(TrtcCallbacksBuilder builder) {
        TrtcCallbacks callbacks = builder.key(KEY).build();
        closing.add(callbacks);
        return callbacks;
    }

    private int serve(TrtcCallbacks callbacks) {
        DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
        closing.add(server::disposeNow);
        return server.port();
    }

    private RawHttp connect(int port) throws IOException {
        RawHttp raw = RawHttp.connect(port);
        closing.add(raw);
        return raw;
    }

    private static String event(String user) {
        return "{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + System.currentTimeMillis()
                + ",\"EventInfo\":{\"RoomId\":\"r\",\"EventMsTs\":" + System.nanoTime() + ",\"UserId\":\"" + user + "\"}}";
    }

    private static String signedRequest(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.head("Content-Type: application/json", "Content-Length: " + bytes.length,
                "Sign: " + CallbackSignature.sign(KEY, bytes)) + body;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void serve_closesAConnectionThatSendsNothing_orTricklesItsHeaders_atTheReadTimeout_quietly() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().readTimeout(Duration.ofSeconds(1)));
        int port = serve(callbacks);
        String log = StandardError.during(() -> {
            try {
                slowPeers(callbacks, port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(log.lines()
                        .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
                .as("a slow peer is not worth a log line above DEBUG").isEmpty();
    }

    private void slowPeers(TrtcCallbacks callbacks, int port) throws IOException {
        RawHttp silent = connect(port);
        RawHttp trickle = connect(port).write("POST / HTTP/1.1\r\n");
        long start = System.nanoTime();

        Duration trickled = null;
        for (int line = 0; trickled == null && line < 40; line++) {
            try {
                trickle.write("X-Slow-" + line + ": 1\r\n");
            } catch (IOException closed) {
                trickled = Duration.ofNanos(System.nanoTime() - start);
                break;
            }
            trickled = trickle.awaitClose(Duration.ofMillis(250));
            if (trickled != null) {
                trickled = Duration.ofNanos(System.nanoTime() - start);
            }
        }
        assertThat(trickled).as("a header line every 250 ms does not keep the connection").isNotNull()
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(1).plus(MARGIN));
        Duration quiet = silent.awaitClose(MARGIN);
        assertThat(quiet).as("a connection that sends nothing").isNotNull();
        assertThat(callbacks.closedConnectionCount()).isEqualTo(2);
    }

    @Test
    void serve_keepsAnAnsweredConnection_pastTheReadTimeout_andClosesItAtTheIdleTimeout() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().readTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(3)));
        RawHttp raw = connect(serve(callbacks));

        RawHttp.Response first = raw.write(signedRequest(event("a"))).read(MARGIN);
        assertThat(first.status()).isEqualTo(200);
        long answered = System.nanoTime();
        // Still open past the read timeout: a second request on it is answered.
        assertThat(raw.awaitClose(Duration.ofMillis(1500))).isNull();
        assertThat(raw.write(signedRequest(event("b"))).read(MARGIN).status()).isEqualTo(200);
        answered = System.nanoTime();
        Duration idle = raw.awaitClose(Duration.ofSeconds(3).plus(MARGIN));
        assertThat(idle).as("closed at the idle timeout").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }

    @Test
    void serve_closesConnectionsBeyondMaxConnections_atOnce_andTakesNewOnesWhenSomeClose() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().maxConnections(3)
                .readTimeout(Duration.ofSeconds(60)));
        int port = serve(callbacks);
        List<RawHttp> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(connect(port));
        }
        await(() -> callbacks.openConnectionCount() == 3, "three connections open");

        RawHttp beyond = connect(port);
        assertThat(beyond.awaitClose(MARGIN)).as("the fourth is closed at once").isNotNull();
        assertThat(callbacks.closedConnectionCount()).isEqualTo(1);

        held.get(0).close();
        await(() -> callbacks.openConnectionCount() == 2, "one closed");
        assertThat(connect(port).write(signedRequest(event("c"))).read(MARGIN).status()).isEqualTo(200);
    }

    @Test
    void serve_boundsTheBytesOfBodiesBeingRead_with503BeforeReading_andFreesThemWhenStalledOnesClose()
            throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().maxBodySize(1024).maxBufferedBytes(2048)
                .readTimeout(Duration.ofSeconds(2)));
        int port = serve(callbacks);
        // Headers alone hold nothing: the budget counts bytes received, not bytes declared.
        RawHttp declaredOnly = connect(port).write(RawHttp.head("Content-Length: 1024"));
        // One stalls with 1,000 of a declared 1,024 bytes; one sends a chunked body under a second
        // Transfer-Encoding header (first "foo"), which still counts as chunked and against the budget.
        List<RawHttp> stalled = new ArrayList<>(List.of(declaredOnly));
        stalled.add(connect(port).write(RawHttp.head("Content-Length: 1024") + "x".repeat(1000)));
        stalled.add(connect(port).write(RawHttp.head("Transfer-Encoding: foo", "Transfer-Encoding: chunked")
                + "3e8\r\n" + "y".repeat(1000)));
        await(() -> callbacks.bufferedBodyBytes() == 2000, "the stalled bodies hold what they sent");

        RawHttp third = connect(port);
        RawHttp.Response refused = third.write(signedRequest(event("d"))).read(MARGIN);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.closes()).as("Connection: close").isTrue();
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(refused.body()).contains("send again later");
        assertThat(third.awaitClose(MARGIN)).isNotNull();

        for (RawHttp s : stalled) {
            assertThat(s.awaitClose(Duration.ofSeconds(2).plus(MARGIN))).as("stalled request closed").isNotNull();
        }
        await(() -> callbacks.bufferedBodyBytes() == 0, "the bytes are given back");
        assertThat(connect(port).write(signedRequest(event("e"))).read(MARGIN).status()).isEqualTo(200);
    }

    @Test
    void serve_timesTheNextRequestOnAKeptAliveConnection_evenWhenItCameWithTheEndOfThePreviousOne()
            throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().readTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(30)));
        RawHttp raw = connect(serve(callbacks));
        // A whole request and the start of a chunked one, in one write: the second must arrive whole
        // within the read timeout, not the idle timeout.
        raw.write(signedRequest(event("p")) + RawHttp.head("Transfer-Encoding: chunked") + "64\r\n" + "z".repeat(50));
        assertThat(raw.read(MARGIN).status()).isEqualTo(200);
        assertThat(raw.awaitClose(Duration.ofSeconds(1).plus(MARGIN))).as("closed at the read timeout").isNotNull();
        await(() -> callbacks.bufferedBodyBytes() == 0, "nothing left held");
    }

    @Test
    void serve_answersAMalformedRequestHead_400AndCloses_withoutALogLineAboveDebug() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder());
        int port = serve(callbacks);
        String log = StandardError.during(() -> {
            try {
                for (String head : List.of(RawHttp.head("Content-Length: 5", "Content-Length: 6"),
                        RawHttp.head("Content-Length: +5"), "POST / HTTP/1.1\r\nHost: x\r\n folded: y\r\n\r\n")) {
                    RawHttp raw = connect(port).write(head + "hello");
                    RawHttp.Response bad = raw.read(MARGIN);
                    assertThat(bad.status()).as(head).isEqualTo(400);
                    assertThat(bad.closes()).isTrue();
                    assertThat(raw.awaitClose(MARGIN)).isNotNull();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))).isEmpty();
    }

    @Test
    void serve_refusesTheConnectionsOfAServerThatAggregatesRequests_sayingSoOnce() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder());
        HttpServer aggregating = HttpServer.create().host("127.0.0.1").port(0).doOnChannelInit((observer, channel, a) ->
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "aggregator", new HttpObjectAggregator(1 << 24)));
        String log = StandardError.during(() -> {
            DisposableServer server = callbacks.serve(aggregating);
            closing.add(server::disposeNow);
            try {
                for (int i = 0; i < 2; i++) {
                    assertThat(connect(server.port()).awaitClose(MARGIN)).as("refused").isNotNull();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(log.lines().filter(l -> l.contains(" WARN "))).singleElement().asString()
                .contains("aggregates requests");
    }

    @Test
    void serve_answersAnOversizedRequest_413WithConnectionClose_andStopsReadingIt() throws IOException {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder());
        int port = serve(callbacks);
        byte[] chunk = new byte[64 * 1024];

        RawHttp declared = connect(port).write(RawHttp.head("Content-Length: 1073741824"));
        RawHttp.Response tooLarge = declared.read(MARGIN);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.closes()).isTrue();
        long written = declared.writeUntilClosed(chunk, Duration.ofSeconds(15));
        assertThat(written).as("bytes the client could write before the server closed (-1: never closed)")
                .isBetween(0L, 32L * 1024 * 1024);

        RawHttp chunked = connect(port).write(RawHttp.head("Transfer-Encoding: chunked"));
        String hexSize = Integer.toHexString(chunk.length);
        byte[] framed = new byte[hexSize.length() + 2 + chunk.length + 2];
        System.arraycopy((hexSize + "\r\n").getBytes(StandardCharsets.US_ASCII), 0, framed, 0, hexSize.length() + 2);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        long chunkedWritten = chunked.writeUntilClosed(framed, Duration.ofSeconds(15));
        assertThat(chunkedWritten).as("an endless chunked body, cut at the body limit").isBetween(0L, 32L * 1024 * 1024);
        assertThat(callbacks.rejectedCount()).isEqualTo(2);
        await(() -> callbacks.bufferedBodyBytes() == 0, "nothing left reserved");
    }

    @Test
    void serve_refusals_reachAClientThatSendsItsWholeBodyAtOnce() {
        TrtcCallbacks callbacks = receiver(TrtcCallbacks.builder().maxBodySize(8192));
        int port = serve(callbacks);
        HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + port);
        byte[] small = new byte[4096];
        byte[] large = new byte[256 * 1024];
        // Answered before the body is read, then closed: the answer must not be lost to a reset.
        List<Integer> statuses = Flux.range(0, 200)
                .concatMap(i -> http.post().uri(i % 2 == 0 ? "/elsewhere" : "/")
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(i % 2 == 0 ? small : large)))
                        .responseSingle((res, body) -> Mono.just(res.status().code())))
                .collectList().block(Duration.ofMinutes(2));
        assertThat(statuses).hasSize(200);
        for (int i = 0; i < statuses.size(); i++) {
            assertThat(statuses.get(i)).as("request %d", i).isEqualTo(i % 2 == 0 ? 404 : 413);
        }
    }
}
