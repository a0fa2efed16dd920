package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.auth.Credentials;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * Whatever arrives, the emulator stays bounded: oversized and unauthenticated requests keep
 * nothing, the request log is a ring, ended tasks are forgotten, idle and slow connections are
 * closed; and a signed call still succeeds afterwards.
 */
class BoundedResourcesTest {

    private static final String DESCRIBE_INGEST = "{\"SdkAppId\":1400000001,\"TaskId\":\"t\"}";

    private TrtcEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Posts raw bytes without a signature; returns the status and body. */
    private RawClient.Reply unsigned(String action, Flux<byte[]> body, boolean chunked) {
        return HttpClient.create()
                .headers(h -> {
                    h.set("Content-Type", TrtcApi.CONTENT_TYPE).set("X-TC-Action", action);
                    if (chunked) {
                        h.set("Transfer-Encoding", "chunked");
                    }
                })
                .post().uri(emulator.uri() + "/")
                .send(body.map(io.netty.buffer.Unpooled::wrappedBuffer))
                .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new RawClient.Reply(r.status().code(), text)))
                // The server may answer and close while the body is still being sent: no reply then.
                .onErrorResume(reactor.netty.http.client.PrematureCloseException.class, e -> Mono.empty())
                .block(Duration.ofSeconds(30));
    }

    @Test
    void abusiveRequests_keepNothing_andASignedCallStillSucceeds() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        RawClient client = new RawClient(emulator);
        client.ok("DescribeStreamIngest", DESCRIBE_INGEST);
        long before = usedHeapAfterGc();

        byte[] nineMegabytes = ("{\"SdkAppId\":1400000001,\"Pad\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            RawClient.Reply reply = unsigned("DescribeStreamIngest", Flux.just(nineMegabytes), false);
            assertThat(reply.errorCode()).isEqualTo("AuthFailure.InvalidAuthorization");
        }
        byte[] megabyte = new byte[1024 * 1024];
        Arrays.fill(megabyte, (byte) ' ');
        RawClient.Reply chunked = unsigned("DescribeStreamIngest", Flux.range(0, 40).map(i -> megabyte), true);
        if (chunked != null) {
            assertThat(chunked.errorCode()).as("40 MB chunked, without a length").isEqualTo("RequestSizeLimitExceeded");
        }
        assertThat(emulator.requests("DescribeStreamIngest")).as("refused while reading, recorded without a body")
                .anySatisfy(r -> assertThat(r.errorCode()).isEqualTo("RequestSizeLimitExceeded"));
        for (int i = 0; i < 1000; i++) {
            unsigned("Bogus" + i, Flux.just("{}".getBytes(StandardCharsets.UTF_8)), false);
        }

        assertThat(emulator.arrivals("Bogus7")).as("unauthenticated requests are not counted").isZero();
        assertThat(emulator.requests("DescribeStreamIngest")).filteredOn(r -> r.requestId() != null
                && "AuthFailure.InvalidAuthorization".equals(r.errorCode()))
                .hasSize(3).allSatisfy(r -> assertThat(r.body()).as("recorded without the body").isNull());
        client.ok("DescribeStreamIngest", DESCRIBE_INGEST);
        long after = usedHeapAfterGc();
        assertThat(after - before).as("heap retained after 67 MB of abusive requests and 1,000 unknown actions, bytes")
                .isLessThan(16L * 1024 * 1024);
    }

    @Test
    void theRequestLog_isARing_whileArrivalsStayExact() {
        emulator = TrtcEmulator.builder().rateLimits(false).requestLogSize(50).start();
        java.util.concurrent.atomic.AtomicLong opened = new java.util.concurrent.atomic.AtomicLong();
        reactor.netty.resources.ConnectionProvider pool = reactor.netty.resources.ConnectionProvider.create("ring", 4);
        RawClient client = new RawClient(emulator).with(HttpClient.create(pool)
                .doOnChannelInit((observer, channel, address) -> opened.incrementAndGet()));
        try {
            for (int i = 0; i < 80; i++) {
                client.ok("DescribeStreamIngest", DESCRIBE_INGEST);
            }
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }

        assertThat(emulator.requests()).hasSize(50);
        assertThat(emulator.requestsDropped()).isEqualTo(30);
        assertThat(emulator.arrivals("DescribeStreamIngest")).isEqualTo(80);
        assertThat(emulator.connectionsOpened()).as("TCP connections, as many as the client opened, not 80 exchanges")
                .isEqualTo(opened.get()).isLessThan(80);
    }

    @Test
    void theRequestLog_isBoundedByBytes_byDefault_keepingTheNewest() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        RawClient client = new RawClient(emulator);
        String pad = "x".repeat(1024 * 1024);
        long before = usedHeapAfterGc();
        for (int i = 0; i < 80; i++) {
            client.call("DescribeStreamIngest", "{\"SdkAppId\":1400000001,\"TaskId\":\"t" + i + "\",\"Pad\":\""
                    + pad + "\"}");
        }
        List<RecordedRequest> kept = emulator.requests();
        long retained = kept.stream().mapToLong(RequestLog::weight).sum();
        assertThat(retained).as("estimated heap of the kept requests").isLessThanOrEqualTo(
                TrtcEmulatorBuilder.DEFAULT_REQUEST_LOG_BYTES);
        assertThat(kept).as("80 MiB of signed bodies do not all fit in 64 MiB").hasSizeBetween(40, 64);
        assertThat(kept.get(kept.size() - 1).body().get("TaskId").asText()).as("the newest is kept").isEqualTo("t79");
        assertThat(emulator.requestsDropped()).isEqualTo(80 - kept.size());
        assertThat(usedHeapAfterGc() - before).as("heap retained, bytes")
                .isLessThan(TrtcEmulatorBuilder.DEFAULT_REQUEST_LOG_BYTES + 16L * 1024 * 1024);
    }

    @Test
    void aRequestHeavierThanTheWholeByteBound_isKeptWithoutItsBody() {
        emulator = TrtcEmulator.builder().rateLimits(false).requestLogBytes(256 * 1024).start();
        RawClient client = new RawClient(emulator);
        client.ok("DescribeStreamIngest", DESCRIBE_INGEST);
        client.call("DescribeStreamIngest", "{\"SdkAppId\":1400000001,\"TaskId\":\"big\",\"Pad\":\""
                + "x".repeat(512 * 1024) + "\"}");
        assertThat(emulator.requests()).hasSize(2).last().satisfies(r -> {
            assertThat(r.body()).isNull();
            assertThat(r.action()).isEqualTo("DescribeStreamIngest");
            assertThat(r.errorCode()).as("what it was answered is kept").isEqualTo("UnknownParameter");
        });
    }

    @Test
    void anUnauthenticatedRequest_consumesNoFault() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        emulator.faults().next("DescribeStreamIngest", Fault.internalError(), 1);
        RawClient client = new RawClient(emulator);

        assertThat(client.with(Credentials.of(emulator.credentials().secretId(), "wrong-key"))
                .call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(client.call("DescribeStreamIngest", DESCRIBE_INGEST).errorCode()).isEqualTo("InternalError");
        assertThat(emulator.arrivals("DescribeStreamIngest")).isEqualTo(1);
    }

    @Test
    void endedTasks_areForgottenAfterTheirGoneTime() {
        emulator = TrtcEmulator.builder().rateLimits(false).clock(EmulatorClock.fixed(Instant.now())).start();
        RawClient client = new RawClient(emulator);
        String sig = emulator.userSigs().generate("robot", Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            emulator.rooms().join(1000 + i, "anchor");
            client.ok("CreateCloudRecording", "{\"SdkAppId\":1400000001,\"RoomId\":\"" + (1000 + i) + "\","
                    + "\"UserId\":\"robot\",\"UserSig\":\"" + sig + "\",\"RecordParams\":{\"RecordMode\":1},"
                    + "\"StorageParams\":{\"CloudVod\":{\"TencentVod\":{}}}}");
            emulator.rooms().leave(1000 + i, "anchor");
        }
        assertThat(emulator.taskCount()).isEqualTo(100);

        emulator.clock().advance(Duration.ofSeconds(40)); // idle 30 s, then Exited for 5 s, then gone
        client.ok("DescribeStreamIngest", DESCRIBE_INGEST);

        assertThat(emulator.taskCount()).isZero();
    }

    @Test
    void idleAndTricklingConnections_areClosed() throws Exception {
        emulator = TrtcEmulator.builder().rateLimits(false).idleTimeout(Duration.ofMillis(300))
                .requestTimeout(Duration.ofMillis(300)).start();
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            idle.add(new Socket("127.0.0.1", emulator.port()));
        }
        try (Socket headers = new Socket("127.0.0.1", emulator.port());
                Socket body = new Socket("127.0.0.1", emulator.port())) {
            byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-TC-Action: DescribeStreamIngest\r\n").getBytes(StandardCharsets.US_ASCII);
            body.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // A byte every 50 ms: never idle for 300 ms, yet never done.
            boolean headersClosed = false;
            boolean bodyClosed = false;
            for (int i = 0; i < 60 && !(headersClosed && bodyClosed); i++) {
                headersClosed |= !trickle(headers.getOutputStream(), head[i % head.length]);
                bodyClosed |= !trickle(body.getOutputStream(), (byte) ' ');
                Thread.sleep(50);
            }
            assertThat(headersClosed).as("headers trickled a byte at a time").isTrue();
            assertThat(bodyClosed).as("a body trickled a byte at a time").isTrue();
        }
        for (Socket socket : idle) {
            assertThat(closedByServer(socket)).as("an idle connection").isTrue();
            socket.close();
        }
        new RawClient(emulator).ok("DescribeStreamIngest", DESCRIBE_INGEST);
    }

    /** Writes one byte; false once the server has closed the connection. */
    private static boolean trickle(OutputStream out, byte b) {
        try {
            out.write(b);
            out.flush();
            return true;
        } catch (java.io.IOException closed) {
            return false;
        }
    }

    private static boolean closedByServer(Socket socket) throws java.io.IOException {
        socket.setSoTimeout(3000);
        InputStream in = socket.getInputStream();
        try {
            int read;
            do {
                read = in.read();
            } while (read != -1);
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Test
    void anUnknownAction_isAnsweredButNotCounted() {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        assertThat(new RawClient(emulator).call("DescribeStreamIngest", DESCRIBE_INGEST,
                Map.of("X-TC-Action", "NoSuchAction")).errorCode()).isEqualTo("InvalidAction");
        assertThat(emulator.arrivals("NoSuchAction")).isZero();
        assertThat(emulator.requests()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("NoSuchAction"));
    }
}
