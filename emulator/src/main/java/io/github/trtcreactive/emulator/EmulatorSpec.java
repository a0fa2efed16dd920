package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The API spec as the emulator uses it: which actions exist, what their requests must hold (for
 * {@code MissingParameter} and {@code InvalidParameter}), what a schema-valid reply looks like, and
 * which members carry secrets (redacted in the request log). Loaded once, when an emulator starts.
 */
final class EmulatorSpec {

    private static final int SAMPLE_DEPTH = 4;

    private final JsonNode actions;
    private final JsonNode objects;
    private final Set<String> secrets = new HashSet<>();

    private EmulatorSpec(JsonNode spec) {
        this.actions = spec.get("actions");
        this.objects = spec.get("objects");
        spec.get("secretMembers").forEach(s -> secrets.add(s.asText()));
    }

    /** Reads the bundled spec; blocking I/O, done once at start-up. */
    static EmulatorSpec load() {
        try (InputStream in = EmulatorSpec.class.getResourceAsStream("trtc-2019-07-22.json")) {
            if (in == null) {
                throw new IllegalStateException("the bundled API spec is missing from the emulator jar");
            }
            return new EmulatorSpec(TrtcProtocol.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean hasAction(String action) {
        return actions.has(action);
    }

    Iterator<String> actionNames() {
        return actions.fieldNames();
    }

    Set<String> secretMembers() {
        return secrets;
    }

    /** Checks member types (everywhere) and required members (everywhere), as the service does. */
    void validate(String action, ObjectNode body) {
        checkObject(actions.get(action).get("input").asText(), body, "");
    }

    private void checkObject(String type, JsonNode value, String path) {
        for (JsonNode member : objects.get(type).get("members")) {
            String name = member.get("name").asText();
            JsonNode v = value.get(name);
            if (v == null || v.isNull()) {
                if (member.get("required").asBoolean()) {
                    throw ApiException.missing(path + name);
                }
                continue;
            }
            checkValue(member.get("type").asText(), member.path("element").asText(null), v, path + name);
        }
    }

    private void checkValue(String type, String element, JsonNode v, String path) {
        switch (type) {
            case "int" -> require(v.isIntegralNumber(), path, "it must be an integer");
            case "float" -> require(v.isNumber(), path, "it must be a number");
            case "bool" -> require(v.isBoolean(), path, "it must be true or false");
            case "string" -> require(v.isTextual(), path, "it must be a string");
            case "object" -> {
                require(v.isObject(), path, "it must be an object");
                checkObject(element, v, path + ".");
            }
            case "list" -> {
                require(v.isArray(), path, "it must be an array");
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).isNull()) {
                        checkElement(element, v.get(i), path + "." + i);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
    }

    private void checkElement(String element, JsonNode v, String path) {
        if (element.startsWith("[")) {
            checkValue("list", element.substring(1, element.length() - 1), v, path);
        } else if (objects.has(element)) {
            checkValue("object", element, v, path);
        } else {
            checkValue(element, null, v, path);
        }
    }

    private static void require(boolean ok, String path, String rule) {
        if (!ok) {
            throw ApiException.invalid(path, rule);
        }
    }

    /** A reply holding every member of the action's output with a plausible value of its type. */
    ObjectNode sampleResponse(String action, Map<String, JsonNode> overrides) {
        ObjectNode response = sample(actions.get(action).get("output").asText(), 0);
        response.remove("RequestId");
        overrides.forEach(response::set);
        return response;
    }

    private ObjectNode sample(String type, int depth) {
        ObjectNode node = TrtcProtocol.mapper().createObjectNode();
        for (JsonNode member : objects.get(type).get("members")) {
            String name = member.get("name").asText();
            String element = member.path("element").asText(null);
            switch (member.get("type").asText()) {
                case "int" -> node.put(name, 0);
                case "float" -> node.put(name, 0.0);
                case "bool" -> node.put(name, false);
                case "string" -> node.put(name, "");
                case "object" -> {
                    if (depth < SAMPLE_DEPTH) {
                        node.set(name, sample(element, depth + 1));
                    }
                }
                case "list" -> {
                    ArrayNode list = node.putArray(name);
                    if (depth < SAMPLE_DEPTH && objects.has(element)) {
                        list.add(sample(element, depth + 1));
                    }
                }
                default -> throw new IllegalStateException("unknown type in " + type + "." + name);
            }
        }
        return node;
    }

    /** A copy of a request body with every secret member, at any depth, replaced by {@code ***}. */
    JsonNode redact(JsonNode body) {
        if (body.isObject()) {
            ObjectNode copy = TrtcProtocol.mapper().createObjectNode();
            body.fields().forEachRemaining(f -> copy.set(f.getKey(),
                    secrets.contains(f.getKey()) && !f.getValue().isNull() ? copy.textNode("***") : redact(f.getValue())));
            return copy;
        }
        if (body.isArray()) {
            ArrayNode copy = TrtcProtocol.mapper().createArrayNode();
            body.forEach(e -> copy.add(redact(e)));
            return copy;
        }
        return body;
    }
}
