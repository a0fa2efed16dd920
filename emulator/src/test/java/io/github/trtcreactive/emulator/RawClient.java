package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** A minimal signed client for the emulator's own tests: core's signer over a plain Reactor Netty client. */
final class RawClient {

    /** A reply: HTTP status and body. */
    record Reply(int status, String body) {
        JsonNode response() {
            try {
                return TrtcProtocol.mapper().readTree(body).get("Response");
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String errorCode() {
            JsonNode error = response().get("Error");
            return error == null ? null : error.get("Code").asText();
        }
    }

    private final TrtcEmulator emulator;
    private Credentials credentials;
    private Clock clock;
    private HttpClient http = HttpClient.create();

    RawClient(TrtcEmulator emulator) {
        this.emulator = emulator;
        this.credentials = emulator.credentials();
        this.clock = emulator.clock();
    }

    RawClient with(Credentials other) {
        RawClient copy = copy();
        copy.credentials = other;
        return copy;
    }

    /** The same client sending through another Reactor Netty client (its own pool, say). */
    RawClient with(HttpClient other) {
        RawClient copy = copy();
        copy.http = other;
        return copy;
    }

    RawClient with(Clock other) {
        RawClient copy = copy();
        copy.clock = other;
        return copy;
    }

    private RawClient copy() {
        RawClient copy = new RawClient(emulator);
        copy.credentials = credentials;
        copy.clock = clock;
        copy.http = http;
        return copy;
    }

    Reply call(String action, String json) {
        return call(action, json, Map.of());
    }

    /** Signs and posts; blocks the test thread for the reply (tests only). */
    Reply call(String action, String json, Map<String, String> extraHeaders) {
        return call(action, json, extraHeaders, Duration.ofSeconds(10));
    }

    /** Signs and posts, failing when no reply arrives within {@code responseTimeout}. */
    Reply call(String action, String json, Map<String, String> extraHeaders, Duration responseTimeout) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String host = "127.0.0.1:" + emulator.port();
        Tc3Signature sig = Tc3Signer.sign(credentials, TrtcApi.SERVICE, host, clock.instant().getEpochSecond(),
                TrtcApi.CONTENT_TYPE, body);
        return http
                .responseTimeout(responseTimeout)
                .headers(h -> {
                    sig.headers().forEach(h::set);
                    h.set("X-TC-Action", action).set("X-TC-Version", TrtcApi.VERSION).set("X-TC-Region", "ap-singapore");
                    extraHeaders.forEach(h::set);
                })
                .post()
                .uri(emulator.uri() + "/")
                .send(Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(body)))
                .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Reply(r.status().code(), text)))
                .block(Duration.ofSeconds(10));
    }

    /**
     * Signs and sends any request: the method, query, Content-Type, credential-scope service and
     * region given, the rest as the service expects. A null region sends no X-TC-Region.
     */
    Reply send(String method, String query, String contentType, String service, String action, String region,
            byte[] body) {
        String host = "127.0.0.1:" + emulator.port();
        long timestamp = clock.instant().getEpochSecond();
        String date = Tc3Signer.date(timestamp);
        String canonical = Tc3Signer.canonicalRequest(method, query, contentType, host, body);
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = Tc3Signer.ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + Tc3Signer.sha256Hex(canonical);
        String authorization = Tc3Signer.ALGORITHM + " Credential=" + credentials.secretId() + "/" + scope
                + ", SignedHeaders=" + Tc3Signer.SIGNED_HEADERS + ", Signature="
                + Tc3Signer.signature(credentials.secretKey(), date, service, stringToSign);
        HttpClient client = HttpClient.create().headers(h -> {
            h.set("Authorization", authorization).set("Content-Type", contentType).set("Host", host)
                    .set("X-TC-Timestamp", Long.toString(timestamp)).set("X-TC-Action", action)
                    .set("X-TC-Version", TrtcApi.VERSION);
            if (region != null) {
                h.set("X-TC-Region", region);
            }
        });
        String uri = emulator.uri() + "/" + (query.isEmpty() ? "" : "?" + query);
        var sender = method.equals("GET") ? client.get().uri(uri)
                : client.request(io.netty.handler.codec.http.HttpMethod.valueOf(method)).uri(uri)
                        .send(Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(body)));
        return sender.responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Reply(r.status().code(), text)))
                .block(Duration.ofSeconds(10));
    }

    /** Calls and returns the Response object of a success, failing the test on an error envelope. */
    JsonNode ok(String action, String json) {
        Reply reply = call(action, json);
        if (reply.errorCode() != null) {
            throw new AssertionError(action + " failed: " + reply.body());
        }
        return reply.response();
    }
}
