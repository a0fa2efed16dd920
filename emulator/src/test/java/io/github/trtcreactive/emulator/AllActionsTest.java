package io.github.trtcreactive.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every action answers: the emulated ones by their behaviour, all others with a reply the model decodes. */
class AllActionsTest {

    private static TrtcEmulator emulator;
    private static JsonNode spec;

    @BeforeAll
    static void start() throws Exception {
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        try (InputStream in = EmulatorSpec.class.getResourceAsStream("trtc-2019-07-22.json")) {
            spec = TrtcProtocol.mapper().readTree(in);
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void everyAction_withItsRequiredMembers_getsAnEnvelope_andOthersAreSchemaValid() throws Exception {
        RawClient client = new RawClient(emulator);
        int generic = 0;
        for (TrtcAction action : ActionCatalogue.standard().all()) {
            JsonNode a = spec.get("actions").get(action.name());
            ObjectNode body = fill(a.get("input").asText());
            RawClient.Reply reply = client.call(action.name(), body.toString());

            assertThat(reply.response().get("RequestId").asText()).as(action.name()).isNotEmpty();
            assertThat(reply.errorCode()).as(action.name()).isNotIn("InvalidAction", "AuthFailure.SignatureFailure");
            if (!emulator.emulatedActions().contains(action.name())) {
                assertThat(reply.errorCode()).as(action.name()).isNull();
                Class<?> type = Class.forName("io.github.trtcreactive.core.model." + a.get("output").asText());
                Object decoded = TrtcProtocol.decode(action.name(), 200, reply.body().getBytes(StandardCharsets.UTF_8), type);
                assertThat(((TrtcResponse) decoded).requestId()).isEqualTo(reply.response().get("RequestId").asText());
                spec.get("objects").get(a.get("output").asText()).get("members").forEach(m ->
                        assertThat(reply.response().has(m.get("name").asText())).as(action.name() + "." + m.get("name"))
                                .isTrue());
                generic++;
            }
        }
        assertThat(generic).isEqualTo(81 - emulator.emulatedActions().size());
        assertThat(emulator.emulatedActions()).hasSize(52);
    }

    /** A value the member's documented facts allow: its first value, its minimum (at least 1), else 1. */
    private static long documented(JsonNode member) {
        JsonNode facts = member.path("facts");
        if (facts.has("values")) {
            return facts.get("values").get(0).get("value").asLong();
        }
        return facts.has("min") ? Math.max(1, facts.get("min").asLong()) : 1;
    }

    /** A string in the form a rule between members gives the member (a date, a date and time), else "x". */
    private static String timeForm(String type, String member) {
        for (JsonNode rule : spec.get("objects").get(type).path("rules")) {
            if ("period".equals(rule.get("kind").asText())) {
                for (JsonNode bound : rule.get("members")) {
                    if (bound.asText().equals(member)) {
                        return "DATE".equals(rule.get("format").asText()) ? "2026-11-01" : "2026-11-01 00:00:00";
                    }
                }
            }
        }
        return "x";
    }

    /** A body holding every required member, with a value of the right type. */
    private static ObjectNode fill(String type) {
        ObjectNode body = TrtcProtocol.mapper().createObjectNode();
        for (JsonNode m : spec.get("objects").get(type).get("members")) {
            if (!m.get("required").asBoolean()) {
                continue;
            }
            String name = m.get("name").asText();
            String element = m.path("element").asText(null);
            switch (m.get("type").asText()) {
                case "int" -> body.put(name, name.equalsIgnoreCase("SdkAppId") ? emulator.sdkAppId() : documented(m));
                case "float" -> body.put(name, 1.0);
                case "bool" -> body.put(name, false);
                case "string" -> body.put(name, name.equals("SdkAppId") ? Long.toString(emulator.sdkAppId())
                        : m.path("facts").has("values") ? m.get("facts").get("values").get(0).get("value").asText()
                        : timeForm(type, name));
                case "object" -> body.set(name, fill(element));
                case "list" -> {
                    ArrayNode list = body.putArray(name);
                    if (spec.get("objects").has(element)) {
                        list.add(fill(element));
                    } else if (element.equals("string")) {
                        list.add("x");
                    } else {
                        list.add(1);
                    }
                }
                default -> throw new IllegalStateException(name);
            }
        }
        return body;
    }
}
