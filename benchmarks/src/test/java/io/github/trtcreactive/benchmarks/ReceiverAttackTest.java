package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The receiver survives 3,000 stalled-body connections in a JVM with a 128 MB heap: a signed
 * callback sent once the attack is in place (and again each second) is answered 200 within the
 * read timeout plus 2 s, the server closes every stalled connection within the same time, and the
 * heap returns to its level before the attack.
 */
class ReceiverAttackTest {

    private static final long READ_TIMEOUT_MS = 3000;

    @Test
    void threeThousandStalledBodies_leaveTheReceiverAlive_answering_andItsHeapWhereItWas() throws Exception {
        ReceiverAttack.Result r = ReceiverAttack.run(3000, READ_TIMEOUT_MS, "128m");

        double bound = (READ_TIMEOUT_MS + 2000) / 1000.0;
        assertThat(r.outOfMemory()).as("OutOfMemoryError in the receiver").isFalse();
        assertThat(r.aliveAfter()).as("answers after the attack").isTrue();
        assertThat(r.firstAnsweredSeconds()).as("the signed callback, retried each second, answered 200 after")
                .isBetween(0.0, bound);
        assertThat(r.stillOpen()).as("stalled connections never closed").isZero();
        assertThat(r.slowestCloseSeconds()).as("the slowest stalled connection closed after").isLessThanOrEqualTo(bound);
        assertThat(r.slowestAnsweredSeconds()).as("the slowest refused connection closed after").isLessThanOrEqualTo(bound);
        assertThat(r.heapAfterBytes()).as("heap after the attack against %d before", r.heapBeforeBytes())
                .isLessThanOrEqualTo(r.heapBeforeBytes() + 4_000_000);
        assertThat(r.stats()).contains("open=0").contains("buffered=0");
    }
}
