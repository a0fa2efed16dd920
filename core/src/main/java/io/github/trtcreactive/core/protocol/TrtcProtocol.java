package io.github.trtcreactive.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.error.ServiceText;
import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.TrtcRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire protocol: request bodies are the request object as JSON (null members left out); every
 * reply is {@code {"Response":{...}}}, where an {@code Error} member means failure. Unknown members
 * are ignored, because the service adds fields over time.
 */
public final class TrtcProtocol {

    /** How much of an unexpected body an exception quotes. */
    public static final int EXCERPT_LENGTH = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private TrtcProtocol() {}

    /** Builds the codecs of every model type when first touched; see {@link #prepareCodecs()}. */
    private static final class Prepared {
        static final int TYPES = prepare();

        private static int prepare() {
            int prepared = 0;
            for (io.github.trtcreactive.core.catalog.TrtcAction action
                    : io.github.trtcreactive.core.catalog.ActionCatalogue.standard().all()) {
                for (String suffix : new String[] {"Request", "Response"}) {
                    try {
                        Class<?> type = Class.forName(TrtcRequest.class.getPackageName() + "." + action.name() + suffix);
                        if (suffix.equals("Request")) {
                            WRITERS.get(type); // fetches and caches the serializer, nested types included
                        } else {
                            READERS.get(type); // the same for the deserializer
                        }
                        prepared++;
                    } catch (ClassNotFoundException e) {
                        // every action has both classes; a missing one only goes unprepared
                    }
                }
            }
            return prepared;
        }
    }

    /**
     * Builds and caches the JSON codecs of every request and response type, once per class loader
     * (several hundred milliseconds). Not needed: each call prepares its own two types where it is
     * assembled (see {@link #prepare}); call this from an application's start-up to pay for all of
     * them there instead. Later calls return at once.
     *
     * @return how many types are prepared
     */
    public static int prepareCodecs() {
        return Prepared.TYPES;
    }

    /** {@return the shared, configured mapper; do not reconfigure it} */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Serializes a request body.
     *
     * @param action the action, for error messages
     * @param request a generated request or a {@link JsonNode}
     * @return the UTF-8 JSON bytes
     * @throws TrtcClientException when the value cannot be serialized
     */
    public static byte[] encode(String action, Object request) {
        try {
            return request instanceof TrtcRequest ? WRITERS.get(request.getClass()).writeValueAsBytes(request)
                    : MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new TrtcClientException(action, "cannot serialize the request: " + e.getOriginalMessage(), -1,
                    null, null);
        }
    }

    /**
     * Decodes a reply into a response type.
     *
     * @param <T> the response type
     * @param action the action that was called
     * @param httpStatus the reply's HTTP status
     * @param body the reply's bytes
     * @param type the response class
     * @return the decoded response
     * @throws TrtcServiceException when the reply is an error envelope
     * @throws TrtcClientException when the reply is not a valid success envelope of this type
     */
    public static <T> T decode(String action, int httpStatus, byte[] body, Class<T> type) {
        try {
            if (httpStatus >= 200 && httpStatus <= 299) {
                T success = decodeSuccess(body, type);
                if (success != null) {
                    return success;
                }
            }
            // Anything else (an error envelope, a broken reply) is read as a tree, which says what is wrong.
            ObjectNode response = decodeTree(action, httpStatus, body);
            return MAPPER.treeToValue(response, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TrtcClientException(action, "cannot decode the reply as " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                    httpStatus, excerpt(body), null);
        }
    }

    /**
     * Builds and caches the codecs of a request type and its response type, if not done yet; calls
     * do it where they are assembled (usually the caller's thread), so that an event loop does not
     * build a codec under Jackson's lock when the reply comes. Returns at once for types seen before.
     *
     * @param requestType the request class
     * @param responseType the response class
     */
    public static void prepare(Class<?> requestType, Class<?> responseType) {
        WRITERS.get(requestType);
        READERS.get(responseType);
    }

    /** A writer per request type, made once. */
    private static final ClassValue<com.fasterxml.jackson.databind.ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected com.fasterxml.jackson.databind.ObjectWriter computeValue(Class<?> type) {
            return MAPPER.writerFor(type);
        }
    };

    /** A reader per response type, made once. */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    /**
     * The common case in one pass over the bytes: a well-formed success envelope, its
     * {@code Response} bound by the type's generated reader as it is read. Returns null, leaving the
     * reply to {@link #decodeTree} and Jackson's binding, at anything else: an {@code Error} member,
     * malformed JSON, no {@code Response} object or two of them, content after the envelope, a
     * token the reader does not take, a number out of range, a type without a reader.
     */
    private static <T> T decodeSuccess(byte[] body, Class<T> type) {
        Read.ObjectReader<?> generated = ModelReaders.RESPONSES.get(type);
        if (generated == null) {
            return null;
        }
        try {
            return decodeSuccess(body, type, parser -> type.cast(generated.read(parser)));
        } catch (Read.Unexpected | JsonProcessingException e) {
            return null; // Jackson's rules (coercions, its own messages) decide such replies
        }
    }

