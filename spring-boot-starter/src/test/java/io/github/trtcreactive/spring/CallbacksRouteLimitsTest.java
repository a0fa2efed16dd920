package io.github.trtcreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The callbacks route against hostile senders, over real sockets: what it reads before the
 * signature is checked is bounded by {@code trtc.callbacks.max-body-size} (here the default,
 * 64 KiB), whatever the sender declares or streams; every refusal is a 4xx that closes the
 * connection, and none of them writes an ERROR line or a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trtc.emulator.enabled=true", "trtc.callbacks.key=123654", "trtc.callbacks.path=/hooks/trtc",
        "logging.level.io.github.trtcreactive.spring=DEBUG"})
class CallbacksRouteLimitsTest {

    private static final String KEY = "123654";
    private static final int SOCKET_TIMEOUT_MS = 30_000;
    private static final String HEAD = "POST /hooks/trtc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";

    @SpringBootApplication
    static class App {
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    TrtcCallbacks callbacks;

    @Test
    void aDeclaredGibibyte_isRefused413_fromTheHeadersAlone_andTheConnectionClosed(CapturedOutput output)
            throws IOException {
        long refusedBefore = callbacks.rejectedCount();
        try (Socket socket = socket()) {
            send(socket, HEAD + "Content-Length: 1073741824\r\n\r\n");
            String response = readUntilClosed(socket);
            assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        }
        assertThat(callbacks.rejectedCount()).as("counted by the receiver").isEqualTo(refusedBefore + 1);
        assertQuiet(output);
    }

    @Test
    void aHundredKibibyteBody_isRefused413_declaredOrChunked(CapturedOutput output) throws IOException {
        byte[] body = new byte[100 * 1024];
        Arrays.fill(body, (byte) ' ');
        try (Socket socket = socket()) {
            send(socket, HEAD + "Content-Length: " + body.length + "\r\n\r\n");
            socket.getOutputStream().write(body);
            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 413");
        }
        try (Socket socket = socket()) {
            send(socket, HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n");
            socket.getOutputStream().write(body);
            send(socket, "\r\n0\r\n\r\n");
            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        }
        assertQuiet(output);
    }

    @Test
    void anEndlessChunkedBody_isRefused413_andTheServerStopsReading(CapturedOutput output) throws Exception {
        long cap = 256L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket socket = socket()) {
            send(socket, HEAD + "Transfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = chunk(8192);
            Future<?> writing = writer.submit(() -> {
                OutputStream out = socket.getOutputStream();
                while (sent.get() < cap) {
                    out.write(chunk);
                    sent.addAndGet(8192);
                }
                return null;
            });
            String response = readUntilClosed(socket);
            long sentWhenClosed = sent.get();
            socket.close();
            try {
                writing.get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException stopped) {
                assertThat(stopped).hasCauseInstanceOf(IOException.class);
            }
            assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
            assertThat(sentWhenClosed).as("bytes the sender got out before the server closed: the limit plus what the"
                    + " sockets' buffers hold, not the whole stream").isLessThan(64L * 1024 * 1024);
        } finally {
            writer.shutdownNow();
        }
        assertQuiet(output);
    }

    @Test
    void malformedContentLengths_get4xx(CapturedOutput output) throws IOException {
        for (String length : new String[] {"abc", "-1", "99999999999999999999999", "1, 2", " "}) {
            try (Socket socket = socket()) {
                send(socket, HEAD + "Content-Length: " + length + "\r\n\r\n{}");
                assertThat(readUntilClosed(socket)).as("Content-Length: %s", length).matches("(?s)HTTP/1.1 4\\d\\d .*");
            }
        }
        assertQuiet(output);
    }

    @Test
    void aSenderThatLeavesMidBody_isForgotten_quietly_andTheRouteStillServes(CapturedOutput output)
            throws IOException {
        try (Socket socket = socket()) {
            send(socket, HEAD + "Content-Length: 60000\r\n\r\n" + " ".repeat(1000));
        }
        Boolean noticed = Mono.fromCallable(() -> output.getAll().contains("callback body not read to the end")
                        || output.getAll().contains("callback body abandoned"))
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(200, attempts -> attempts.delayElements(Duration.ofMillis(100)))
                .block(Duration.ofSeconds(30));
        assertThat(noticed).as("the route saw the sender leave").isTrue();
        aSignedCallback_isStillAcknowledged();
        assertQuiet(output);
    }

    @Test
    void aSignedCallback_isStillAcknowledged() {
        String body = "{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + System.currentTimeMillis() + ",\"EventInfo\":"
                + "{\"RoomId\":\"room-limits\",\"EventMsTs\":" + System.nanoTime() + ",\"UserId\":\"bob\"}}";
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/hooks/trtc").contentType(MediaType.APPLICATION_JSON)
                .header("Sign", CallbackSignature.sign(KEY, body.getBytes(StandardCharsets.UTF_8)))
                .header("SdkAppId", "1400000001").bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("{\"code\":0}");
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Everything the server sends until it closes the connection (a timeout fails the test). */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A close with our unread bytes in its buffer is a reset; what arrived before it counts.
            if (received.size() == 0) {
                throw reset;
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunk(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunk = Arrays.copyOf(head, head.length + size + 2);
        System.arraycopy(data, 0, chunk, head.length, size);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private static void assertQuiet(CapturedOutput output) {
        assertThat(output.getAll()).as("no ERROR line and no stack trace").doesNotContain("ERROR")
                .doesNotContain("\tat ");
    }
}
