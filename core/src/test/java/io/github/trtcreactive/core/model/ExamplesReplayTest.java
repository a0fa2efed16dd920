package io.github.trtcreactive.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every published example of both documentation sites through the model: each input
 * becomes its request type and serializes back to equivalent JSON; each output's {@code Response}
 * becomes its response type and serializes back with no member lost or renamed.
 *
 * <p>The data under {@code examples/} is a copy of the public example files with their prose fields
 * removed. Inputs published as GET query strings are converted with the documented form encoding
 * ({@code Name.N} is element N of the array {@code Name}). Explicit JSON nulls count as absent.
 */
class ExamplesReplayTest {

    private static final ObjectMapper JSON = TrtcProtocol.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Examples that are not JSON as published, with the reason; each must indeed fail to parse. */
    private static final Map<String, String> NOT_JSON = Map.of(
            "intl ControlAIConversation#0 input", "a sentence stands inside the ServerPushText object",
            "intl QueryAIMessageList#0 input", "a line is missing a comma",
            "intl QueryAIMessageList#1 input", "a line is missing a comma",
            "intl DescribeTrtcRoomUsage#0 output", "the CSV in Data holds raw line breaks inside a JSON string",
            "intl TextToSpeechSSE#0 output", "a server-sent event stream, not a JSON envelope",
            "intl TextToSpeechSSE#2 output", "a server-sent event stream, not a JSON envelope",
            "cn TextToSpeechSSE#0 output", "a server-sent event stream, not a JSON envelope",
            "cn TextToSpeechSSE#2 output", "a server-sent event stream, not a JSON envelope");

    private record Example(String site, String action, int index, String input, String output) {
        String id(String kind) {
            return site + " " + action + "#" + index + " " + kind;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExample_roundTripsThroughTheModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Example e : examples()) {
            tests.add(DynamicTest.dynamicTest(e.id("input"), () -> replayInput(e)));
            tests.add(DynamicTest.dynamicTest(e.id("output"), () -> replayOutput(e)));
        }
        return tests.stream();
    }

    @Test
    void examples_countsAreAsPublished() throws IOException {
        List<Example> all = examples();

        assertThat(all).filteredOn(e -> e.site().equals("intl")).hasSize(68);
        assertThat(all).filteredOn(e -> e.site().equals("cn")).hasSize(88);
        assertThat(all).filteredOn(e -> e.input().startsWith("http")).hasSize(16);
    }

    private static void replayInput(Example e) throws Exception {
        if (NOT_JSON.containsKey(e.id("input"))) {
            assertThatThrownBy(() -> JSON.readTree(e.input().substring(e.input().indexOf('{'))))
                    .as("listed as not JSON: " + NOT_JSON.get(e.id("input")));
            return;
        }
        Class<?> type = Class.forName(TrtcModel.class.getPackageName() + "." + e.action() + "Request");
        JsonNode published = e.input().startsWith("http") ? fromQuery(e.input(), type)
                : JSON.readTree(e.input().substring(e.input().indexOf('{')));
        Object request = JSON.treeToValue(published, type);
        assertThat(normalize(JSON.valueToTree(request))).isEqualTo(normalize(published));
    }

    private static void replayOutput(Example e) throws Exception {
        if (NOT_JSON.containsKey(e.id("output"))) {
            assertThatThrownBy(() -> JSON.readTree(e.output())).as("listed as not JSON: " + NOT_JSON.get(e.id("output")));
            return;
        }
        JsonNode published = JSON.readTree(e.output()).get("Response");
        Class<?> type = Class.forName(TrtcModel.class.getPackageName() + "." + e.action() + "Response");
        if (published.has("Error")) {
            // An example of a failure: the decoder must turn it into a typed service error.
            assertThatThrownBy(() -> TrtcProtocol.decode(e.action(), 200, e.output().getBytes(UTF_8), type))
                    .isInstanceOfSatisfying(TrtcServiceException.class, x -> {
                        assertThat(x.errorCode()).isEqualTo(published.at("/Error/Code").asText());
                        assertThat(x.requestId()).isEqualTo(published.get("RequestId").asText());
                    });
            return;
        }
        Object response = JSON.treeToValue(published, type);
        assertThat(normalize(JSON.valueToTree(response))).isEqualTo(normalize(published));
        // The client's decoder (the generated reader, or Jackson for what it leaves) agrees with Jackson's binding.
        assertThat(TrtcProtocol.decode(e.action(), 200, e.output().getBytes(UTF_8), type)).isEqualTo(response);
        assertThat(((TrtcResponse) response).requestId()).isEqualTo(published.get("RequestId").asText());
    }

