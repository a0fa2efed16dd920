package io.github.trtcreactive.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.github.trtcreactive.core.error.TrtcClientException;
import io.github.trtcreactive.core.error.TrtcServiceException;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz of the decoder: 3,000 bodies (at most 1 MB each, fixed seed) made of truncated,
 * corrupted, garbage, deeply nested and oversized variants of real replies. The decoder may only
 * succeed or throw the SDK's own errors, and the whole run is bounded in time.
 */
class DecoderFuzzTest {

    private static final String[] SEEDS = {
        "{\"Response\":{\"TaskId\":\"t1\",\"Status\":\"InProgress\",\"StorageFileList\":[{\"UserId\":\"u\","
                + "\"FileName\":\"f.m3u8\",\"TrackType\":\"audio\",\"BeginTimeStamp\":1700000000000}],\"RequestId\":\"r\"}}",
        "{\"Response\":{\"Error\":{\"Code\":\"ResourceNotFound\",\"Message\":\"gone\"},\"RequestId\":\"r\"}}",
        "{\"Response\":{\"RequestId\":\"r\"}}",
    };

    @Test
    void anyBody_givesASuccessOrTheSdksOwnErrors_inBoundedTime() {
        List<byte[]> bodies = bodies(new Random(42), 3000);
        int[] outcomes = new int[3];

        assertTimeout(Duration.ofSeconds(60), () -> {
            for (byte[] body : bodies) {
                try {
                    TrtcProtocol.decode("DescribeCloudRecording", 200, body, DescribeCloudRecordingResponse.class);
                    outcomes[0]++;
                } catch (TrtcServiceException e) {
                    outcomes[1]++;
                } catch (TrtcClientException e) {
                    assertThat(e.bodyExcerpt()).hasSizeLessThanOrEqualTo(TrtcProtocol.EXCERPT_LENGTH + 1);
                    outcomes[2]++;
                }
            }
        });

        assertThat(outcomes[0] + outcomes[1] + outcomes[2]).isEqualTo(bodies.size());
        assertThat(outcomes[0]).as("successes").isPositive();
        assertThat(outcomes[1]).as("service errors").isPositive();
        assertThat(outcomes[2]).as("client errors").isPositive();
    }

    private static List<byte[]> bodies(Random random, int count) {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] seed = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
            switch (i % 6) {
                case 0 -> bodies.add(java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1)));
                case 1 -> {
                    byte[] flipped = seed.clone();
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                    }
                    bodies.add(flipped);
                }
                case 2 -> {
                    byte[] garbage = new byte[random.nextInt(2048)];
                    random.nextBytes(garbage);
                    bodies.add(garbage);
                }
                case 3 -> {
                    int depth = 1 + random.nextInt(20_000);
                    bodies.add(("{\"Response\":{\"StorageFileList\":" + "[".repeat(depth) + "]".repeat(depth) + "}}")
                            .getBytes(StandardCharsets.UTF_8));
                }
                case 4 -> bodies.add(("{\"Response\":{\"TaskId\":\"" + "x".repeat(random.nextInt(1_000_000))
                        + "\",\"RequestId\":\"r\"}}").getBytes(StandardCharsets.UTF_8));
                default -> bodies.add(seed);
            }
        }
        return bodies;
    }
}
