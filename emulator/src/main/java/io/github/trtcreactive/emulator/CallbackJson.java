package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a callback body in the service's style: one member per line, indented with tabs, a tab
 * after each colon ({@code {\n\t"EventGroupId":\t2,\n...}}); arrays on one line. The signature is
 * computed over exactly these bytes.
 */
final class CallbackJson {

    private CallbackJson() {}

    static byte[] write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, 0, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, int depth, StringBuilder out) {
        if (!node.isObject()) {
            out.append(compact(node));
            return;
        }
        if (node.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            out.append("\t".repeat(depth + 1)).append(compact(TrtcProtocol.mapper().getNodeFactory()
                    .textNode(member.getKey()))).append(":\t");
            write(member.getValue(), depth + 1, out);
            out.append(it.hasNext() ? ",\n" : "\n");
        }
        out.append("\t".repeat(depth)).append('}');
    }

    private static String compact(JsonNode node) {
        try {
            return TrtcProtocol.mapper().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
