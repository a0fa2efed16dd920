package io.github.trtcreactive.reactor.callback;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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

    private final long readTimeoutNanos;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

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
        Deadlines deadlines = new Deadlines(channel);
        pipeline.addBefore(NettyPipeline.HttpCodec, READS, deadlines.bytes);
        pipeline.addAfter(NettyPipeline.HttpCodec, REQUESTS, deadlines);
        deadlines.awaitRequest();
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
     * One connection's deadlines. A request's first bytes (seen before the HTTP decoder) start the
     * read deadline, its last content (seen after it) ends it; a response's end starts the idle
     * deadline. A new connection starts with the read deadline, so one that sends nothing, or
     * trickles its headers, is closed like a slow body.
     */
    private final class Deadlines extends ChannelDuplexHandler {
        private final Channel channel;
        private ScheduledFuture<?> reading;
        private ScheduledFuture<?> idle;
        private boolean expired;

        final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
            if (expired) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof LastHttpContent && reading != null) {
                reading.cancel(false);
                reading = null;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && reading == null) {
                cancelIdle();
                idle = expireIn(idleTimeoutNanos, "a kept-alive connection sat idle past the idle timeout");
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (reading != null) {
                reading.cancel(false);
                reading = null;
            }
            cancelIdle();
            ctx.fireChannelInactive();
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
