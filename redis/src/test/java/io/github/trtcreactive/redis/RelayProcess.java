package io.github.trtcreactive.redis;

import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import java.util.concurrent.CountDownLatch;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * One receiver process of a fleet, for {@link CallbackRelayTest}: a {@code TrtcCallbacks} on a free
 * port with the Redis relay, printing {@code LISTENING port} and then one {@code EVENT type key}
 * line per event its {@code events()} emits, until it is stopped.
 * Args: the Redis URI and the callback key.
 */
public final class RelayProcess {

    private RelayProcess() {}

    public static void main(String[] args) throws Exception {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().key(args[1])
                .relay(RedisCallbackRelay.connect(args[0], "relay-test", 10_000)).build();
        callbacks.events().subscribe(e -> {
            synchronized (System.out) {
                System.out.println("EVENT " + e.type() + " " + e.parsed().deduplicationKey());
                System.out.flush();
            }
        });
        DisposableServer server = callbacks.serve(HttpServer.create().host("127.0.0.1").port(0));
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        new CountDownLatch(1).await(); // the process's main thread waits until the test stops it
    }
}
