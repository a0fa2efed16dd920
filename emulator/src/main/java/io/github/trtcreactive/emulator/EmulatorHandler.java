package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The request pipeline: faults, then authentication, action, rate limit, body validation and the
 * action's behaviour, answered in the service's envelope (always HTTP 200, as the service does).
 */
final class EmulatorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHandler.class);
    private static final long MAX_BODY = 10L * 1024 * 1024;
    private static final Set<String> REDACTED_HEADERS = Set.of("authorization", "x-tc-token");

    private final EmulatorSpec spec;
    private final EmulatorState state;
    private final Authenticator authenticator;
    private final SlidingWindowLimiter limiter;
    private final boolean limits;
    private final Faults faults;
    private final Map<String, EmulatorState.Handler> handlers;
    private static final String SPEECH = "TextToSpeechSSE";
    final SpeechStream speech;
    final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
    final Map<String, java.util.concurrent.atomic.AtomicLong> arrivals = new java.util.concurrent.ConcurrentHashMap<>();

    EmulatorHandler(EmulatorSpec spec, EmulatorState state, Authenticator authenticator, SlidingWindowLimiter limiter,
            boolean limits, Faults faults, Map<String, EmulatorState.Handler> handlers, SpeechStream speech) {
        this.speech = speech;
        this.spec = spec;
        this.state = state;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.limits = limits;
        this.faults = faults;
        this.handlers = handlers;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        // Counted and logged at arrival, as a gateway does, before the body is read or checked.
        Arrival arrival = new Arrival(state.clock.nanos(), state.now());
        Map<String, String> headers = new HashMap<>();
        request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        arrivals.computeIfAbsent(String.valueOf(headers.get("x-tc-action")), k -> new java.util.concurrent.atomic.AtomicLong())
                .incrementAndGet();
        String length = headers.get("content-length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY) {
            return send(response, record(arrival, headers, null, null, error("RequestSizeLimitExceeded",
                    "The request body exceeds 10 MB."), null));
        }
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    String action = headers.get("x-tc-action");
                    Fault fault = faults.take(action);
                    if (fault == null) {
                        return answer(arrival, response, request.method().name(), headers, body, null);
                    }
                    return inject(arrival, response, request.method().name(), headers, body, fault);
                });
    }

    /** When a request arrived: nanoseconds for rate windows, an instant for the log. */
    private record Arrival(long nanos, java.time.Instant at) {}

    private Mono<Void> inject(Arrival arrival, HttpServerResponse response, String method, Map<String, String> headers,
            byte[] body, Fault fault) {
        switch (fault.kind()) {
            case DELAY:
                return Mono.delay(fault.delayDuration()).then(answer(arrival, response, method, headers, body, fault));
            case SERVICE_ERROR:
                return send(response, record(arrival, headers, body, null, error(fault.code(), fault.message()), fault));
            case HTTP_STATUS:
                record(arrival, headers, body, null, null, fault);
                return response.status(fault.status()).header("Content-Type", "text/html")
                        .sendString(Mono.just("<html><body><h1>" + fault.status() + " Bad Gateway</h1></body></html>"))
                        .then();
            case MALFORMED_JSON:
                record(arrival, headers, body, null, null, fault);
                return response.status(200).header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"Response\":{\"RequestId\":\"" + state.newRequestId() + "\",\"Task"))
                        .then();
            case RESET_MID_RESPONSE:
                record(arrival, headers, body, null, null, fault);
                return Mono.create(sink -> response.withConnection(c -> {
                    // Raw bytes below the HTTP codec: headers promising more body than is sent, then a reset.
                    Channel channel = c.channel();
                    ByteBuf partial = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 4096\r\n\r\n{\"Response\":{\"RequestId\":\"partial", StandardCharsets.UTF_8);
                    channel.pipeline().firstContext().writeAndFlush(partial).addListener(f -> {
                        channel.config().setOption(ChannelOption.SO_LINGER, 0);
                        channel.close();
                        sink.success();
                    });
                }));
            case NO_RESPONSE:
                record(arrival, headers, body, null, null, fault);
                return Mono.never();
            case TRICKLE:
                return answer(arrival, response, method, headers, body, fault);
            default:
                throw new IllegalStateException("unknown fault " + fault);
        }
    }

    private Mono<Void> answer(Arrival arrival, HttpServerResponse response, String method, Map<String, String> headers,
            byte[] body, Fault fault) {
        return Mono.defer(() -> {
            JsonNode parsed = null;
            ObjectNode members;
            try {
                if (!"POST".equals(method)) {
                    throw new ApiException("UnsupportedProtocol", "The emulator accepts POST requests with JSON bodies.");
                }
                String action = headers.get("x-tc-action");
                if (action == null || action.isBlank()) {
                    throw new ApiException("MissingParameter", "The request is missing the X-TC-Action header.");
                }
                String secretId = authenticator.authenticate(method, headers, body);
                if (!spec.hasAction(action)) {
                    throw new ApiException("InvalidAction", "The action " + action + " does not exist.");
                }
                if (!TrtcApi.VERSION.equals(headers.get("x-tc-version"))) {
                    throw new ApiException("NoSuchVersion", "The API version " + headers.get("x-tc-version")
                            + " does not exist; use " + TrtcApi.VERSION + ".");
                }
                if (limits) {
                    limiter.admit(secretId, action, ActionCatalogue.standard().resolve(action).rateLimit(),
                            arrival.nanos());
                }
                parsed = parse(headers, body);
                spec.validate(action, (ObjectNode) parsed);
                if (SPEECH.equals(action)) {
                    List<String> chunks = speech.chunks((ObjectNode) parsed);
                    ObjectNode accepted = record(arrival, headers, body, parsed, state.reply(), fault);
                    return speech.stream(response, accepted.get("Response").get("RequestId").asText(), chunks);
                }
                members = execute(action, (ObjectNode) parsed);
            } catch (ApiException e) {
                return send(response, record(arrival, headers, body, parsed, error(e.code(), e.getMessage()), fault));
            }
            ObjectNode envelope = record(arrival, headers, body, parsed, members, fault);
            return fault != null && fault.kind() == Fault.Kind.TRICKLE ? trickle(response, envelope, fault)
                    : send(response, envelope);
        });
    }

    /** The envelope one byte at a time, each after the fault's pause; the length announced up front. */
    private Mono<Void> trickle(HttpServerResponse response, ObjectNode envelope, Fault fault) {
        byte[] bytes = envelope.toString().getBytes(StandardCharsets.UTF_8);
        return response.status(200).header("Content-Type", "application/json")
                .header("Content-Length", Integer.toString(bytes.length))
                .sendByteArray(Flux.range(0, bytes.length)
                        .delayElements(fault.delayDuration())
                        .map(i -> new byte[] {bytes[i]}))
                .then();
    }

    private ObjectNode execute(String action, ObjectNode body) {
        EmulatorState.Handler handler = handlers.get(action);
        synchronized (state.lock) {
            return handler != null ? handler.handle(body) : spec.sampleResponse(action, Map.of());
        }
    }

    private static JsonNode parse(Map<String, String> headers, byte[] body) {
        String type = headers.getOrDefault("content-type", "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException("InvalidParameter", "The emulator accepts only application/json bodies, not "
                    + type + ".");
        }
        JsonNode parsed;
        try {
            parsed = TrtcProtocol.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiException("InvalidParameter", "The request body is not valid JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ApiException("InvalidParameter", "The request body must be a JSON object.");
        }
        return parsed;
    }

    private ObjectNode error(String code, String message) {
        ObjectNode members = state.reply();
        members.putObject("Error").put("Code", code).put("Message", message);
        return members;
    }

    /** Records the exchange and returns the complete envelope to send (null members: no answer). */
    private ObjectNode record(Arrival arrival, Map<String, String> headers, byte[] body, JsonNode parsed,
            ObjectNode members, Fault fault) {
        Map<String, String> safe = new HashMap<>(headers);
        REDACTED_HEADERS.forEach(h -> safe.computeIfPresent(h, (k, v) -> "***"));
        JsonNode safeBody = parsed != null ? spec.redact(parsed) : redactIfJson(body);
        String requestId = null;
        String errorCode = null;
        ObjectNode envelope = null;
        if (members != null) {
            requestId = state.newRequestId();
            members.put("RequestId", requestId);
            errorCode = members.has("Error") ? members.get("Error").get("Code").asText() : null;
            envelope = state.reply();
            envelope.set("Response", members);
        }
        log.add(new RecordedRequest(headers.get("x-tc-action"), Map.copyOf(safe), safeBody, arrival.at(), requestId,
                errorCode, fault == null ? null : fault.toString()));
        LOG.debug("{} -> {}", headers.get("x-tc-action"), errorCode == null ? "ok" : errorCode);
        return envelope;
    }

    private JsonNode redactIfJson(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode parsed = TrtcProtocol.mapper().readTree(body);
            return parsed == null ? null : spec.redact(parsed);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private Mono<Void> send(HttpServerResponse response, ObjectNode envelope) {
        return response.status(200).header("Content-Type", "application/json")
                .header("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        state.now().atZone(java.time.ZoneOffset.UTC)))
                .sendByteArray(Mono.just(envelope.toString().getBytes(StandardCharsets.UTF_8))).then();
    }
}
