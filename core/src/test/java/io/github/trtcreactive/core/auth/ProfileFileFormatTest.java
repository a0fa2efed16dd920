package io.github.trtcreactive.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file as people write it: BOM, quotes, inline comments, named profiles. */
class ProfileFileFormatTest {

    @TempDir
    Path dir;

    @Test
    void profileFile_withBomQuotesAndInlineComments_readsTheBareValues() throws IOException {
        Path file = dir.resolve("credentials");
        Files.write(file, ("\uFEFF[default]\n"
                + "secret_id = \"AKIDquoted\"   # the id\n"
                + "secret_key='keyQuoted' ; the key\n"
                + "token = tok#en   ;note\n").getBytes(StandardCharsets.UTF_8));

        Credentials c = CredentialsProvider.profileFile(file, "default").resolveCredentials();

        assertThat(c).isEqualTo(Credentials.of("AKIDquoted", "keyQuoted", "tok#en"));
    }

    @Test
    void profileFile_namedProfile_readsThatSectionOnly() throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "[default]\nsecret_id=a\nsecret_key=b\n[ prod ]\nsecret_id = p1\nsecret_key = p2\n");

        assertThat(CredentialsProvider.profileFile(file, "prod").resolveCredentials())
                .isEqualTo(Credentials.of("p1", "p2"));
        assertThatThrownBy(() -> CredentialsProvider.profileFile(file, "staging").resolveCredentials())
                .isInstanceOf(CredentialsNotFoundException.class).hasMessageContaining("no [staging] section");
        assertThatThrownBy(() -> CredentialsProvider.profileFile(file, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }

    @Test
    void defaultChain_namesTheProfileOfTencentcloudProfile() {
        Map<String, String> env = Map.of("TENCENTCLOUD_PROFILE", "nightly");

        assertThatThrownBy(() -> CredentialsProvider.defaultChain(env::get).resolveCredentials())
                .isInstanceOf(CredentialsNotFoundException.class)
                .hasMessageContaining("profile [nightly] of");
    }
}
