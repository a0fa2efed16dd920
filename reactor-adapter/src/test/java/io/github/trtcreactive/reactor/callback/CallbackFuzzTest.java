package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.callback.CallbackFormatException;
import io.github.trtcreactive.core.callback.CallbackSignature;
import io.github.trtcreactive.reactor.testing.StandardError;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The documented bodies, mutated (numbers at their limits, wrong types, deep nesting, unknown
 * groups, broken bytes) and correctly signed, so that each reaches the parser: the receiver answers
 * only 200, 400 or 401, parsing fails only with {@link CallbackFormatException}, and nothing is
 * logged at ERROR.
 */
class CallbackFuzzTest {

    private static final String KEY = "fuzz1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> DOCUMENTED = List.of(
            "{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":12345,\"EventTs\":1687770731,"
                    + "\"EventMsTs\":1687770731831,\"UserId\":\"test\",\"Role\":21,\"TerminalType\":2,\"UserType\":3,"
                    + "\"Reason\":1}}",
            "{\"EventGroupId\":2,\"EventType\":204,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":8489,\"EventTs\":1664209748,"
                    + "\"EventMsTs\":1664209748180,\"UserId\":\"user_85034614\",\"Reason\":0}}",
            "{\"EventGroupId\":3,\"EventType\":301,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"xx\",\"EventTs\":\"1622186275\","
                    + "\"EventMsTs\":1622186275757,\"UserId\":\"xx\",\"TaskId\":\"xx\",\"Payload\":{\"Status\":0}}}",
            "{\"EventGroupId\":3,\"EventType\":310,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"20015\",\"EventTs\":1622191989,"
                    + "\"EventMsTs\":1622186275757,\"UserId\":\"xx\",\"TaskId\":\"xx\",\"Payload\":{\"Status\":0,"
                    + "\"FileList\":[\"xxxx1.mp4\",\"xxxx2.mp4\"],\"FileMessage\":[{\"FileName\":\"xxxx1.mp4\",\"UserId\":\"xxxx\","
                    + "\"TrackType\":\"audio_video\",\"MediaId\":\"main\",\"StartTimeStamp\":1622186279145,"
                    + "\"EndTimeStamp\":1622186282145}]}}}",
            "{\"EventGroupId\":3,\"EventType\":311,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"20015\",\"EventTs\":1622191965,"
                    + "\"EventMsTs\":1622186275757,\"UserId\":\"xx\",\"TaskId\":\"xx\",\"Payload\":{\"Status\":0,\"TencentVod\":"
                    + "{\"UserId\":\"xx\",\"TrackType\":\"audio_video\",\"MediaId\":\"main\",\"FileId\":\"xxxx\","
                    + "\"VideoUrl\":\"http://xxxx\",\"CacheFile\":\"xxxx.mp4\",\"StartTimeStamp\":1622186279153,"
                    + "\"EndTimeStamp\":1622186282153}}}}",
            "{\"EventGroupId\":8,\"EventType\":801,\"CallbackTs\":1,\"EventInfo\":{\"EventMsTs\":1622186275757,\"TaskId\":\"t\","
                    + "\"Payload\":{\"Status\":1,\"EventMessage\":\"Success\"}}}",
            "{\"EventGroupId\":4,\"EventType\":401,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"xx\",\"RoomType\":1,"
                    + "\"EventTsMs\":1622186275913,\"UserId\":\"xx\",\"TaskId\":\"xx\",\"Payload\":{\"Url\":\"rtmp://x/y\","
                    + "\"Status\":2}}}",
            "{\"EventGroupId\":7,\"EventType\":701,\"CallbackMsTs\":1,\"EventInfo\":{\"EventMsTs\":1701937900013,"
                    + "\"TaskId\":\"xx\",\"Status\":0}}",
            "{\"EventGroupId\":9,\"EventType\":901,\"CallbackTs\":1,\"EventInfo\":{\"EventMsTs\":1622186275757,\"TaskId\":\"h\","
                    + "\"RoomId\":\"1234\",\"RoomIdType\":0,\"Payload\":{\"Status\":0}}}",
            "{\"EventGroupId\":11,\"EventType\":1102,\"CallbackTs\":1,\"EventInfo\":{\"RoomId\":\"975626\","
                    + "\"EventTs\":\"1729601782\",\"EventMsTs\":1729601782073,\"UserId\":\"r\",\"TaskId\":\"t\","
                    + "\"Payload\":{\"LeaveCode\":99}}}",
            "{\"EventGroupId\":14,\"EventType\":1401,\"CallbackTs\":1,\"EventInfo\":{\"EventMsTs\":1622186275757,"
                    + "\"TaskId\":\"xxx\",\"RoomId\":\"1234\",\"RoomIdType\":0,\"RobotId\":\"r\",\"Payload\":{\"Status\":0}}}");

    private final Random random = new Random(20261206);

    @Test
    void accept_answersOnly200_400Or401_toMutatedSignedBodies_andParsingThrowsOnlyFormatErrors() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        callbacks.events().subscribe(); // a subscriber keeps the buffer from filling (503 is not the point here)
        Map<Integer, Integer> statuses = new TreeMap<>();
        String log = capturingErrors(() -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] body = mutant();
                try {
                    CallbackEvent event = CallbackEvent.parse(body, 1400000001L, Instant.now());
                    event.deduplicationKey();
                    event.toString();
                } catch (CallbackFormatException expected) {
                    // a 400
                }
                CallbackReply reply = callbacks.accept(Map.of("Sign", CallbackSignature.sign(KEY, body)), body)
                        .block(Duration.ofSeconds(10));
                statuses.merge(reply.status(), 1, Integer::sum);
            }
        });
        callbacks.close();

        assertThat(statuses.keySet()).as("statuses seen: %s", statuses).isSubsetOf(Set.of(200, 400, 401));
        assertThat(statuses).as("each kind of answer happens").containsKeys(200, 400, 401);
        assertThat(log.lines().filter(l -> l.contains("ERROR"))).isEmpty();
    }

    @Test
    void serve_answersOnly200_400Or401_toMutatedBodiesOverRealSockets_withoutAnErrorLine() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(KEY).build();
        callbacks.events().subscribe();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            bodies.add(mutant());
        }
        bodies.add(event("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":1,\"EventInfo\":"
                + "{\"RoomId\":\"r\",\"EventTs\":9223372036854775807}}"));
        List<Integer> statuses = new ArrayList<>();
        String log = capturingErrors(() -> {
            DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
            try {
                // One at a time: two copies of one event in flight at once get a 503 for the second (the
                // service retries it), by design, and that is not what this test is about.
                HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
                statuses.addAll(Flux.fromIterable(bodies)
                        .flatMapSequential(body -> http.headers(h -> h.set("Sign", CallbackSignature.sign(KEY, body)))
                                .post().uri("/").send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                                .responseSingle((res, content) -> Mono.just(res.status().code())), 1)
                        .collectList().block(Duration.ofMinutes(2)));
            } finally {
                server.disposeNow();
                callbacks.close();
            }
        });

        assertThat(statuses).hasSize(bodies.size()).allSatisfy(s -> assertThat(s).isIn(200, 400, 401));
        assertThat(statuses.get(statuses.size() - 1)).as("EventTs at Long.MAX_VALUE").isEqualTo(400);
        assertThat(log.lines().filter(l -> l.contains("ERROR"))).isEmpty();
    }

    private static String capturingErrors(Runnable run) {
        return StandardError.during(run);
    }

    /** A documented body, stamped now, then mutated in one to three places. */
    private byte[] mutant() {
        String seed = DOCUMENTED.get(random.nextInt(DOCUMENTED.size()));
        if (random.nextInt(10) == 0) {
            return brokenBytes(event(seed));
        }
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(event(seed));
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                mutate(root);
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] event(String seed) {
        return seed.replaceFirst("\"Callback(Ms)?Ts\":1,", "\"Callback$1Ts\":" + System.currentTimeMillis() + ",")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void mutate(ObjectNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> fields = new ArrayList<>();
        target.fieldNames().forEachRemaining(fields::add);
        String field = fields.isEmpty() || random.nextInt(8) == 0
                ? List.of("EventGroupId", "EventType", "EventTs", "Status", "RoomId").get(random.nextInt(5))
                : fields.get(random.nextInt(fields.size()));
        if (random.nextInt(10) == 0) {
            target.remove(field);
        } else {
            target.set(field, hostileValue());
        }
    }

    private JsonNode hostileValue() {
        switch (random.nextInt(16)) {
            case 0: return NODES.numberNode(Long.MAX_VALUE);
            case 1: return NODES.numberNode(Long.MIN_VALUE);
            case 2: return NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 3: return NODES.numberNode(1e308);
            case 4: return NODES.numberNode(-1e-308);
            case 5: return NODES.textNode("9223372036854775807");
            case 6: return NODES.textNode("-99999999999999999");
            case 7: return NODES.textNode("\u001b[31m\n\u0000\u2028");
            case 8: return NODES.booleanNode(random.nextBoolean());
            case 9: return NODES.nullNode();
            case 10: return NODES.arrayNode().add(1).add("x");
            case 11: return NODES.objectNode().put("Status", "x");
            case 12: return deep(random.nextInt(900) + 1);
            case 13: return NODES.textNode("x".repeat(random.nextInt(20_000)));
            case 14: return NODES.numberNode(random.nextInt(2000) - 500);
            default: return NODES.numberNode(random.nextInt());
        }
    }

    private static JsonNode deep(int depth) {
        ArrayNode top = NODES.arrayNode();
        ArrayNode at = top;
        for (int i = 0; i < depth; i++) {
            at = at.addArray();
        }
        return top;
    }

    private byte[] brokenBytes(byte[] body) {
        byte[] broken = body.clone();
        switch (random.nextInt(3)) {
            case 0:
                return Arrays.copyOf(broken, random.nextInt(broken.length));
            case 1:
                broken[random.nextInt(broken.length)] = (byte) random.nextInt(256);
                return broken;
            default:
                return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void collect(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        node.elements().forEachRemaining(child -> collect(child, into));
    }
}
