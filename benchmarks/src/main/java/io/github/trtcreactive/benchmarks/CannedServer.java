package io.github.trtcreactive.benchmarks;

import java.io.IOException;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The one server every load run talks to: a minimal Reactor Netty server on loopback that reads
 * each request and answers the same DescribeCloudRecording reply. It checks nothing, so the run
 * measures the clients. Runs in its own JVM: {@code CannedServer PORT}; stops when its standard
 * input closes.
 */
public final class CannedServer {

    private CannedServer() {}

    /**
     * Starts the server.
     *
     * @param port the port, 0 for any
     * @return the server
     */
    static DisposableServer start(int port) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> request.receive().then(
                        response.header("Content-Type", "application/json")
                                .header("Content-Length", Integer.toString(Fixtures.DESCRIBE_REPLY.length))
                                .sendByteArray(Mono.just(Fixtures.DESCRIBE_REPLY))
                                .then()))
                .bindNow();
    }

    /**
     * Serves until standard input closes.
     *
     * @param args the port
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        DisposableServer server = start(Integer.parseInt(args[0]));
        System.out.println("listening " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        server.disposeNow();
    }
}
