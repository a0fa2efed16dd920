package io.github.trtcreactive.emulator;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that waits too long for its next request's headers to be complete: an idle
 * connection, or one that trickles its headers a byte at a time (which a read-idle timer, reset by
 * every byte, would never catch). The clock starts when the connection opens and again after each
 * response; a complete request head stops it. Runs on the connection's event loop.
 */
final class RequestArrivalTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private ScheduledFuture<?> pending;

    RequestArrivalTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            stop();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess() && f.channel().isActive()) {
                    start(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        stop();
        pending = ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
