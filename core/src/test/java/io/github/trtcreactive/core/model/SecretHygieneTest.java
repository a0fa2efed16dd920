package io.github.trtcreactive.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Authorization;
import io.github.trtcreactive.core.signer.Tc3Signature;
import io.github.trtcreactive.core.signer.Tc3Signer;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No public type prints a secret: every secret member of every model type, and the auth types. */
class SecretHygieneTest {

    @Test
    void everyModelType_redactsItsSecretMembers_andPrintsTheOthers() throws Exception {
        JsonNode spec = TrtcProtocol.mapper().readTree(Path.of("../codegen/spec/trtc-2019-07-22.json").toFile());
        Set<String> secrets = new HashSet<>();
        spec.get("secretMembers").forEach(s -> secrets.add(s.asText()));
        int checked = 0;
        for (Map.Entry<String, JsonNode> type : (Iterable<Map.Entry<String, JsonNode>>) spec.get("objects")::fields) {
            Class<?> model = Class.forName(TrtcModel.class.getPackageName() + "." + type.getKey());
            Object builder = model.getMethod("builder").invoke(null);
            for (Method setter : builder.getClass().getMethods()) {
                JsonProperty wire = setter.getAnnotation(JsonProperty.class);
                if (wire != null && setter.getParameterTypes().length == 1 && setter.getParameterTypes()[0] == String.class) {
                    setter.invoke(builder, "MARK-" + wire.value() + "-MARK");
                }
            }
            String printed = builder.getClass().getMethod("build").invoke(builder).toString();
            for (JsonNode member : type.getValue().get("members")) {
                String name = member.get("name").asText();
                if (!member.get("type").asText().equals("string")) {
                    continue;
                }
                if (secrets.contains(name)) {
                    assertThat(printed).as(type.getKey() + "." + name).doesNotContain("MARK-" + name + "-MARK");
                    checked++;
                } else {
                    assertThat(printed).as(type.getKey() + "." + name).contains("MARK-" + name + "-MARK");
                }
            }
        }
        assertThat(checked).as("secret members checked").isGreaterThan(20);
    }

    @Test
    void authTypes_neverPrintKeysTokensOrSignatures() {
        Credentials c = Credentials.of("AKIDvisible", "SECRET-KEY-1", "SESSION-TOKEN-1");
        Tc3Signature s = Tc3Signer.sign(c, "trtc", "h", 1_700_000_000L, "application/json", new byte[0]);
        String printed = String.join(" ", c.toString(), CredentialsProvider.of(c).toString(), s.toString(),
                Tc3Authorization.parse(s.authorization()).orElseThrow().toString());

        assertThat(printed).contains("AKIDvisible").doesNotContain("SECRET-KEY-1", "SESSION-TOKEN-1", s.signature());
    }
}
