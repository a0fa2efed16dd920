package io.github.trtcreactive.emulator.junit;

import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.Faults;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcAsyncClientBuilder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the TRTC emulator for tests and injects it, with a client already pointed at it, as
 * parameters of type {@link TrtcEmulator}, {@link TrtcAsyncClient}, {@link EmulatorClock} and
 * {@link Faults}. One emulator per test class by default (faults and request log cleared before each
 * test), or one per test; both are closed (client first) when their scope ends.
 *
 * <p>Use it through {@link WithTrtcEmulator}, or register one built in code for full control of the
 * emulator and the client:
 *
 * <pre>{@code
 * @RegisterExtension
 * static TrtcEmulatorExtension trtc = TrtcEmulatorExtension.builder()
 *         .emulator(e -> e.rateLimitScale(10).seed(42))
 *         .client(c -> c.validation(Validation.DOCUMENTED))
 *         .build();
 * }</pre>
 *
 * <p>A static field gives one emulator per class, an instance field (or {@code perTest()}) one per
 * test. The fields {@link #emulator()} and {@link #client()} read the current ones.
 */
public final class TrtcEmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TrtcEmulatorExtension.class);
    private static final String KEY = "trtc-emulator";

    private final Settings explicit;
    private Running current;

    /** The extension as {@link WithTrtcEmulator} registers it: settings come from the annotation. */
    public TrtcEmulatorExtension() {
        this.explicit = null;
    }

    private TrtcEmulatorExtension(Settings settings) {
        this.explicit = settings;
    }

    /** {@return a builder of an extension configured in code} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the emulator of the test running now} */
    public TrtcEmulator emulator() {
        return running().emulator;
    }

    /** {@return the client of the test running now} */
    public TrtcAsyncClient client() {
        return running().client;
    }

    private Running running() {
        Running r = current;
        if (r == null) {
            throw new IllegalStateException("no emulator is running: read it during a test");
        }
        return r;
    }

    private Settings settings(ExtensionContext context) {
        if (explicit != null) {
            return explicit;
        }
        Optional<WithTrtcEmulator> annotation = context.getTestClass()
                .flatMap(type -> Optional.ofNullable(type.getAnnotation(WithTrtcEmulator.class)));
        return annotation.map(Settings::of).orElseGet(() -> new Builder().settings());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Settings settings = settings(context);
        if (!settings.perTest) {
            start(context, settings);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Settings settings = settings(context);
        Running shared = context.getParent().map(TrtcEmulatorExtension::closest).orElse(null);
        if (settings.perTest || shared == null) {
            start(context, settings);
        } else {
            if (settings.resetBetweenTests) {
                shared.emulator.faults().clear();
                shared.emulator.clearRequests();
            }
            current = shared;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // a per-test emulator is closed by its store; the class's (if any) is current again
        current = context.getParent().map(TrtcEmulatorExtension::closest).orElse(null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        current = null;
    }

    private void start(ExtensionContext context, Settings settings) {
        EmulatorClock clock = settings.clock == null ? null : EmulatorClock.fixed(settings.clock);
        TrtcEmulatorBuilder emulatorBuilder = TrtcEmulator.builder().rateLimits(settings.rateLimits)
                .rateLimitScale(settings.rateLimitScale);
        if (clock != null) {
            emulatorBuilder.clock(clock);
        }
        settings.emulator.accept(emulatorBuilder);
        TrtcEmulator emulator = emulatorBuilder.start();
        TrtcAsyncClient client;
        try {
            TrtcAsyncClientBuilder clientBuilder = TrtcAsyncClient.builder().endpoint(emulator.uri())
                    .credentials(emulator.credentials());
            if (clock != null) {
                clientBuilder.clock(clock);
            }
            settings.client.accept(clientBuilder);
            client = clientBuilder.build();
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        Running running = new Running(emulator, client, clock);
        context.getStore(NAMESPACE).put(KEY, running);
        current = running;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TrtcEmulator.class || type == TrtcAsyncClient.class || type == Faults.class
                || type == EmulatorClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = find(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == TrtcEmulator.class) {
            return running.emulator;
        }
        if (type == TrtcAsyncClient.class) {
            return running.client;
        }
        if (type == Faults.class) {
            return running.emulator.faults();
        }
        if (running.clock == null) {
            throw new ParameterResolutionException("an EmulatorClock parameter needs a fixed clock: set"
                    + " @WithTrtcEmulator(clock = \"2026-01-01T00:00:00Z\") or the builder's clock(...)");
        }
        return running.clock;
    }

    /** The emulator of the closest scope holding one (the test's own, its class's, an enclosing class's), or null. */
    private static Running closest(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Running r = c.get().getStore(NAMESPACE).get(KEY, Running.class);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static Running find(ExtensionContext context) {
        Running r = closest(context);
        if (r != null) {
            return r;
        }
        throw new ParameterResolutionException("no emulator is running in this scope (a per-test emulator cannot be"
                + " injected into a constructor or a @BeforeAll method)");
    }

    /** An emulator and its client; closed together (client first) when the store that holds them closes. */
    private record Running(TrtcEmulator emulator, TrtcAsyncClient client, EmulatorClock clock)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            try {
                client.close();
            } finally {
                emulator.close();
            }
        }
    }

    private record Settings(boolean perTest, Instant clock, boolean rateLimits, double rateLimitScale,
            boolean resetBetweenTests, Consumer<TrtcEmulatorBuilder> emulator, Consumer<TrtcAsyncClientBuilder> client) {

        static Settings of(WithTrtcEmulator a) {
            Instant clock = null;
            if (!a.clock().isEmpty()) {
                try {
                    clock = Instant.parse(a.clock());
                } catch (DateTimeParseException e) {
                    throw new ExtensionConfigurationException("@WithTrtcEmulator(clock = \"" + a.clock()
                            + "\") is not an ISO-8601 instant such as 2026-01-01T00:00:00Z", e);
                }
            }
            return new Settings(a.perTest(), clock, a.rateLimits(), a.rateLimitScale(), a.resetBetweenTests(),
                    e -> { }, c -> { });
        }
    }

    /** Settings of a {@link TrtcEmulatorExtension} registered in code. */
    public static final class Builder {

        private boolean perTest;
        private Instant clock;
        private boolean rateLimits = true;
        private double rateLimitScale = 1.0;
        private boolean resetBetweenTests = true;
        private Consumer<TrtcEmulatorBuilder> emulator = e -> { };
        private Consumer<TrtcAsyncClientBuilder> client = c -> { };

        private Builder() {}

        /**
         * One emulator per test rather than per class.
         *
         * @return this builder
         */
        public Builder perTest() {
            this.perTest = true;
            return this;
        }

        /**
         * A fixed clock for the emulator and the client, starting at {@code start}; inject
         * {@link EmulatorClock} to advance it.
         *
         * @param start the first instant
         * @return this builder
         */
        public Builder clock(Instant start) {
            this.clock = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * Whether the documented rate limits apply. Default true.
         *
         * @param enabled whether they apply
         * @return this builder
         */
        public Builder rateLimits(boolean enabled) {
            this.rateLimits = enabled;
            return this;
        }

        /**
         * A factor on every documented rate limit. Default 1.
         *
         * @param scale a positive factor
         * @return this builder
         */
        public Builder rateLimitScale(double scale) {
            this.rateLimitScale = scale;
            return this;
        }

        /**
         * Whether faults and the request log of a shared emulator are cleared before each test. Default true.
         *
         * @param reset whether to clear them
         * @return this builder
         */
        public Builder resetBetweenTests(boolean reset) {
            this.resetBetweenTests = reset;
            return this;
        }

        /**
         * Any other emulator setting, applied after those above.
         *
         * @param customizer changes the emulator's builder
         * @return this builder
         */
        public Builder emulator(Consumer<TrtcEmulatorBuilder> customizer) {
            this.emulator = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Any client setting, applied after the endpoint, the credentials and the clock.
         *
         * @param customizer changes the client's builder
         * @return this builder
         */
        public Builder client(Consumer<TrtcAsyncClientBuilder> customizer) {
            this.client = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        Settings settings() {
            return new Settings(perTest, clock, rateLimits, rateLimitScale, resetBetweenTests, emulator, client);
        }

        /** {@return the extension, to register with {@code @RegisterExtension}} */
        public TrtcEmulatorExtension build() {
            return new TrtcEmulatorExtension(settings());
        }
    }
}
