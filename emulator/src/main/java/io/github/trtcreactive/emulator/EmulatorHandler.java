package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The request pipeline, in the order the service applies it: the body is read within the size
 * limit (chunked bodies included), the signature is checked, and only an authentic request is
 * counted, can meet a scheduled fault, and reaches the action checks (action, version, region, rate
 * limit, strict body parsing and validation) and the action's behaviour. Every answer is the
 * service's envelope (always HTTP 200, as the service does). An unauthenticated request is recorded
 * without its body, and nothing else is kept of it.
 */
final class EmulatorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHandler.class);
    static final long MAX_BODY = 10L * 1024 * 1024;
    private static final Set<String> REDACTED_HEADERS = Set.of("authorization", "x-tc-token");
    private static final String SPEECH = "TextToSpeechSSE";
    /** Rejects duplicate keys, and anything after the object (trailing garbage, a second object). */
    private static final ObjectReader STRICT_JSON = TrtcProtocol.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final EmulatorSpec spec;
    private final EmulatorState state;
    private final Authenticator authenticator;
    private final SlidingWindowLimiter limiter;
    private final boolean limits;
    private final Faults faults;
    private final Map<String, EmulatorState.Handler> handlers;
    private final Scheduler timer;
    final SpeechStream speech;
    final RequestLog log;
    /** One counter per known action, made up front: what arrives cannot add entries. */
    final Map<String, AtomicLong> arrivals = new ConcurrentHashMap<>();

    EmulatorHandler(EmulatorSpec spec, EmulatorState state, Authenticator authenticator, SlidingWindowLimiter limiter,
            boolean limits, Faults faults, Map<String, EmulatorState.Handler> handlers, SpeechStream speech,
            RequestLog log, Scheduler timer) {
        this.speech = speech;
        this.spec = spec;
        this.state = state;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.limits = limits;
        this.faults = faults;
        this.handlers = handlers;
        this.log = log;
        this.timer = timer;
        spec.actionNames().forEachRemaining(a -> arrivals.put(a, new AtomicLong()));
    }

    /** One exchange's facts: when it arrived, how, and what it carried. */
    private record Exchange(long nanos, java.time.Instant at, String method, String query, Map<String, String> headers) {}

    /** The body outgrew the size limit while it was being read. */
    private static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Map<String, String> headers = new HashMap<>();
        request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        String uri = request.uri();
        int q = uri.indexOf('?');
        Exchange exchange = new Exchange(state.clock.nanos(), state.now(), request.method().name(),
                q < 0 ? "" : uri.substring(q + 1), headers);
        String length = headers.get("content-length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > MAX_BODY)) {
            return tooLarge(response, exchange);
        }
        return request.receive().asByteArray()
                .collect(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + (long) chunk.length > MAX_BODY) {
                        throw new BodyTooLarge();
                    }
                    out.writeBytes(chunk);
                })
                .flatMap(out -> process(exchange, response, out.toByteArray()))
                .onErrorResume(BodyTooLarge.class, e -> tooLarge(response, exchange));
    }

    /** Answers RequestSizeLimitExceeded and closes the connection (the rest of the body is not read). */
    private Mono<Void> tooLarge(HttpServerResponse response, Exchange exchange) {
        response.header("Connection", "close");
        return send(response, record(exchange, null, null,
                error("RequestSizeLimitExceeded", "The request body exceeds 10 MB."), null));
    }

    private Mono<Void> process(Exchange exchange, HttpServerResponse response, byte[] body) {
        String secretId;
        try {
            secretId = authenticator.authenticate(exchange.method(), exchange.query(), exchange.headers(), body);
        } catch (ApiException e) {
            return send(response, record(exchange, null, null, error(e.code(), e.getMessage()), null));
        }
        String action = exchange.headers().get("x-tc-action");
        AtomicLong count = action == null ? null : arrivals.get(action);
        if (count != null) {
            count.incrementAndGet();
        }
        Fault fault = action == null ? null : faults.take(action);
        if (fault == null) {
            return answer(exchange, secretId, response, body, null);
        }
        return inject(exchange, secretId, response, body, fault);
    }

    private Mono<Void> inject(Exchange exchange, String secretId, HttpServerResponse response, byte[] body,
            Fault fault) {
        switch (fault.kind()) {
            case DELAY:
                return Mono.delay(fault.delayDuration(), timer).then(answer(exchange, secretId, response, body, fault));
            case SERVICE_ERROR:
                return send(response, record(exchange, body, null, error(fault.code(), fault.message()), fault));
            case HTTP_STATUS:
                record(exchange, body, null, null, fault);
                return response.status(fault.status()).header("Content-Type", "text/html")
                        .sendString(Mono.just("<html><body><h1>" + fault.status() + " Bad Gateway</h1></body></html>"))
                        .then();
            case MALFORMED_JSON:
                record(exchange, body, null, null, fault);
                return response.status(200).header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"Response\":{\"RequestId\":\"" + state.newRequestId() + "\",\"Task"))
                        .then();
            case RESET_MID_RESPONSE:
                record(exchange, body, null, null, fault);
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
                record(exchange, body, null, null, fault);
                return Mono.never();
            case TRICKLE:
                return answer(exchange, secretId, response, body, fault);
            default:
                throw new IllegalStateException("unknown fault " + fault);
        }
    }

    private Mono<Void> answer(Exchange exchange, String secretId, HttpServerResponse response, byte[] body,
            Fault fault) {
        return Mono.defer(() -> {
            Map<String, String> headers = exchange.headers();
            JsonNode parsed = null;
            ObjectNode members;
            try {
                String action = headers.get("x-tc-action");
                if (action == null || action.isBlank()) {
                    throw new ApiException("MissingParameter", "The request is missing the X-TC-Action header.");
                }
                if (!spec.hasAction(action)) {
                    throw new ApiException("InvalidAction", "The action " + action + " does not exist.");
                }
                if (!TrtcApi.VERSION.equals(headers.get("x-tc-version"))) {
                    throw new ApiException("NoSuchVersion", "The API version " + headers.get("x-tc-version")
                            + " does not exist; use " + TrtcApi.VERSION + ".");
                }
                TrtcAction known = ActionCatalogue.standard().resolve(action);
                checkRegion(known, headers.get("x-tc-region"));
                if (limits) {
                    limiter.admit(secretId, action, known.rateLimit(), exchange.nanos());
                }
                parsed = parse(exchange, action, body);
                spec.validate(action, (ObjectNode) parsed);
                if (SPEECH.equals(action)) {
                    List<String> chunks = speech.chunks((ObjectNode) parsed);
                    ObjectNode accepted = record(exchange, body, parsed, state.reply(), fault);
                    return speech.stream(response, accepted.get("Response").get("RequestId").asText(), chunks);
                }
                members = execute(action, (ObjectNode) parsed);
            } catch (ApiException e) {
                return send(response, record(exchange, body, parsed, error(e.code(), e.getMessage()), fault));
            }
            ObjectNode envelope = record(exchange, body, parsed, members, fault);
            return fault != null && fault.kind() == Fault.Kind.TRICKLE ? trickle(response, envelope, fault)
                    : send(response, envelope);
        });
    }

    /**
     * The region must be one the action's documentation lists; an action that needs no region
     * takes any, or none. An action whose documentation states no regions takes any known region.
     */
    private static void checkRegion(TrtcAction action, String region) {
        Set<String> listed = action.regions().orElse(null);
        if (listed != null && listed.isEmpty()) {
            return;
        }
        if (region == null || region.isBlank()) {
            throw new ApiException("MissingParameter", "The request is missing a required parameter `Region`.");
        }
        if (listed != null && !listed.contains(region)) {
            throw new ApiException("UnsupportedRegion", "The action " + action.name() + " does not support the region "
                    + region + "; it is offered in " + String.join(", ", listed) + ".");
        }
    }

    private ObjectNode execute(String action, ObjectNode body) {
        EmulatorState.Handler handler = handlers.get(action);
        synchronized (state.lock) {
            state.expireGoneTasks();
            return handler != null ? handler.handle(body) : spec.sampleResponse(action, Map.of());
        }
    }

    /** The request's members: a strict JSON object for POST, the query parameters for GET. */
    private JsonNode parse(Exchange exchange, String action, byte[] body) {
        String type = exchange.headers().getOrDefault("content-type", "");
        if (exchange.method().equals("GET")) {
            if (!mediaType(type).equals("application/x-www-form-urlencoded")) {
                throw new ApiException("InvalidParameter", "A GET request's Content-Type must be "
                        + "application/x-www-form-urlencoded, not " + type + ".");
            }
            Map<String, String> params = new LinkedHashMap<>();
            new QueryStringDecoder(exchange.query(), StandardCharsets.UTF_8, false).parameters()
                    .forEach((k, v) -> params.put(k, v.get(v.size() - 1)));
            return spec.fromQuery(action, params);
        }
        if (!exchange.method().equals("POST")) {
            throw new ApiException("UnsupportedProtocol", "The service accepts GET and POST requests, not "
                    + exchange.method() + ".");
        }
        if (!mediaType(type).equals("application/json")) {
            throw new ApiException("InvalidParameter", "A POST request's Content-Type must be application/json, not "
                    + type + ".");
        }
        JsonNode parsed;
        try {
            parsed = STRICT_JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiException("InvalidParameter", "The request body is not one valid JSON object: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage()));
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ApiException("InvalidParameter", "The request body must be a JSON object.");
        }
        return parsed;
    }

    /** The media type of a Content-Type, without its parameters, in lower case. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private ObjectNode error(String code, String message) {
        ObjectNode members = state.reply();
        members.putObject("Error").put("Code", code).put("Message", message);
        return members;
    }

    private ObjectNode envelope(ObjectNode members) {
        members.put("RequestId", state.newRequestId());
        ObjectNode envelope = state.reply();
        envelope.set("Response", members);
        return envelope;
    }

    /**
     * Records the exchange and returns the complete envelope to send (null members: no answer). A
     * null body records no body: unauthenticated and oversized requests keep nothing of theirs.
     */
    private ObjectNode record(Exchange exchange, byte[] body, JsonNode parsed, ObjectNode members, Fault fault) {
        Map<String, String> safe = new HashMap<>(exchange.headers());
        REDACTED_HEADERS.forEach(h -> safe.computeIfPresent(h, (k, v) -> "***"));
        JsonNode safeBody = parsed != null ? spec.redact(parsed) : redactIfJson(body);
        String requestId = null;
        String errorCode = null;
        ObjectNode envelope = null;
        if (members != null) {
            errorCode = members.has("Error") ? members.get("Error").get("Code").asText() : null;
            envelope = envelope(members);
            requestId = members.get("RequestId").asText();
        }
        log.add(new RecordedRequest(exchange.headers().get("x-tc-action"), Map.copyOf(safe), safeBody, exchange.at(),
                requestId, errorCode, fault == null ? null : fault.toString()));
        LOG.debug("{} -> {}", exchange.headers().get("x-tc-action"), errorCode == null ? "ok" : errorCode);
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

    /** The envelope one byte at a time, each after the fault's pause; the length announced up front. */
    private Mono<Void> trickle(HttpServerResponse response, ObjectNode envelope, Fault fault) {
        byte[] bytes = envelope.toString().getBytes(StandardCharsets.UTF_8);
        return response.status(200).header("Content-Type", "application/json")
                .header("Content-Length", Integer.toString(bytes.length))
                .sendByteArray(Flux.range(0, bytes.length)
                        .delayElements(fault.delayDuration(), timer)
                        .map(i -> new byte[] {bytes[i]}))
                .then();
    }

    private Mono<Void> send(HttpServerResponse response, ObjectNode envelope) {
        return response.status(200).header("Content-Type", "application/json")
                .header("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        state.now().atZone(java.time.ZoneOffset.UTC)))
                .sendByteArray(Mono.just(envelope.toString().getBytes(StandardCharsets.UTF_8))).then();
    }
}
