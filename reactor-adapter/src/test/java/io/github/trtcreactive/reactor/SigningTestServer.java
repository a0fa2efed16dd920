package io.github.trtcreactive.reactor;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.signer.Tc3Authorization;
import io.github.trtcreactive.core.signer.Tc3Signer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small TRTC-like server on a random loopback port for the client's tests: it recomputes the TC3
 * signature from the bytes it receives, records every request, and answers as each test scripts it.
 */
final class SigningTestServer implements AutoCloseable {

    static final Credentials KNOWN = Credentials.of("AKIDtestserver", "test-server-secret-key");

    /** What the server received. */
    record Received(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server answers. */
    record Answer(int status, String contentType, String body) {
        static Answer json(String responseMembers) {
            return new Answer(200, "application/json", "{\"Response\":{" + responseMembers + "}}");
        }

        static Answer error(String code, String message, String requestId) {
            return json("\"Error\":{\"Code\":\"" + code + "\",\"Message\":\"" + message + "\"},\"RequestId\":\""
                    + requestId + "\"");
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsClosed = new AtomicInteger();
    private final Sinks.Many<Received> arrivals = Sinks.many().replay().all();
    private final Sinks.Many<Integer> closes = Sinks.many().replay().all();
    private volatile Function<Received, Mono<Answer>> handler =
            r -> Mono.just(Answer.json("\"TaskId\":\"t1\",\"Status\":\"InProgress\",\"RequestId\":\"req-ok\""));
    private final DisposableServer server;

    SigningTestServer() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .compress(true)
                .doOnConnection(connection -> connection.onDispose(() ->
                        closes.tryEmitNext(connectionsClosed.incrementAndGet())))
                .handle((request, response) -> request.receive().aggregate().asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            Map<String, String> headers = new HashMap<>();
                            request.requestHeaders().forEach(e ->
                                    headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                            Received r = new Received(headers, body);
                            received.add(r);
                            arrivals.tryEmitNext(r);
                            return verify(r).map(Mono::just).orElseGet(() -> handler.apply(r));
                        })
                        .flatMap(answer -> response.status(answer.status())
                                .header("Content-Type", answer.contentType())
                                .sendString(Mono.just(answer.body())).then()))
                .bindNow(Duration.ofSeconds(10));
    }

    /** Checks the signature as the service does; an answer means rejection. */
    private static Optional<Answer> verify(Received r) {
        Optional<Tc3Authorization> auth = Tc3Authorization.parse(r.header("Authorization"));
        if (auth.isEmpty()) {
            return Optional.of(Answer.error("AuthFailure.InvalidAuthorization", "bad Authorization", "req-auth"));
        }
        if (!auth.get().secretId().equals(KNOWN.secretId())) {
            return Optional.of(Answer.error("AuthFailure.SecretIdNotFound", "unknown SecretId", "req-auth"));
        }
        long timestamp = Long.parseLong(r.header("X-TC-Timestamp"));
        String canonical = Tc3Signer.canonicalRequest("POST", "", r.header("Content-Type"), r.header("Host"),
                r.body());
        String scope = auth.get().date() + "/" + auth.get().service() + "/tc3_request";
        String stringToSign = Tc3Signer.ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
                + Tc3Signer.sha256Hex(canonical);
        String expected = Tc3Signer.signature(KNOWN.secretKey(), auth.get().date(), auth.get().service(),
                stringToSign);
        boolean ok = expected.equals(auth.get().signature()) && auth.get().date().equals(Tc3Signer.date(timestamp))
                && "trtc".equals(auth.get().service()) && "content-type;host".equals(auth.get().signedHeaders());
        return ok ? Optional.empty()
                : Optional.of(Answer.error("AuthFailure.SignatureFailure", "signature mismatch", "req-sig"));
    }

    void answer(Function<Received, Mono<Answer>> handler) {
        this.handler = handler;
    }

    java.net.URI uri() {
        return java.net.URI.create("http://127.0.0.1:" + server.port());
    }

    int port() {
        return server.port();
    }

    List<Received> received() {
        return received;
    }

    /** @return the n-th request (1-based) once it has arrived */
    Mono<Received> arrival(int n) {
        return arrivals.asFlux().skip(n - 1L).next();
    }

    /** @return a signal once n connections have closed */
    Mono<Integer> connectionsClosed(int n) {
        return closes.asFlux().filter(c -> c >= n).next();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
