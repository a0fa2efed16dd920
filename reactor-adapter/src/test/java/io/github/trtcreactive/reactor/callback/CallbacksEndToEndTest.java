package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The emulator posting its callbacks to a {@link TrtcCallbacks} endpoint over real sockets while a
 * recording runs, as the quickstart's does; the endpoint is down for 15 s in the middle.
 */
class CallbacksEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = "quickstart42";

    private TrtcCallbacks callbacks;
    private DisposableServer server;
    private TrtcEmulator emulator;
    private TrtcAsyncClient client;
    private Disposable subscription;

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (client != null) {
            client.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (server != null) {
            server.disposeNow();
        }
        if (callbacks != null) {
            callbacks.close();
        }
    }

    private void await(BooleanSupplier condition) {
        StepVerifier.create(Flux.interval(Duration.ofMillis(50)).filter(i -> condition.getAsBoolean()).next())
                .expectNextCount(1).expectComplete()
                .verify(WAIT);
    }

    private void await(BooleanSupplier condition, List<TrtcEvent> events) {
        try {
            await(condition);
        } catch (AssertionError e) {
            throw new AssertionError(state(events), e);
        }
    }

    private String state(List<TrtcEvent> events) {
        return "events " + types(events) + ", sent " + emulator.callbacksSent() + ", retried "
                + emulator.callbacksRetried() + ", given up " + emulator.callbacksGivenUp() + ", refused "
                + callbacks.rejectedCount();
    }

    @Test
    void everyEventArrivesOnce_andThoseSentWhileTheReceiverWasDown_arriveAfterItComesBack() throws Exception {
        callbacks = TrtcCallbacks.builder().key(KEY).path("/trtc/callbacks").build();
        List<TrtcEvent> events = new CopyOnWriteArrayList<>();
        subscription = callbacks.events().subscribe(events::add);
        // The receiver's connections are tracked, so that killing it also cuts the kept-alive ones.
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0).channelGroup(connections));
        int port = server.port();
        emulator = TrtcEmulator.builder().callbacks(URI.create("http://127.0.0.1:" + port + "/trtc/callbacks"), KEY)
                .start();
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials())
                .endpoint(emulator.uri()).build();
        long app = emulator.sdkAppId();

        emulator.rooms().join("quickstart-room", "anchor");
        String task = client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(app)
                        .roomId("quickstart-room").roomIdType(0L).userId("recorder")
                        .userSig(emulator.userSigs().generate("recorder", Duration.ofHours(1)))
                        .recordParams(RecordParams.builder().recordMode(2L).build())
                        .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                .tencentVod(TencentVod.builder().build()).build()).build())
                        .build())
                .block(WAIT).taskId();
        try {
            await(() -> types(events).contains(301)); // the recorder joined, a second after the start
        } catch (AssertionError e) {
            throw new AssertionError(state(events), e);
        }
        assertThat(types(events)).containsExactly(101, 103, 201, 203, 301);
        assertThat(events.get(4).taskId()).isEqualTo(task);
        assertThat(events).allSatisfy(e -> assertThat(e.sdkAppId()).isEqualTo(app));

        // The receiver goes away; the recording stops and the room empties meanwhile.
        server.disposeNow();
        connections.close().awaitUninterruptibly(10_000);
        client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app).taskId(task).build())
                .block(WAIT);
        emulator.rooms().leave("quickstart-room", "anchor");
        await(() -> emulator.callbacksRetried() >= 5, events); // each of 302, 311, 312, 104 and 102 failed and is waiting
        Thread.sleep(15_000 - 1_000); // the test thread keeps the receiver down for about 15 s in all
        assertThat(types(events)).hasSize(5);
        server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(port));

        await(() -> types(events).contains(102), events);
        await(() -> events.size() >= 10, events);
        assertThat(types(events).subList(5, 10)).containsExactlyInAnyOrder(302, 311, 312, 104, 102);
        Map<String, Long> copies = events.stream().collect(Collectors.groupingBy(
                e -> e.parsed().deduplicationKey(), Collectors.counting()));
        assertThat(copies.values()).as("every event once").allSatisfy(n -> assertThat(n).isEqualTo(1));
        // An event is emitted before its answer reaches the emulator, which counts it then.
        await(() -> emulator.callbacksSent() == 10, events);
        assertThat(emulator.callbacksGivenUp()).isZero();
        assertThat(callbacks.acceptedCount()).isEqualTo(10);
        assertThat(events.get(events.size() - 1).eventTime()).isAfterOrEqualTo(events.get(0).eventTime());
    }

    private static List<Integer> types(List<TrtcEvent> events) {
        return events.stream().map(TrtcEvent::type).toList();
    }
}
