package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.error.TrtcValidationException;
import io.github.trtcreactive.core.model.TrtcModel;
import io.github.trtcreactive.core.model.TrtcResponse;
import io.github.trtcreactive.emulator.TrtcEmulator;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Checks the model and the client against the committed spec: every action, type and member is there. */
class ApiCoverageTest {

    private static final String MODEL = TrtcModel.class.getPackageName();
    private static JsonNode spec;
    private static TrtcEmulator emulator;
    private static TrtcAsyncClient client;

    @BeforeAll
    static void load() throws IOException {
        spec = new ObjectMapper().readTree(Path.of("../codegen/spec/trtc-2019-07-22.json").toFile());
        emulator = TrtcEmulator.builder().rateLimits(false).start();
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri())
                .responseTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void everyObjectAndMember_existsWithItsWireName() throws Exception {
        int members = 0;
        for (Map.Entry<String, JsonNode> object : fields(spec.get("objects")).entrySet()) {
            Class<?> type = Class.forName(MODEL + "." + object.getKey());
            Class<?> builder = Class.forName(type.getName() + "$Builder");
            Set<String> expected = new java.util.HashSet<>();
            object.getValue().get("members").forEach(m -> expected.add(m.get("name").asText()));
            members += expected.size();

            assertThat(wireNames(type, 0)).as(type.getSimpleName() + " accessors").isEqualTo(expected);
            assertThat(wireNames(builder, 1)).as(type.getSimpleName() + " builder").isEqualTo(expected);
            assertThat(Modifier.isFinal(type.getModifiers())).isTrue();
            if (object.getKey().endsWith("Response") && object.getValue().get("kind").asText().equals("response")) {
                assertThat(TrtcResponse.class).isAssignableFrom(type);
            }
        }
        assertThat(members).isEqualTo(1086);
    }

    @Test
    void everyAction_hasItsClientMethod() throws Exception {
        Map<String, JsonNode> actions = fields(spec.get("actions"));
        for (Map.Entry<String, JsonNode> a : actions.entrySet()) {
            Class<?> request = Class.forName(MODEL + "." + a.getValue().get("input").asText());
            Method method = TrtcAsyncClient.class.getMethod(lowerFirst(a.getKey()), request);
            if (a.getValue().has("streaming")) {
                assertThat(method.getGenericReturnType().getTypeName())
                        .isEqualTo(Flux.class.getName() + "<" + MODEL + ".TextToSpeechEvent>");
                continue;
            }
            assertThat(method.getReturnType()).isEqualTo(Mono.class);
            assertThat(method.getGenericReturnType().getTypeName())
                    .isEqualTo(Mono.class.getName() + "<" + MODEL + "." + a.getValue().get("output").asText() + ">");
        }
        assertThat(actions).hasSize(81);
    }

    @Test
    void everyAction_withAnEmptyRequest_isRejectedOrSentUnderItsName() throws Exception {
        List<String> sent = new ArrayList<>();
        for (Map.Entry<String, JsonNode> a : fields(spec.get("actions")).entrySet()) {
            Class<?> request = Class.forName(MODEL + "." + a.getValue().get("input").asText());
            Object builder = request.getMethod("builder").invoke(null);
            Object empty = builder.getClass().getMethod("build").invoke(builder);
            Mono<?> call = Flux.from((org.reactivestreams.Publisher<?>) TrtcAsyncClient.class
                    .getMethod(lowerFirst(a.getKey()), request).invoke(client, empty)).last();
            List<String> required = new ArrayList<>();
            spec.get("objects").get(request.getSimpleName()).get("members").forEach(m -> {
                if (m.get("required").asBoolean()) {
                    required.add(m.get("name").asText());
                }
            });
            if (required.isEmpty()) {
                // Sent: the emulator answers, with a reply or with an error of the action's own rules.
                StepVerifier.create(call.map(r -> "reply")
                                .onErrorResume(TrtcServiceException.class, e -> Mono.just("service error")))
                        .expectNextCount(1)
                        .expectComplete()
                        .verify(Duration.ofSeconds(10));
                sent.add(a.getKey());
            } else {
                StepVerifier.create(call)
                        .expectErrorSatisfies(e -> {
                            assertThat(e).isInstanceOf(TrtcValidationException.class);
                            TrtcValidationException v = (TrtcValidationException) e;
                            assertThat(v.action()).isEqualTo(a.getKey());
                            assertThat(v.violations()).hasSize(required.size());
                            required.forEach(r -> assertThat(v.getMessage()).contains(r));
                        })
                        .verify(Duration.ofSeconds(10));
            }
        }
        assertThat(emulator.requests()).extracting(r -> r.header("X-TC-Action")).containsExactlyElementsOf(sent);
    }

    private static Set<String> wireNames(Class<?> type, int parameters) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == parameters)
                .map(m -> m.getAnnotation(JsonProperty.class))
                .filter(p -> p != null)
                .map(JsonProperty::value)
                .collect(Collectors.toSet());
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    private static String lowerFirst(String action) {
        return Character.toLowerCase(action.charAt(0)) + action.substring(1);
    }
}
