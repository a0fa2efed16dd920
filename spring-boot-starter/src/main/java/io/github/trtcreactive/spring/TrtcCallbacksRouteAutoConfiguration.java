package io.github.trtcreactive.spring;

import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves {@link TrtcCallbacks} on {@code POST trtc.callbacks.path} in a reactive web application
 * when {@code trtc.callbacks.key} is set. The route reads at most {@code trtc.callbacks.max-body-size}
 * (default 64 KiB) of a body before the signature is checked; pair it with the server's own limits
 * ({@code server.netty.idle-timeout}, {@code server.netty.connection-timeout}) on an internet-facing
 * port. An application bean named {@code trtcCallbacksRoute} replaces it.
 */
@AutoConfiguration(after = TrtcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = "org.springframework.web.reactive.function.server.RouterFunction")
@ConditionalOnProperty("trtc.callbacks.key")
public class TrtcCallbacksRouteAutoConfiguration {

    /** Creates the configuration. */
    public TrtcCallbacksRouteAutoConfiguration() {
    }

    /**
     * The route that feeds the receiver.
     *
     * @param properties the {@code trtc.*} properties
     * @param callbacks the receiver
     * @return the route
     */
    @Bean
    @ConditionalOnBean(TrtcCallbacks.class)
    @ConditionalOnMissingBean(name = "trtcCallbacksRoute")
    public RouterFunction<ServerResponse> trtcCallbacksRoute(TrtcProperties properties, TrtcCallbacks callbacks) {
        CallbacksRoute handler = new CallbacksRoute(callbacks, properties.getCallbacks().maxBodyBytes());
        return RouterFunctions.route().POST(properties.getCallbacks().getPath(), handler).build();
    }
}
