package io.github.trtcreactive.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path dir;

    @Test
    void toString_neverShowsKeyOrToken() {
        Credentials c = Credentials.of("AKIDexample", "the-secret-key", "the-session-token");

        assertThat(c.toString()).contains("AKIDexample").doesNotContain("the-secret-key", "the-session-token");
        assertThat(CredentialsProvider.of(c).toString()).doesNotContain("the-secret-key", "the-session-token");
    }

    @Test
    void of_blankOrPaddedValues_areRejectedNamingTheField() {
        assertThatThrownBy(() -> Credentials.of("", "k")).hasMessageContaining("secretId");
        assertThatThrownBy(() -> Credentials.of("id", "k ")).hasMessageContaining("secretKey")
                .hasMessageContaining("white space");
        assertThatThrownBy(() -> Credentials.of("id", null)).hasMessageContaining("secretKey");
    }

    @Test
    void environment_readsIdKeyAndOptionalToken() {
        Map<String, String> env = Map.of("TENCENTCLOUD_SECRET_ID", "id1", "TENCENTCLOUD_SECRET_KEY", "key1",
                "TENCENTCLOUD_SESSION_TOKEN", "tok1");

        Credentials c = new EnvironmentCredentialsProvider(env::get).resolveCredentials();

        assertThat(c).isEqualTo(Credentials.of("id1", "key1", "tok1"));
        assertThatThrownBy(() -> new EnvironmentCredentialsProvider(Map.of("TENCENTCLOUD_SECRET_ID", "x")::get)
                .resolveCredentials())
                .isInstanceOf(CredentialsNotFoundException.class)
                .hasMessageContaining("TENCENTCLOUD_SECRET_KEY is not set");
    }

    @Test
    void profileFile_readsTheDefaultSectionOnce() throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "# comment\n[other]\nsecret_id = no\nsecret_key = no\n\n[default]\n"
                + "secret_id = AKIDfile\nsecret_key = file-key\n");
        ProfileCredentialsProvider provider = new ProfileCredentialsProvider(file, "default");

        assertThat(provider.resolveCredentials()).isEqualTo(Credentials.of("AKIDfile", "file-key"));
        Files.delete(file);
        assertThat(provider.resolveCredentials()).isEqualTo(Credentials.of("AKIDfile", "file-key"));
    }

    @Test
    void profileFile_missingFileOrKey_saysWhy() throws IOException {
        assertThatThrownBy(() -> new ProfileCredentialsProvider(dir.resolve("none"), "default").resolveCredentials())
                .isInstanceOf(CredentialsNotFoundException.class).hasMessageContaining("does not exist");
        Path file = dir.resolve("credentials");
        Files.writeString(file, "[default]\nsecret_id = AKID\n");
        assertThatThrownBy(() -> new ProfileCredentialsProvider(file, "default").resolveCredentials())
                .hasMessageContaining("has no secret_key");
    }

    @Test
    void chain_returnsTheFirstFound_andListsEverySourceTriedWhenNone() {
        Credentials fromFile = Credentials.of("AKIDsecond", "k2");
        CredentialsProvider empty = new EnvironmentCredentialsProvider(name -> null);

        assertThat(new CredentialsProviderChain(List.of(empty, CredentialsProvider.of(fromFile)))
                .resolveCredentials()).isEqualTo(fromFile);
        assertThatThrownBy(() -> new CredentialsProviderChain(
                List.of(empty, new ProfileCredentialsProvider(dir.resolve("none"), "default"))).resolveCredentials())
                .isInstanceOf(CredentialsNotFoundException.class)
                .hasMessageContaining("environment variables: TENCENTCLOUD_SECRET_ID is not set")
                .hasMessageContaining("profile [default] of " + dir.resolve("none") + ": the file does not exist");
    }

    @Test
    void chain_asksAnAbsentSourceWithoutAnException_whenALaterOneAnswers() {
        Credentials fromFile = Credentials.of("AKIDsecond", "k2");
        java.util.concurrent.atomic.AtomicInteger thrown = new java.util.concurrent.atomic.AtomicInteger();
        CredentialsProvider environment = new EnvironmentCredentialsProvider(name -> null);
        CredentialsProvider absent = new CredentialsProvider() {
            @Override
            public Credentials resolveCredentials() {
                thrown.incrementAndGet();
                return environment.resolveCredentials();
            }

            @Override
            public java.util.Optional<Credentials> findCredentials() {
                return environment.findCredentials();
            }
        };
        CredentialsProviderChain chain = new CredentialsProviderChain(List.of(absent, CredentialsProvider.of(fromFile)));
        for (int i = 0; i < 100; i++) {
            assertThat(chain.resolveCredentials()).isEqualTo(fromFile);
        }
        assertThat(thrown).as("the environment was asked whether it has credentials, never made to throw").hasValue(0);
        assertThat(new EnvironmentCredentialsProvider(Map.of("TENCENTCLOUD_SECRET_ID", "AKIDx",
                "TENCENTCLOUD_SECRET_KEY", "k")::get).findCredentials()).contains(Credentials.of("AKIDx", "k"));
    }
}
