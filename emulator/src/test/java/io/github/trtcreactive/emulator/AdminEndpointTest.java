package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint answers only what a local test can send, over real sockets: a request whose
 * Host is not a loopback name (DNS rebinding) or that a web page of another origin sends gets a
 * short 403 and changes nothing; loopback names, with or without a port, are served.
 */
class AdminEndpointTest {

    private TrtcEmulator emulator;

    @BeforeEach
    void start() {
        emulator = TrtcEmulator.builder().admin(true).start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Sends one request with the given Host line (null: none, as HTTP/1.0 allows) and extra headers. */
    private String request(String method, String path, String host, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + path + (host == null ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n"));
            if (host != null) {
                head.append("Host: ").append(host).append("\r\n");
            }
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void requestsFromAnotherHostOrOrigin_areRefused403_andChangeNothing() throws IOException {
        String port = Integer.toString(emulator.port());
        PrintStream err = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            for (String host : new String[] {"evil.example", "evil.example:" + port, "localhost.evil.example",
                    "127.0.0.1.evil.example", "128.0.0.1:" + port, "[::2]:" + port, "", null}) {
                assertThat(request("PUT", "/_emulator/rooms/lobby/users/mallory", host)).as("Host: %s", host)
                        .startsWith(host == null ? "HTTP/1.0 403" : "HTTP/1.1 403").contains("loopback")
                        .doesNotContain("Exception");
            }
            for (String origin : new String[] {"http://evil.example", "https://evil.example:" + port, "null",
                    "http://localhost.evil.example", "file://"}) {
                assertThat(request("PUT", "/_emulator/rooms/lobby/users/mallory", "127.0.0.1:" + port,
                        "Origin: " + origin)).as("Origin: %s", origin).startsWith("HTTP/1.1 403").contains("origin");
            }
            assertThat(request("PUT", "/_emulator/rooms/lobby/users/mallory", "localhost:http"))
                    .as("a Host the HTTP codec refuses first").startsWith("HTTP/1.1 400");
            assertThat(request("GET", "/_emulator/rooms", "evil.example:" + port)).startsWith("HTTP/1.1 403")
                    .doesNotContain("lobby");
        } finally {
            System.setErr(err);
        }
        assertThat(emulator.rooms().users("lobby")).isEmpty();
        assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("\tat ");
    }

    @Test
    void requestsNamingALoopbackHost_areServed() throws IOException {
        String port = Integer.toString(emulator.port());
        String[] hosts = {"127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LOCALHOST", "127.1.2.3:" + port,
            "[::1]:" + port, "[::1]"};
        for (int i = 0; i < hosts.length; i++) {
            assertThat(request("PUT", "/_emulator/rooms/lobby/users/user" + i, hosts[i])).as("Host: %s", hosts[i])
                    .startsWith("HTTP/1.1 204");
        }
        assertThat(request("PUT", "/_emulator/rooms/lobby/users/fromPage", "localhost:" + port,
                "Origin: http://localhost:3000")).startsWith("HTTP/1.1 204");
        assertThat(emulator.rooms().users("lobby")).hasSize(hosts.length + 1);
        assertThat(request("GET", "/_emulator/rooms", "[::1]:" + port)).startsWith("HTTP/1.1 200").contains("user6");
    }
}
