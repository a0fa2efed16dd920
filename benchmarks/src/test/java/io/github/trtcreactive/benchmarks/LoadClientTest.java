package io.github.trtcreactive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;

/** A small run of each load side against the canned server: every call gets the reply, none fails. */
class LoadClientTest {

    private DisposableServer server;

    @BeforeEach
    void start() {
        LoadClient.warmUpCalls = 20;
        LoadClient.warmUpTime = java.time.Duration.ZERO;
        server = CannedServer.start(0);
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    @Test
    void eachSide_completesEveryCall_andReportsWhatItMeasured() throws Exception {
        LoadClient.Result raw = LoadClient.reactive("raw", 8, 300, LoadClient.raw(server.port(), 8));
        LoadClient.Result sdk = LoadClient.reactive("trtc-reactive", 8, 300, LoadClient.sdk(server.port(), 8));
        LoadClient.Result official = LoadClient.official(8, 300, server.port());

        for (LoadClient.Result result : new LoadClient.Result[] {raw, sdk, official}) {
            assertThat(result.errors()).as(result.variant()).isZero();
            assertThat(result.calls()).isEqualTo(300);
            assertThat(result.throughput()).isPositive();
            assertThat(result.p99Ms()).isGreaterThanOrEqualTo(result.p50Ms()).isPositive();
            assertThat(result.peakThreads()).isPositive();
            assertThat(result.peakRssMib()).isPositive();
        }
    }
}