    /**
     * Turns {@code https://host/?Action=X&A=1&L.0=a&O.M=b&<Common request parameters>} into JSON:
     * {@code L.0} is element 0 of the array {@code L}, {@code O.M} is member {@code M} of the object {@code O}.
     */
    private static JsonNode fromQuery(String url, Class<?> type) {
        String query = url.replace("\n", "").substring(url.indexOf('?') + 1);
        ObjectNode body = NODES.objectNode();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0 || pair.startsWith("Action=")) {
                continue; // the common-parameter placeholder, and the action itself
            }
            put(body, type, pair.substring(0, eq).split("\\."), pair.substring(eq + 1));
        }
        return body;
    }

    private static void put(ObjectNode root, Type rootType, String[] path, String value) {
        JsonNode container = root;
        Type type = rootType;
        for (int i = 0; i < path.length; i++) {
            boolean last = i == path.length - 1;
            Type next;
            JsonNode child;
            if (container instanceof ObjectNode object) {
                next = memberType((Class<?>) raw(type), path[i]);
                child = last ? scalar(next, value) : object.has(path[i]) ? object.get(path[i]) : container(next);
                object.set(path[i], child);
            } else {
                ArrayNode array = (ArrayNode) container;
                int index = Integer.parseInt(path[i]);
                next = ((ParameterizedType) type).getActualTypeArguments()[0];
                while (array.size() <= index) {
                    array.addNull();
                }
                child = last ? scalar(next, value) : array.get(index).isNull() ? container(next) : array.get(index);
                array.set(index, child);
            }
            container = child;
            type = next;
        }
    }

    private static JsonNode container(Type type) {
        return raw(type) == List.class ? NODES.arrayNode() : NODES.objectNode();
    }

    private static Type raw(Type type) {
        return type instanceof ParameterizedType p ? p.getRawType() : type;
    }

    private static Type memberType(Class<?> type, String wireName) {
        for (Method m : type.getMethods()) {
            JsonProperty p = m.getAnnotation(JsonProperty.class);
            if (p != null && p.value().equals(wireName) && m.getParameterCount() == 0) {
                return m.getGenericReturnType();
            }
        }
        throw new AssertionError(type.getSimpleName() + " has no member " + wireName);
    }

    private static JsonNode scalar(Type type, String value) {
        if (type == Long.class) {
            return NODES.numberNode(Long.parseLong(value));
        }
        if (type == Double.class) {
            return NODES.numberNode(Double.parseDouble(value));
        }
        if (type == Boolean.class) {
            return NODES.booleanNode(Boolean.parseBoolean(value));
        }
        return NODES.textNode(value);
    }

    /** Drops null members and compares numbers by value, so 2 and 2.0 are the same JSON. */
    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue()));
            sorted.forEach((k, v) -> {
                if (!v.isNull()) {
                    copy.set(k, normalize(v));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                copy.add(normalize(it.next()));
            }
            return copy;
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue().stripTrailingZeros();
            return NODES.numberNode(value.scale() < 0 ? value.setScale(0) : value);
        }
        return node;
    }

    private static List<Example> examples() throws IOException {
        List<Example> all = new ArrayList<>();
        for (String site : List.of("intl", "cn")) {
            try (InputStream in = ExamplesReplayTest.class.getResourceAsStream(
                    "/examples/trtc-2019-07-22." + site + ".examples.json")) {
                JsonNode actions = JSON.readTree(in).get("actions");
                actions.fields().forEachRemaining(a -> {
                    for (int i = 0; i < a.getValue().size(); i++) {
                        JsonNode e = a.getValue().get(i);
                        all.add(new Example(site, a.getKey(), i, e.get("input").asText(), e.get("output").asText()));
                    }
                });
            }
        }
        return all;
    }
}
