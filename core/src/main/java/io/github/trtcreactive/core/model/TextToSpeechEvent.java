package io.github.trtcreactive.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * One server-sent event of the streaming text-to-speech action: a chunk of audio (base64) with its
 * sequence number, and on the last one {@code IsEnd}; error events become errors of the stream.
 * Members the service adds later are ignored; alignments are kept as JSON.
 *
 * @param type {@code chunk} (or {@code error}, which the client turns into an error)
 * @param requestId the request's id
 * @param chunkId the chunk's id
 * @param audio the audio, base64-encoded
 * @param seq the chunk's position, from 0
 * @param isEnd whether this is the last chunk
 * @param alignments the text alignments of the chunk, when asked for; may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TextToSpeechEvent(
        @JsonProperty("Type") String type,
        @JsonProperty("RequestId") String requestId,
        @JsonProperty("ChunkId") String chunkId,
        @JsonProperty("Audio") String audio,
        @JsonProperty("Seq") Long seq,
        @JsonProperty("IsEnd") Boolean isEnd,
        @JsonProperty("Alignments") JsonNode alignments) {

    /** {@return the decoded audio bytes, empty when the event has none} */
    public byte[] audioBytes() {
        return audio == null ? new byte[0] : Base64.getDecoder().decode(audio);
    }

    /** Leaves the audio out, printing only its length. */
    @Override
    public String toString() {
        return "TextToSpeechEvent{type=" + type + ", requestId=" + requestId + ", chunkId=" + chunkId + ", seq=" + seq
                + ", isEnd=" + isEnd + ", audio=" + (audio == null ? 0 : audio.length()) + " chars}";
    }
}
