package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.model.TimeFormat;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
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
    private final Map<String, Map<String, JsonNode>> membersByType = new HashMap<>();

    private EmulatorSpec(JsonNode spec) {
        this.actions = spec.get("actions");
        this.objects = spec.get("objects");
        spec.get("secretMembers").forEach(s -> secrets.add(s.asText()));
        objects.fields().forEachRemaining(type -> {
            Map<String, JsonNode> members = new HashMap<>();
            type.getValue().get("members").forEach(m -> members.put(m.get("name").asText(), m));
            membersByType.put(type.getKey(), members);
        });
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

    /**
     * Checks member types, required members and unknown members (everywhere), as the service does:
     * a member the action does not define is {@code UnknownParameter}.
     */
    void validate(String action, ObjectNode body) {
        checkObject(actions.get(action).get("input").asText(), body, "");
    }

    private void checkObject(String type, JsonNode value, String path) {
        Map<String, JsonNode> known = membersByType.get(type);
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.containsKey(name)) {
                throw unknown(path + name);
            }
        }
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
            checkFacts(member, v, path + name);
        }
        checkRoomIdForm(type, value, path);
        checkRules(type, value, path);
    }

    /**
     * The documented rules between members of one type that the spec names (a period's length and
     * order, a product's bound, a bound under a condition), as the client checks them at the
     * documented level: a value not in its documented form of time is {@code InvalidParameterValue},
     * a broken rule the code the action's page gives for it, else {@code InvalidParameter.OutOfRange}
     * ({@code InvalidParameter} for a list too long).
     */
    private void checkRules(String type, JsonNode value, String path) {
        for (JsonNode rule : objects.get(type).path("rules")) {
            JsonNode when = rule.get("when");
            JsonNode condition = when == null ? null : value.get(when.asText());
            if (when != null && (condition == null || condition.isNull())) {
                continue;
            }
            JsonNode members = rule.get("members");
            long max = rule.get("max").asLong();
            String applies = when == null ? "" : " when " + when.asText() + " is set";
            String code = rule.path("error").asText("InvalidParameter.OutOfRange");
            switch (rule.get("kind").asText()) {
                case "period" -> {
                    TimeFormat format = TimeFormat.valueOf(rule.get("format").asText());
                    String fromName = members.get(0).asText();
                    String toName = members.get(1).asText();
                    Long from = seconds(format, value.get(fromName), path + fromName);
                    Long to = seconds(format, value.get(toName), path + toName);
                    if (from != null && to != null && (to < from || to - from > max)) {
                        throw new ApiException(code, "The value of parameter `" + path + toName
                                + "` must not be before " + fromName + " nor more than " + TimeFormat.words(max)
                                + " after it" + applies + ".");
                    }
                }
                case "product" -> {
                    JsonNode a = value.get(members.get(0).asText());
                    JsonNode b = value.get(members.get(1).asText());
                    if (a != null && b != null && a.isNumber() && b.isNumber() && a.asDouble() * b.asDouble() > max) {
                        throw new ApiException(code, "The value of parameter `" + path
                                + members.get(0).asText() + "` times " + members.get(1).asText() + " is more than "
                                + rule.path("label").asText(String.valueOf(max)) + ".");
                    }
                }
                default -> {
                    String name = members.get(0).asText();
                    JsonNode v = value.get(name);
                    if (v != null && v.isArray() && v.size() > max) {
                        throw new ApiException(rule.path("error").asText("InvalidParameter"), "The value of parameter `"
                                + path + name + "` is invalid: at most " + max + " elements" + applies + ", was " + v.size() + ".");
                    }
                    if (v != null && v.isNumber() && v.asDouble() > max) {
                        throw new ApiException(code, "The value of parameter `" + path + name
                                + "` is more than " + max + applies + ": " + v.asText() + ".");
                    }
                }
            }
        }
    }

    private static Long seconds(TimeFormat format, JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return null;
        }
        Long seconds = format.seconds(format == TimeFormat.EPOCH_SECONDS ? (Object) v.asLong() : v.asText());
        if (seconds == null) {
            throw new ApiException("InvalidParameterValue", "The value of parameter `" + path + "` is not "
                    + format.description() + ": " + v.asText() + ".");
        }
        return seconds;
    }

    /**
     * The documented constraints the spec's reviewed facts name ({@code checked}), as the service
     * applies them: a number out of range is {@code InvalidParameter.OutOfRange}, a value outside
     * its set or a string too long {@code InvalidParameterValue}, a list too long
     * {@code InvalidParameter}. The client checks the same facts before sending.
     */
    private static void checkFacts(JsonNode member, JsonNode v, String path) {
        JsonNode facts = member.path("facts");
        JsonNode checked = facts.path("checked");
        if (checked.isMissingNode()) {
            return;
        }
        for (JsonNode c : checked) {
            switch (c.asText()) {
                case "maxItems" -> {
                    if (v.size() > facts.get("maxItems").asLong()) {
                        throw ApiException.invalid(path, "at most " + facts.get("maxItems").asLong() + " elements, was " + v.size());
                    }
                }
                case "min" -> {
                    if (v.asDouble() < facts.get("min").asLong()) {
                        throw outOfRange(path, facts, v);
                    }
                }
                case "max" -> {
                    if (v.asDouble() > facts.get("max").asLong()) {
                        throw outOfRange(path, facts, v);
                    }
                }
                case "maxLength" -> {
                    String text = v.asText();
                    if (text.codePointCount(0, text.length()) > facts.get("maxLength").asLong()) {
                        throw new ApiException("InvalidParameterValue", "The value of parameter `" + path
                                + "` is too long: at most " + facts.get("maxLength").asLong() + " characters.");
                    }
                }
                case "values" -> {
                    boolean known = false;
                    for (JsonNode allowed : facts.get("values")) {
                        known |= allowed.get("value").asText().equals(v.asText());
                    }
                    if (!known) {
                        throw new ApiException("InvalidParameterValue", "The value of parameter `" + path + "` is not"
                                + " one of the documented values: " + v.asText() + ".");
                    }
                }
                default -> { }
            }
        }
    }

    private static ApiException outOfRange(String path, JsonNode facts, JsonNode v) {
        return new ApiException("InvalidParameter.OutOfRange", "The value of parameter `" + path + "` is out of range ("
                + facts.path("min").asText("-") + " to " + facts.path("max").asText("-") + "): " + v.asText() + ".");
    }

    /**
     * A string RoomId in a room declared integer (its RoomIdType's INTEGER value, given or assumed) must
     * be a decimal integer from 1 to 4294967295, as the client checks.
     */
    private void checkRoomIdForm(String type, JsonNode value, String path) {
        Map<String, JsonNode> members = membersByType.get(type);
        JsonNode roomId = members.get("RoomId");
        JsonNode roomIdType = members.get("RoomIdType");
        if (roomId == null || roomIdType == null || !"string".equals(roomId.get("type").asText())
                || !value.path("RoomId").isTextual()) {
            return;
        }
        String integer = null;
        for (JsonNode v : roomIdType.path("facts").path("values")) {
            if ("INTEGER".equals(v.path("name").asText())) {
                integer = v.get("value").asText();
            }
        }
        if (integer == null) {
            return;
        }
        JsonNode given = value.get("RoomIdType");
        String declared = given != null && !given.isNull() ? given.asText()
                : roomIdType.path("facts").path("default").asText(null);
        String id = value.get("RoomId").asText();
        if (integer.equals(declared) && !(id.matches("[1-9][0-9]{0,9}") && Long.parseLong(id) <= 4294967295L)) {
            throw new ApiException("InvalidParameter.RoomId", "The value of parameter `" + path + "RoomId` is not an"
                    + " integer room id, as its RoomIdType says: " + id + ".");
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

    private static ApiException unknown(String path) {
        return new ApiException("UnknownParameter", "The parameter `" + path + "` is not recognized.");
    }

    /** The largest list index a query string may address (a guard against huge sparse lists). */
    private static final int MAX_QUERY_INDEX = 1000;

    /**
     * The JSON body a GET request's query parameters stand for: {@code A=1}, {@code L.0=x},
     * {@code O.M=y} and {@code L.0.M=z} become members, list elements and nested members, each
     * value converted to the member's type.
     *
     * @param action the action
     * @param params the decoded query parameters
     * @return the body, not yet validated
     * @throws ApiException for a parameter the action does not define or a value of the wrong type
     */
    ObjectNode fromQuery(String action, Map<String, String> params) {
        ObjectNode body = TrtcProtocol.mapper().createObjectNode();
        String input = actions.get(action).get("input").asText();
        params.forEach((key, value) -> put(body, input, key.split("\\.", -1), 0, value, key));
        return body;
    }

    private void put(ObjectNode target, String type, String[] parts, int i, String value, String key) {
        JsonNode member = membersByType.get(type).get(parts[i]);
        if (member == null) {
            throw unknown(key);
        }
        String name = parts[i];
        String kind = member.get("type").asText();
        String element = member.path("element").asText(null);
        boolean last = i == parts.length - 1;
        if (kind.equals("object")) {
            if (last) {
                throw ApiException.invalid(key, "it is an object; name its members, as in " + key + ".Member");
            }
            put(target.with(name), element, parts, i + 1, value, key);
        } else if (kind.equals("list")) {
            if (last || element.startsWith("[")) {
                throw ApiException.invalid(key, "it is a list; name its elements, as in " + key + ".0");
            }
            int index = index(parts[i + 1], key);
            ArrayNode list = target.withArray(name);
            while (list.size() <= index) {
                list.addNull();
            }
            if (objects.has(element)) {
                ObjectNode child = list.get(index).isObject() ? (ObjectNode) list.get(index) : list.objectNode();
                list.set(index, child);
                if (i + 2 > parts.length - 1) {
                    throw ApiException.invalid(key, "its elements are objects; name their members");
                }
                put(child, element, parts, i + 2, value, key);
            } else if (i + 1 == parts.length - 1) {
                list.set(index, scalar(element, value, key));
            } else {
                throw unknown(key);
            }
        } else if (last) {
            target.set(name, scalar(kind, value, key));
        } else {
            throw unknown(key);
        }
    }

    private static int index(String part, String key) {
        if (!part.matches("\\d{1,4}") || Integer.parseInt(part) > MAX_QUERY_INDEX) {
            throw ApiException.invalid(key, "a list index is a number from 0 to " + MAX_QUERY_INDEX);
        }
        return Integer.parseInt(part);
    }

    private static JsonNode scalar(String type, String value, String key) {
        var nodes = TrtcProtocol.mapper().getNodeFactory();
        try {
            return switch (type) {
                case "int" -> nodes.numberNode(Long.parseLong(value));
                case "float" -> nodes.numberNode(Double.parseDouble(value));
                case "bool" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw ApiException.invalid(key, "it must be true or false");
                    }
                    yield nodes.booleanNode(Boolean.parseBoolean(value));
                }
                default -> nodes.textNode(value);
            };
        } catch (NumberFormatException e) {
            throw ApiException.invalid(key, "it must be a number");
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