    /** For tests: the generated reader's answer alone, without the fallback to the tree. */
    static <T> T decodeGenerated(byte[] body, Class<T> type) throws JsonProcessingException {
        Read.ObjectReader<?> generated = ModelReaders.RESPONSES.get(type);
        return decodeSuccess(body, type, parser -> type.cast(generated.read(parser)));
    }

    /**
     * The envelope walk of {@link #decodeSuccess(byte[], Class)}, binding {@code Response} with
     * {@code bind}.
     */
    private static <T> T decodeSuccess(byte[] body, Class<T> type, Read.ObjectReader<T> bind)
            throws JsonProcessingException {
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            T found = null;
            boolean seen = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"Response".equals(name)) {
                    parser.skipChildren();
                    continue;
                }
                if (seen || value != JsonToken.START_OBJECT) {
                    return null;
                }
                seen = true;
                found = bind.read(parser);
            }
            if (!seen || parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return found;
        } catch (Read.ErrorMember e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            return null; // malformed: the tree reading reports it
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
    }

    /**
     * Decodes a reply into the members of its {@code Response} object.
     *
     * @param action the action that was called
     * @param httpStatus the reply's HTTP status
     * @param body the reply's bytes
     * @return the {@code Response} object of a success envelope
     * @throws TrtcServiceException when the reply is an error envelope
     * @throws TrtcClientException when the reply is not a TRTC envelope
     */
    public static ObjectNode decodeTree(String action, int httpStatus, byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new TrtcClientException(action, "the reply is not JSON", httpStatus, excerpt(body), null);
        }
        JsonNode response = root == null ? null : root.get("Response");
        if (!(response instanceof ObjectNode envelope)) {
            throw new TrtcClientException(action, "the reply is not a TRTC envelope (no Response object)",
                    httpStatus, excerpt(body), null);
        }
        JsonNode error = envelope.get("Error");
        if (error != null && !error.isNull()) {
            JsonNode requestId = envelope.get("RequestId");
            JsonNode code = error.get("Code");
            JsonNode message = error.get("Message");
            // An error without a textual code cannot be classified (retried, mapped): it is not an envelope.
            if (!error.isObject() || code == null || !code.isTextual() || code.asText().isBlank()
                    || (message != null && !message.isNull() && !message.isTextual())) {
                throw new TrtcClientException(action, "the reply's Error is malformed (Code must be a non-empty "
                        + "string, Message a string)", httpStatus, excerpt(body), null);
            }
            throw new TrtcServiceException(action, code.asText(), message == null ? "" : message.asText(""),
                    requestId == null || !requestId.isTextual() ? null : requestId.asText(), httpStatus);
        }
        if (httpStatus < 200 || httpStatus > 299) {
            throw new TrtcClientException(action, "unexpected HTTP status without an error envelope", httpStatus,
                    excerpt(body), null);
        }
        return envelope;
    }

    /**
     * The start of a body as printable text, for error messages.
     *
     * @param body the bytes
     * @return at most {@link #EXCERPT_LENGTH} characters (and {@code …} when cut), made safe for a
     *     message or a log by {@link ServiceText#sanitize(String, int)}
     */
    public static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        int length = Math.min(body.length, EXCERPT_LENGTH * 4);
        return ServiceText.sanitize(new String(body, 0, length, StandardCharsets.UTF_8), EXCERPT_LENGTH + 1);
    }

    /**
     * Lists the required members a request lacks, including those of nested structures.
     *
     * @param request the request
     * @return the missing members' paths, for example {@code RecordParams.RecordMode}; empty when complete
     */
    public static java.util.List<String> missingRequired(TrtcRequest request) {
        return violations(request, io.github.trtcreactive.core.model.Validation.CERTAIN).stream()
                .filter(v -> v.startsWith("required member ") && v.endsWith(" is missing"))
                .map(v -> v.substring("required member ".length(), v.length() - " is missing".length()))
                .toList();
    }

    /**
     * Checks a request at a level: what it breaks, one sentence per violation naming the member's path,
     * the rule and the value.
     *
     * @param request the request
     * @param level what to check
     * @return the violations; empty when the request passes
     */
    public static java.util.List<String> violations(TrtcRequest request, io.github.trtcreactive.core.model.Validation level) {
        io.github.trtcreactive.core.model.ModelChecks checks = new io.github.trtcreactive.core.model.ModelChecks(level);
        request.check("", checks);
        return checks.violations();
    }
}
