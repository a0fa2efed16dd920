package io.github.trtcreactive.reactor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.auth.Credentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/**
 * A metadata service or STS that never stops answering (an endless chunked body, or a huge
 * {@code Content-Length}) costs a fetch at most 64 KiB: it fails at once with a message naming the
 * source and the limit, and the connection is closed, so the server manages to write little.
 */
class RoleReplyLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Far below what an unbounded read takes in a fetch's time-out (hundreds of MiB). The socket
     * buffers on both sides are fixed at 64 KiB ({@link #SOCKET_BUFFER}): left to the kernel's
     * tuning they grow to several MiB on loopback, which would measure the kernel, not the client.
     */
    private static final long MOST_THE_SERVER_MAY_WRITE = 2L * 1024 * 1024;
    private static final int SOCKET_BUFFER = 64 * 1024;
    private static final byte[] FILLER = filler();

    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final Sinks.Many<Integer> closed = Sinks.many().replay().all();
    private DisposableServer server;
    private URI base;

    private static byte[] filler() {
        byte[] bytes = new byte[8192];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = '{';
        return bytes;
    }

    /** Counts the bytes the socket accepted and reports each closed connection. */
    private final class WireCounter extends ChannelDuplexHandler {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            int size = msg instanceof ByteBuf b ? b.readableBytes() : 0;
            ctx.write(msg, promise.addListener(f -> {
                if (f.isSuccess()) {
                    written.addAndGet(size);
                }
            }));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.tryEmitNext(connections.get());
            ctx.fireChannelInactive();
        }
    }

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .doOnChannelInit((observer, channel, address) -> {
                    connections.incrementAndGet();
                    channel.pipeline().addFirst(new WireCounter());
                })
                .route(r -> r.get("/endless/latest/meta-data/cam/security-credentials/{role}", (req, res) -> endless(res))
                        .get("/endless/latest/meta-data/cam/security-credentials/", (req, res) -> endless(res))
                        .get("/declared/latest/meta-data/cam/security-credentials/{role}", (req, res) -> declared(res))
                        .post("/", (req, res) -> req.receive().then(Mono.defer(() ->
                                Mono.from("huge".equals(req.requestHeaders().get("X-Test")) ? declared(res)
                                        : endless(res))))))
                .bindNow();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private static Flux<ByteBuf> forever() {
        return Flux.generate(sink -> sink.next(Unpooled.wrappedBuffer(FILLER)));
    }

    private static Publisher<Void> endless(HttpServerResponse res) {
        return res.header("Content-Type", "application/json").send(forever());
    }

    private static Publisher<Void> declared(HttpServerResponse res) {
        return res.header("Content-Type", "application/json").header("Content-Length", "10000000000").send(forever());
    }

    private void expectTooLarge(Mono<Credentials> fetch, String source) {
        StepVerifier.create(fetch)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RoleCredentialsException.class)
                        .hasMessage(source + " answered more than 64 KiB (65536 bytes), the most a credentials reply"
                                + " may hold; the rest was not read and the connection was closed"))
                .verify(WAIT);
        StepVerifier.create(closed.asFlux().next()).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(written.get()).as("bytes the server wrote before the client closed")
                .isLessThan(MOST_THE_SERVER_MAY_WRITE);
    }

    private CvmRoleCredentialsProvider.Builder cvm(String prefix) {
        // A long time-out: what ends the fetch must be the limit, not the clock.
        return CvmRoleCredentialsProvider.builder().endpoint(URI.create(base + prefix)).timeout(Duration.ofSeconds(60))
                .httpClient(smallBuffers());
    }

    /** The providers' default client, its receive buffer fixed (see {@link #MOST_THE_SERVER_MAY_WRITE}). */
    private static HttpClient smallBuffers() {
        return RoleCalls.defaultHttpClient(Duration.ofSeconds(60)).option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER);
    }

    @Test
    void cvmRole_whenTheRoleListingNeverEnds_failsAtTheLimitAndClosesTheConnection() {
        expectTooLarge(cvm("/endless").build().credentials(),
                "the instance metadata service at " + base + "/endless/latest/meta-data/cam/security-credentials/");
    }

    @Test
    void cvmRole_whenTheCredentialsNeverEnd_failsAtTheLimitAndClosesTheConnection() {
        expectTooLarge(cvm("/endless").roleName("trtc-role").build().credentials(), "the instance metadata service at "
                + base + "/endless/latest/meta-data/cam/security-credentials/trtc-role");
    }

    @Test
    void cvmRole_whenTheReplyDeclaresAHugeLength_failsBeforeReadingIt() {
        expectTooLarge(cvm("/declared").roleName("trtc-role").build().credentials(), "the instance metadata service at "
                + base + "/declared/latest/meta-data/cam/security-credentials/trtc-role");
    }

    private StsAssumeRoleCredentialsProvider assumeRole(String test) {
        return StsAssumeRoleCredentialsProvider.builder().source(Credentials.of("AKIDsource", "source-secret-key"))
                .roleArn("qcs::cam::uin/1:roleName/trtc").roleSessionName("bot-1").endpoint(base)
                .timeout(Duration.ofSeconds(60))
                .httpClient(smallBuffers().headers(h -> h.set("X-Test", test)))
                .build();
    }

    @Test
    void assumeRole_whenStsNeverStopsAnswering_failsAtTheLimitAndClosesTheConnection() {
        expectTooLarge(assumeRole("endless").credentials(), "STS AssumeRole at " + base);
    }

    @Test
    void assumeRole_whenStsDeclaresAHugeLength_failsBeforeReadingIt() {
        expectTooLarge(assumeRole("huge").credentials(), "STS AssumeRole at " + base);
    }

    @Test
    void aReplyJustUnderTheLimit_isStillRead() {
        String padding = " ".repeat(RoleCalls.MAX_REPLY_BYTES - 200);
        DisposableServer padded = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendString(Mono.just("{\"Code\":\"Success\",\"TmpSecretId\":\"AKIDtmp\","
                        + "\"TmpSecretKey\":\"k\",\"Token\":\"t\",\"ExpiredTime\":"
                        + (System.currentTimeMillis() / 1000 + 3600) + padding + "}"), StandardCharsets.UTF_8))
                .bindNow();
        try {
            StepVerifier.create(CvmRoleCredentialsProvider.builder().endpoint(URI.create("http://127.0.0.1:"
                            + padded.port())).roleName("r").build().credentials().map(Credentials::secretId))
                    .expectNext("AKIDtmp").expectComplete().verify(WAIT);
        } finally {
            padded.disposeNow();
        }
    }
}
