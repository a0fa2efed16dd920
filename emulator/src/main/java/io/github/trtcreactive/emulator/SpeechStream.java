package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * TextToSpeechSSE as server-sent events: the text is cut into up to ten parts, each sent as a
 * {@code chunk} event (its "audio" is the part's bytes, base64) one interval after the other, the
 * last with {@code IsEnd}. A voice id that does not start with {@code v-} is unknown, as the
 * service's own example answers with an error envelope.
 */
final class SpeechStream {

    private static final int MAX_CHUNKS = 10;

    private final Duration interval;
    private final reactor.core.scheduler.Scheduler timer;
    final AtomicLong eventsSent = new AtomicLong();

    SpeechStream(Duration interval, reactor.core.scheduler.Scheduler timer) {
        this.interval = interval;
        this.timer = timer;
    }

    /** Checks the request and cuts its text; throws ApiException, answered as an envelope. */
    List<String> chunks(ObjectNode body) {
        String voice = body.path("Voice").path("VoiceId").asText("");
        if (!voice.startsWith("v-")) {
            throw new ApiException("InvalidParameter.VoiceId", "Voice ID '" + voice + "' not found.");
        }
        String text = body.get("Text").asText();
        if (text.isEmpty()) {
            throw ApiException.invalid("Text", "it must not be empty");
        }
        int count = Math.min(MAX_CHUNKS, text.length());
        List<String> parts = new ArrayList<>();
        int size = (text.length() + count - 1) / count;
        for (int i = 0; i < text.length(); i += size) {
            parts.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return parts;
    }

    Mono<Void> stream(HttpServerResponse response, String requestId, List<String> parts) {
        Flux<String> events = Flux.range(0, parts.size())
                .concatMap(i -> Mono.delay(i == 0 ? Duration.ZERO : interval, timer).thenReturn(i))
                .map(i -> {
                    ObjectNode event = TrtcProtocol.mapper().createObjectNode().put("Type", "chunk")
                            .put("RequestId", requestId).put("ChunkId", "chunk_" + i)
                            .put("Audio", Base64.getEncoder().encodeToString(parts.get(i).getBytes(
                                    StandardCharsets.UTF_8)))
                            .put("Seq", i).put("IsEnd", i == parts.size() - 1);
                    return "data: " + event + "\n\n";
                })
                .doOnNext(e -> eventsSent.incrementAndGet());
        return response.status(200).header("Content-Type", "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache").sendString(events).then();
    }
}
