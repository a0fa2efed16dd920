package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.model.CloudStorage;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.emulator.Fault;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Calls that carry every kind of secret, through successes and failures, with the SDK's logging at
 * TRACE: neither the log output nor any error message or toString contains one of the secrets.
 */
class SecretsInLogsAndErrorsTest {

    private static final String KEY = "HYGIENE-SECRET-KEY-7f3a";
    private static final String TOKEN = "HYGIENE-SESSION-TOKEN-91c2";
    private static final String USER_SIG = "HYGIENE-USERSIG-4d5e";
    private static final String PRIVATE_MAP_KEY = "HYGIENE-PRIVATEMAPKEY-0b1c";
    private static final String STORAGE_SECRET = "HYGIENE-COS-SECRET-8e9f";

    @Test
    void noSecret_inLogsAtEveryLevel_orInErrors() {
        Credentials credentials = Credentials.of("AKIDhygiene", KEY, TOKEN);
        List<String> printed = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TrtcEmulator emulator = TrtcEmulator.builder().credentials(credentials).start()) {
            CreateCloudRecordingRequest request = CreateCloudRecordingRequest.builder()
                    .sdkAppId(emulator.sdkAppId()).roomId("r").roomIdType(0L).userId("robot").userSig(USER_SIG)
                    .privateMapKey(PRIVATE_MAP_KEY)
                    .recordParams(RecordParams.builder().recordMode(1L).build())
                    .storageParams(StorageParams.builder().cloudStorage(CloudStorage.builder().vendor(0L)
                            .region("ap-shanghai").bucket("b").accessKey("ak").secretKey(STORAGE_SECRET).build())
                            .build())
                    .build();
            printed.add(request.toString());
            emulator.faults().next("CreateCloudRecording", Fault.httpStatus(502), 1)
                    .next("CreateCloudRecording", Fault.resetMidResponse(), 1);
            try (TrtcAsyncClient client = TrtcAsyncClient.builder().region("ap-singapore").credentials(credentials).endpoint(emulator.uri())
                    .responseTimeout(Duration.ofMillis(500)).retryPolicy(RetryPolicy.none()).build();
                    TrtcAsyncClient wrongKey = TrtcAsyncClient.builder().region("ap-singapore")
                            .credentials(Credentials.of("AKIDhygiene", KEY + "-wrong", TOKEN))
                            .endpoint(emulator.uri()).build();
                    TrtcAsyncClient limited = TrtcAsyncClient.builder().region("ap-singapore").credentials(credentials)
                            .endpoint(emulator.uri()).rateLimiter(TrtcRateLimiter.builder()
                                    .maxWait(Duration.ofMillis(1)).build()).build()) {
                printed.add(client.toString());
                for (int i = 0; i < 3; i++) { // a 502, a reset, then the emulator's own answer (a bad UserSig)
                    printed.add(outcome(client.createCloudRecording(request)));
                }
                printed.add(outcome(wrongKey.createCloudRecording(request)));
                printed.add(outcome(limited.createCloudRecording(request)));
                printed.add(outcome(limited.createCloudRecording(request)));
                printed.add(outcome(client.createCloudRecording(request.toBuilder().recordParams(null).build())));
                emulator.requests().forEach(r -> printed.add(r.toString()));
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).as("the SDK logged at debug level or below").contains("CreateCloudRecording attempt 1 sending");
        String everything = log + String.join("\n", printed);
        for (String secret : List.of(KEY, TOKEN, USER_SIG, PRIVATE_MAP_KEY, STORAGE_SECRET)) {
            assertThat(everything).as("output containing %s", secret).doesNotContain(secret);
        }
        assertThat(printed).anyMatch(p -> p.contains("InvalidParameter.UserSig"))
                .anyMatch(p -> p.contains("SignatureFailure"))
                .anyMatch(p -> p.contains("TrtcRateLimitException"))
                .anyMatch(p -> p.contains("TrtcValidationException"));
    }

    /** The value or the error of a call, as printed: the error's toString and its whole cause chain. */
    private static String outcome(Mono<?> call) {
        try {
            return String.valueOf(call.block(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                text.append(t).append('\n');
            }
            return text.toString();
        }
    }
}
