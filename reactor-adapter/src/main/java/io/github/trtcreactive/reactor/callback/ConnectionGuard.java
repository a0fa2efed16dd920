package io.github.trtcreactive.reactor.callback;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.MessageAggregator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Bounds every connection of a hosted receiver before anything is authenticated: how many are open
 * at once, how long a request may take to arrive whole, how long a kept-alive connection may sit
 * idle. Installed on each new channel by the server's channel initializer; each channel's deadlines
 * live on its own event loop, so they need no lock.
 */
final class ConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final String READS = "trtc.callbacks.requestBytes";
    private static final String REQUESTS = "trtc.callbacks.requestDeadlines";
    /** How long a connection answered and closing waits, output shut and reading stopped, before it closes. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long readTimeoutNanos;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicBoolean warnedAggregator = new AtomicBoolean();

    ConnectionGuard(ReceiverSettings.ServerLimits limits) {
        this.readTimeoutNanos = limits.readTimeout().toNanos();
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
        this.maxConnections = limits.maxConnections();
    }

    /** Counts a new connection, closes it when there are too many, else arms its deadlines. */
    void onChannelInit(ConnectionObserver observer, Channel channel, SocketAddress remote) {
        int now = open.incrementAndGet();
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        if (now > maxConnections) {
            refused.incrementAndGet();
            LOG.debug("a callback connection was closed at once: {} are open, the most allowed", maxConnections);
            channel.close();
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            // Not the HTTP/1.1 pipeline this guard knows how to watch: refuse rather than run unbounded.
            LOG.debug("a callback connection without an HTTP/1.1 codec was closed");
            channel.close();
            return;
        }
        if (aggregates(pipeline)) {
            if (warnedAggregator.compareAndSet(false, true)) {
                LOG.warn("the callback server's pipeline aggregates requests before the receiver sees them, which "
                        + "defeats its body and memory limits: its connections are refused; remove the aggregator");
            }
            channel.close();
            return;
        }
        Deadlines deadlines = new Deadlines(channel);
        pipeline.addBefore(NettyPipeline.HttpCodec, READS, deadlines.bytes);
        pipeline.addAfter(NettyPipeline.HttpCodec, REQUESTS, deadlines);
        deadlines.awaitRequest();
    }

    /** Whether a handler of the server's own would gather whole requests before the receiver's limits apply. */
    private static boolean aggregates(ChannelPipeline pipeline) {
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getValue() instanceof MessageAggregator<?, ?, ?, ?>) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a request's {@code Host} is one the server can read: at most one, and a port, when it
     * names one, of digits (the server would otherwise fail on it, with a log line per request).
     */
    static boolean validHost(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return false;
        }
        if (hosts.isEmpty()) {
            return true;
        }
        String host = hosts.get(0);
        int port = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (host.startsWith("[") && host.indexOf(']') < 0) {
            return false;
        }
        if (port <= 0) {
            return host.indexOf(' ') < 0;
        }
        String digits = host.substring(port + 1);
        return !digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                && host.indexOf(' ') < 0;
    }

    /** {@return connections open now} */
    int openConnections() {
        return open.get();
    }

    /** {@return connections closed on arrival because too many were open} */
    long refusedConnections() {
        return refused.get();
    }

    /** {@return connections closed because a request did not arrive whole in time, or one sat idle} */
    long timedOutConnections() {
        return timedOut.get();
    }

    /**
     * One connection's deadlines. A request's first bytes (seen before the HTTP decoder), or its
     * head (seen after it, for a request whose first bytes came with the end of the one before),
     * start the read deadline; its last content ends it; the end of the last response owed starts
     * the idle deadline. A new connection starts with the read deadline, so one that sends nothing,
     * or trickles its headers, is closed like a slow body. A request the decoder could not read is
     * answered 400 here and the connection closed, quietly, rather than reported as a decoding
     * failure (one log line per hostile peer).
     */
    private final class Deadlines extends ChannelDuplexHandler {
        private final Channel channel;
        private ScheduledFuture<?> reading;
        private ScheduledFuture<?> idle;
        private boolean expired;
        /** A malformed request was answered here: nothing after it goes on to the server. */
        private boolean refused;
        /** Requests whose head arrived and whose response has not been written whole. */
        private int owed;
        /** The answer is sent and the output shut; what still arrives is dropped until the close. */
        private boolean lingering;

        final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (lingering) {
                    ReferenceCountUtil.release(msg); // what a refused request still sends is dropped unread
                    return;
                }
                if (reading == null) {
                    awaitRequest();
                }
                ctx.fireChannelRead(msg);
            }
        };

        Deadlines(Channel channel) {
            this.channel = channel;
        }

        void awaitRequest() {
            cancelIdle();
            reading = expireIn(readTimeoutNanos, "a request did not arrive whole within the read timeout");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (expired || refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpObject object && (object.decoderResult().isFailure()
                    || (msg instanceof HttpRequest request && !validHost(request)))) {
                ReferenceCountUtil.release(msg);
                refuseMalformed(ctx, msg instanceof HttpRequest);
                return;
            }
            if (msg instanceof HttpRequest) {
                owed++;
                cancelIdle();
                if (reading == null) {
                    reading = expireIn(readTimeoutNanos, "a request did not arrive whole within the read timeout");
                }
            }
            if (msg instanceof LastHttpContent && reading != null) {
                reading.cancel(false);
                reading = null;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent) {
                owed = Math.max(0, owed - 1);
                if (owed == 0 && reading == null) {
                    cancelIdle();
                    idle = expireIn(idleTimeoutNanos, "a kept-alive connection sat idle past the idle timeout");
                }
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancelAll();
            ctx.fireChannelInactive();
        }

        /**
         * Closes after an answer in two steps: the output is shut first (the peer gets the whole
         * answer and an end) and reading stops, then, {@link #LINGER_NANOS} later, the connection
         * is closed. Closing at once, with a refused body still arriving, would reset the
         * connection and could destroy the answer before the peer read it; reading on would spend
         * work on a body already refused. The guard's own deadlines close at once.
         */
        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (expired || lingering || !(channel instanceof DuplexChannel duplex) || !channel.isActive()
                    || duplex.isOutputShutdown()) {
                cancelAll();
                ctx.close(promise);
                return;
            }
            lingering = true;
            cancelAll();
            channel.config().setAutoRead(false);
            duplex.shutdownOutput().addListener(shut -> channel.eventLoop().schedule(() -> {
                ctx.close(promise);
            }, LINGER_NANOS, TimeUnit.NANOSECONDS));
        }

        private void cancelAll() {
            if (reading != null) {
                reading.cancel(false);
                reading = null;
            }
            cancelIdle();
        }

        /** Answers a request head the decoder refused with 400, or drops a broken body, and closes. */
        private void refuseMalformed(ChannelHandlerContext ctx, boolean head) {
            LOG.debug("a callback connection sent what the HTTP decoder could not read; closed");
            refused = true;
            if (reading != null) {
                reading.cancel(false);
                reading = null;
            }
            if (head && owed == 0) {
                FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
                bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }

        private void cancelIdle() {
            if (idle != null) {
                idle.cancel(false);
                idle = null;
            }
        }

        private ScheduledFuture<?> expireIn(long nanos, String why) {
            return channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    timedOut.incrementAndGet();
                    LOG.debug("a callback connection was closed: {}", why);
                    expired = true;
                    // Without its decoder, the half-read request is dropped quietly here rather than
                    // reported by the server as a decoding failure, one log line per slow peer.
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().remove(NettyPipeline.HttpCodec);
                    }
                    channel.close();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
