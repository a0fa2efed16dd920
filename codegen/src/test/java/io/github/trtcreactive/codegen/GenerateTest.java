package io.github.trtcreactive.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerateTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** Set -Dcodegen.updateGolden=true to rewrite the golden files after an intended change. */
    private static final boolean UPDATE = Boolean.getBoolean("codegen.updateGolden");

    @Test
    void generate_miniSpec_matchesGoldenFiles() throws IOException {
        Map<String, String> files = Generate.generate(Spec.read(GOLDEN.resolve("mini-spec.json")));

        assertThat(files).containsOnlyKeys(
                "core/src/generated/java/io/github/trtcreactive/core/model/DoThingRequest.java",
                "core/src/generated/java/io/github/trtcreactive/core/model/DoThingResponse.java",
                "core/src/generated/java/io/github/trtcreactive/core/model/Item.java",
                "core/src/generated/java/io/github/trtcreactive/core/model/Channels.java",
                "core/src/generated/java/io/github/trtcreactive/core/model/StreamThingRequest.java",
                "core/src/generated/java/io/github/trtcreactive/core/model/StreamThingResponse.java",
                "core/src/generated/java/io/github/trtcreactive/core/catalog/ActionTable.java",
                "core/src/generated/java/io/github/trtcreactive/core/error/TrtcErrorCodes.java",
                "core/src/generated/java/io/github/trtcreactive/core/protocol/ModelReaders.java",
                "reactor-adapter/src/generated/java/io/github/trtcreactive/reactor/TrtcOperations.java");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path golden = GOLDEN.resolve(Path.of(file.getKey()).getFileName() + ".txt");
            if (UPDATE) {
                Files.writeString(golden, file.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(file.getValue()).as(file.getKey())
                    .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }

    @Test
    void committedGeneratedSources_matchTheCommittedSpec() throws IOException {
        Path root = Path.of("..");
        Map<String, String> expected = Generate.generate(Spec.read(Path.of("spec/trtc-2019-07-22.json")));

        assertThat(Generate.existing(root))
                .as("generated files under */src/generated/java; regenerate with "
                        + "'mvn -q -pl codegen compile exec:java@generate'")
                .containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(Files.readString(root.resolve(file.getKey()), StandardCharsets.UTF_8))
                    .as(file.getKey() + " differs from the generator's output; regenerate, never edit by hand")
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void spec_holdsEveryActionTypeAndMemberOfBothSites() throws IOException {
        Spec spec = Spec.read(Path.of("spec/trtc-2019-07-22.json"));

        assertThat(spec.actions()).hasSize(81);
        assertThat(spec.objects()).hasSize(276);
        assertThat(spec.objects().values().stream().mapToInt(o -> o.members().size()).sum()).isEqualTo(1086);
        assertThat(spec.actions().values()).filteredOn(a -> a.sites().contains(Spec.INTL)).hasSize(58);
        assertThat(spec.actions().values()).filteredOn(a -> a.sites().contains(Spec.CN)).hasSize(78);
    }

    @Test
    void memberNames_lowerTheLeadingWordOrAcronym() {
        assertThat(JavaNames.member("SdkAppId")).isEqualTo("sdkAppId");
        assertThat(JavaNames.member("SdkAppid")).isEqualTo("sdkAppid");
        assertThat(JavaNames.member("APIKey")).isEqualTo("apiKey");
        assertThat(JavaNames.member("IMAdminUserSig")).isEqualTo("imAdminUserSig");
        assertThat(JavaNames.member("StatementID")).isEqualTo("statementID");
        assertThat(JavaNames.member("ID")).isEqualTo("id");
        assertThat(JavaNames.member("UserIds")).isEqualTo("userIds");
    }
}
