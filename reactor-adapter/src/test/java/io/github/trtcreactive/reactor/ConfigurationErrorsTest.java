package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.trtcreactive.core.auth.Credentials;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.catalog.RateLimit;
import io.github.trtcreactive.emulator.TrtcEmulator;
import reactor.test.StepVerifier;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration says what is wrong, and where it came from, before anything is sent. */
class ConfigurationErrorsTest {

    private static final Credentials KEYS = Credentials.of("AKIDconfig", "config-secret-key");

    @TempDir
    Path dir;

    @Test
    void misspelledActionNames_areRejected_withTheNearestAndItsStringRoomTwin() {
        assertThatThrownBy(() -> TrtcAsyncClient.builder().retryPolicy("DismisRoom", RetryPolicy.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryPolicy(action, policy): unknown action \"DismisRoom\"")
                .hasMessageContaining("DismissRoom or DismissRoomByStrRoomId");
        RateLimit limit = new RateLimit(5, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED);
        assertThatThrownBy(() -> TrtcRateLimiter.builder().limit("DescribeCloudRecordings", limit))
                .hasMessageContaining("limit(action, limit): unknown action \"DescribeCloudRecordings\"")
                .hasMessageContaining("did you mean DescribeCloudRecording?");
        assertThatThrownBy(() -> TrtcRateLimiter.builder().burst("removeuser", 2))
                .hasMessageContaining("burst(action, burst)")
                .hasMessageContaining("RemoveUser or RemoveUserByStrRoomId");
        TrtcAsyncClient.builder().retryPolicy("DismissRoom", RetryPolicy.none()); // a known name is accepted
    }

    @Test
    void unknownRegions_areRejected_fromTheBuilderAndTheEnvironment_withAnEscapeHatch() {
        assertThatThrownBy(() -> TrtcAsyncClient.builder().region("mars-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region(String): unknown region \"mars-1\"")
                .hasMessageContaining("ap-singapore")
                .hasMessageContaining("unlistedRegion");
        assertThatThrownBy(() -> TrtcAsyncClient.builder().credentials(KEYS)
                .environment(Map.of("TENCENTCLOUD_REGION", "mars-1")::get).build())
                .hasMessageContaining("environment variable TENCENTCLOUD_REGION: unknown region \"mars-1\"");
        try (TrtcAsyncClient newRegion = TrtcAsyncClient.builder().credentials(KEYS).unlistedRegion("ap-newcity")
                .build()) {
            assertThat(newRegion.region()).isEqualTo("ap-newcity");
        }
        assertThatThrownBy(() -> TrtcAsyncClient.builder().unlistedRegion("Mars 1"))
                .hasMessageContaining("is not a region name");
    }

    @Test
    void aBadEndpointVariable_isNamed() {
        assertThatThrownBy(() -> TrtcAsyncClient.builder().credentials(KEYS)
                .environment(Map.of("TRTC_ENDPOINT", "htt p://x")::get).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("environment variable TRTC_ENDPOINT is not a valid endpoint");
        assertThatThrownBy(() -> TrtcAsyncClient.builder().credentials(KEYS)
                .environment(Map.of("TRTC_ENDPOINT", "http://2130706433:9000")::get).build())
                .hasMessageStartingWith("environment variable TRTC_ENDPOINT is not a valid endpoint")
                .hasMessageContaining("plain http");
    }

    @Test
    void credentialsProfile_readsTheNamedSectionOfTheGivenFile_asUsersWriteIt() throws IOException {
        Path file = dir.resolve("creds.ini");
        Files.write(file, ("\uFEFF[default]\nsecret_id = AKIDdefault\nsecret_key = k0\n"
                + "[ci]\nsecret_id = \"AKIDci\"  # from the vault\nsecret_key = 'ci-key' ; rotated monthly\n")
                .getBytes(StandardCharsets.UTF_8));

        try (TrtcEmulator emulator = TrtcEmulator.builder().credentials(Credentials.of("AKIDci", "ci-key")).start();
                TrtcAsyncClient named = TrtcAsyncClient.builder().credentialsProfile(file, "ci").region("ap-singapore")
                        .endpoint(emulator.uri())
                        .build();
                TrtcAsyncClient fromEnvironment = TrtcAsyncClient.builder().credentialsProfile(file, null)
                        .region("ap-singapore").endpoint(emulator.uri())
                        .environment(Map.of("TENCENTCLOUD_PROFILE", "ci")::get).build()) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("SdkAppId", emulator.sdkAppId());
            for (TrtcAsyncClient client : new TrtcAsyncClient[] {named, fromEnvironment}) {
                StepVerifier.create(client.call("DescribeStreamIngest", body.deepCopy().put("TaskId", "t")))
                        .expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
            }
            assertThat(emulator.requests()).hasSize(2).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        }
        assertThatThrownBy(() -> TrtcAsyncClient.builder().credentialsProfile(file, "prod").build())
                .hasMessageContaining("no [prod] section");
    }
}
