package io.github.trtcreactive.reactor.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import io.github.trtcreactive.core.error.ServiceText;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The HTTP exchanges of the role providers: a GET to the instance metadata service and a POST to
 * STS, signed with TC3 (AssumeRole) or marked {@code SKIP} (AssumeRoleWithWebIdentity, which the
 * service accepts unsigned). Failures carry the endpoint, the status and STS's code and request id,
 * never a key or a token; whatever text the service chose passes through {@link ServiceText} first.
 */
final class RoleCalls {

    /** The STS API version every role action belongs to. */
    static final String STS_VERSION = "2018-08-13";
    private static final String JSON = "application/json; charset=utf-8";
    /** The most a reply of the metadata service or STS may hold; real ones are well under 4 KiB. */
    static final int MAX_REPLY_BYTES = 64 * 1024;
    /** The furthest expiry a reply may state: STS grants at most 12 hours, so more means a wrong unit. */
    static final Duration LONGEST_VALIDITY = Duration.ofHours(36);

    private RoleCalls() {}

    /**
     * The rule the client applies to its own endpoint: https to any host, plain http only to a loopback
     * host ({@link TrtcEndpoint#isLoopback(String)}) unless the builder's {@code plainHttpEndpoint(URI)}
     * said so explicitly.
     *
     * @param builder the builder's name, for the message
     * @param exposed what plain http would expose, for the message
     */
    static URI checkStsEndpoint(String builder, URI endpoint, boolean plainHttpAllowed, String exposed) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(builder + ".endpoint(URI): " + endpoint
                    + " must be https://host[:port] (or http:// to a loopback address)");
        }
        if (scheme.equals("http") && !plainHttpAllowed && !TrtcEndpoint.isLoopback(endpoint.getHost())) {
            throw new IllegalArgumentException(builder + ".endpoint(URI): " + endpoint + " uses plain http to a"
                    + " non-loopback host, which would send " + exposed + " unencrypted; use https, or say so"
                    + " explicitly with plainHttpEndpoint(uri)");
        }
        return endpoint;
    }

    /** A connection per fetch: credentials are fetched every hour or two, a pool would only hold sockets. */
    static HttpClient defaultHttpClient(Duration timeout) {
        return HttpClient.newConnection()
                .responseTimeout(timeout)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 10_000));
    }

    /** The body of a GET that answers 200, as text, at most {@link #MAX_REPLY_BYTES}. */
    static Mono<String> get(HttpClient http, String url) {
        return http.get().uri(url).response((response, body) -> {
            int status = response.status().code();
            if (status != 200) {
                return Mono.<String>error(new RoleCredentialsException(url + " answered HTTP " + status));
            }
            return readCapped("the instance metadata service at " + url, response, body)
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        }).single();
    }

    /**
     * A reply's body, refused past {@link #MAX_REPLY_BYTES}: when its {@code Content-Length} says so
     * before anything is read, or when the bytes read so far say so (a chunked reply that never ends).
     * The error cancels the body: Reactor Netty releases what it buffered and closes the connection
     * (an HTTP client connection whose reply was not read to its end is never reused).
     */
    private static Mono<byte[]> readCapped(String source, HttpClientResponse response, ByteBufFlux body) {
        String declared = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && declaredLength(declared) > MAX_REPLY_BYTES) {
            return Mono.error(tooLarge(source));
        }
        return Mono.defer(() -> {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            return body.asByteArray().<byte[]>handle((chunk, sink) -> {
                if (read.size() + chunk.length > MAX_REPLY_BYTES) {
                    sink.error(tooLarge(source));
                } else {
                    read.writeBytes(chunk);
                }
            }).then(Mono.fromSupplier(read::toByteArray));
        });
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a length anyone should trust
        }
    }

    private static RoleCredentialsException tooLarge(String source) {
        return new RoleCredentialsException(source + " answered more than " + MAX_REPLY_BYTES / 1024 + " KiB ("
                + MAX_REPLY_BYTES + " bytes), the most a credentials reply may hold; the rest was not read and the"
                + " connection was closed");
    }

    /**
     * Calls an STS action and returns its {@code Response} object.
     *
     * @param signWith the credentials to sign with, or null to send {@code Authorization: SKIP}
     */
    static Mono<JsonNode> sts(HttpClient http, URI endpoint, String region, String action, ObjectNode body,
            Credentials signWith, Clock clock) {
        return Mono.defer(() -> {
            byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
            String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
            long timestamp = clock.instant().getEpochSecond();
            Tc3Signature signature = signWith == null ? null
                    : Tc3Signer.sign(signWith, "sts", host, timestamp, JSON, payload);
            return http.headers(h -> {
                h.set(HttpHeaderNames.CONTENT_TYPE, JSON);
                h.set(HttpHeaderNames.HOST, host);
                h.set("X-TC-Action", action);
                h.set("X-TC-Version", STS_VERSION);
                h.set("X-TC-Region", region);
                h.set("X-TC-Timestamp", Long.toString(timestamp));
                if (signature == null) {
                    h.set(HttpHeaderNames.AUTHORIZATION, "SKIP");
                } else {
                    signature.headers().forEach(h::set);
                }
            }).post().uri(endpoint.resolve("/")).send(Mono.fromSupplier(() ->
                    Unpooled.wrappedBuffer(payload)))
                    .response((response, bytes) -> readCapped("STS " + action + " at " + endpoint, response, bytes)
                            .flatMap(b -> parse(endpoint, action, response.status().code(), b)))
                    .single();
        });
    }

    private static Mono<JsonNode> parse(URI endpoint, String action, int status, byte[] bytes) {
        JsonNode root;
        try {
            root = TrtcProtocol.mapper().readTree(bytes);
        } catch (IOException e) {
            return Mono.error(new RoleCredentialsException("STS " + action + " at " + endpoint + " answered HTTP "
                    + status + " with a body that is not JSON"));
        }
        JsonNode response = root == null ? null : root.get("Response");
        if (response == null || !response.isObject()) {
            return Mono.error(new RoleCredentialsException("STS " + action + " at " + endpoint + " answered HTTP "
                    + status + " without a Response object"));
        }
        JsonNode error = response.get("Error");
        if (error != null) {
            // The service's own words, made safe: they reach messages and logs.
            return Mono.error(new RoleCredentialsException("STS " + action + " refused: "
                    + ServiceText.sanitize(error.path("Code").asText()) + " ("
                    + ServiceText.sanitize(error.path("Message").asText()) + "), request id "
                    + ServiceText.sanitize(response.path("RequestId").asText())));
        }
        return Mono.just(response);
    }

    /** The temporary credentials of an STS reply ({@code Credentials} and {@code ExpiredTime}), as of {@code now}. */
    static ExpiringCredentials fromSts(String action, JsonNode response, Instant now) {
        JsonNode c = response.path("Credentials");
        return expiring("STS " + action, c.path("TmpSecretId"), c.path("TmpSecretKey"), c.path("Token"),
                response.path("ExpiredTime"), now);
    }

    /**
     * Temporary credentials from their four fields, each checked. {@code ExpiredTime} must lie after
     * {@code now} and at most {@link #LONGEST_VALIDITY} ahead: an expiry in the past would be fetched
     * again at every call, and one in milliseconds (thousands of years ahead) never renewed.
     */
    static ExpiringCredentials expiring(String source, JsonNode id, JsonNode key, JsonNode token, JsonNode expiredTime,
            Instant now) {
        for (JsonNode field : List.of(id, key, token)) {
            if (!field.isTextual() || field.asText().isBlank()) {
                throw new RoleCredentialsException(source + " answered without TmpSecretId, TmpSecretKey and Token");
            }
        }
        if (!expiredTime.canConvertToLong()) {
            throw new RoleCredentialsException(source + " answered without ExpiredTime (a Unix time in seconds)");
        }
        long seconds = expiredTime.asLong();
        // Compared as numbers first: an absurd value must not reach Instant, which has a range.
        if (seconds <= now.getEpochSecond()) {
            throw new RoleCredentialsException(source + " answered a malformed reply: ExpiredTime " + seconds
                    + " is not in the future (now " + now.getEpochSecond() + "), the credentials have already expired");
        }
        if (seconds - now.getEpochSecond() > LONGEST_VALIDITY.toSeconds()) {
            throw new RoleCredentialsException(source + " answered a malformed reply: ExpiredTime " + seconds
                    + " is more than " + LONGEST_VALIDITY.toHours() + " hours from now (" + now.getEpochSecond()
                    + "); a Unix time in seconds is expected");
        }
        return new ExpiringCredentials(Credentials.of(id.asText(), key.asText(), token.asText()),
                Instant.ofEpochSecond(seconds));
    }
}
