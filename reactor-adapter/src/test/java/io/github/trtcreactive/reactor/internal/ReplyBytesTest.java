package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A reply gathered from many chunks costs one copy of its bytes, not one per chunk. */
class ReplyBytesTest {

    @Test
    void join_copiesATenMegabyteReplyOfEightKilobyteChunksOnce() {
        ReplyBytes reply = new ReplyBytes();
        int chunks = 1280;
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = new byte[8192];
            chunk[0] = (byte) i;
            chunk[8191] = (byte) (i * 7);
            assertThat(reply.add(chunk)).isEqualTo((i + 1) * 8192L);
        }
        byte[] joined = reply.join();

        assertThat(joined).hasSize(10 * 1024 * 1024);
        assertThat(reply.copiedBytes()).as("bytes copied while gathering").isEqualTo(10L * 1024 * 1024);
        for (int i = 0; i < chunks; i++) {
            assertThat(joined[i * 8192]).isEqualTo((byte) i);
            assertThat(joined[i * 8192 + 8191]).isEqualTo((byte) (i * 7));
        }
    }

    @Test
    void join_handsASingleChunkOnAsItIs_andNothingAsAnEmptyReply() {
        ReplyBytes single = new ReplyBytes();
        byte[] only = {1, 2, 3};
        single.add(only);
        single.add(new byte[0]);
        assertThat(single.join()).isSameAs(only);
        assertThat(single.copiedBytes()).isZero();
        assertThat(new ReplyBytes().join()).isEmpty();
    }
}
