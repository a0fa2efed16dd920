package io.github.trtcreactive.examples;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.usersig.UserSigs;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.TrtcEmulatorBuilder;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcAsyncClientBuilder;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where an example sends its calls. With {@code TENCENTCLOUD_SECRET_ID} and
 * {@code TENCENTCLOUD_SECRET_KEY} set, the TRTC service; with neither, an emulator started in this
 * process. Nothing else differs between the two. Also read when set: {@code TENCENTCLOUD_SESSION_TOKEN}
 * (temporary credentials), {@code TENCENTCLOUD_REGION},
 * {@code TRTC_ENDPOINT}, {@code TRTC_SDK_APP_ID} and {@code TRTC_SDK_APP_KEY} (the key robot
 * UserSigs are signed with). Against the service, a variable the example needs and lacks fails at
 * once with an {@link ExampleConfigException} naming it.
 */
public final class ExampleEnvironment implements AutoCloseable {

    /** The variables read. */
    static final String SECRET_ID = "TENCENTCLOUD_SECRET_ID";
    static final String SECRET_KEY = "TENCENTCLOUD_SECRET_KEY";
    static final String SESSION_TOKEN = "TENCENTCLOUD_SESSION_TOKEN";
    static final String REGION = "TENCENTCLOUD_REGION";
    static final String ENDPOINT = "TRTC_ENDPOINT";
    static final String SDK_APP_ID = "TRTC_SDK_APP_ID";
    static final String SDK_APP_KEY = "TRTC_SDK_APP_KEY";
    /** The region used on the emulator unless TENCENTCLOUD_REGION names another. */
    static final String EMULATOR_REGION = "ap-singapore";

    private final TrtcAsyncClient client;
    private final long sdkAppId;
    private final UserSigs userSigs;
    private final TrtcEmulator emulator;

    private ExampleEnvironment(TrtcAsyncClient client, long sdkAppId, UserSigs userSigs, TrtcEmulator emulator) {
        this.client = client;
        this.sdkAppId = sdkAppId;
        this.userSigs = userSigs;
        this.emulator = emulator;
    }

    /**
     * Resolves the environment, starting the emulator when no credentials are set, and says which
     * one it chose in the console's first line.
     *
     * @param env the environment variables ({@code System.getenv()} in the programs)
     * @param console where to say it
     * @param example the example's name, used in error messages
     * @param needsAppKey whether the example signs UserSigs for robots
     * @param emulatorSetup adjusts the emulator before it starts (ignored against the service)
     * @param clientSetup adjusts the client before it is built (listeners, limiter)
     * @return the environment; close it at the end
     * @throws ExampleConfigException when a needed variable is missing or malformed
     */
    public static ExampleEnvironment resolve(Map<String, String> env, Console console, String example,
            boolean needsAppKey, UnaryOperator<TrtcEmulatorBuilder> emulatorSetup,
            UnaryOperator<TrtcAsyncClientBuilder> clientSetup) {
        String id = value(env, SECRET_ID);
        String key = value(env, SECRET_KEY);
        if ((id == null) != (key == null)) {
            String missing = id == null ? SECRET_ID : SECRET_KEY;
            String present = id == null ? SECRET_KEY : SECRET_ID;
            throw new ExampleConfigException(missing + " is not set but " + present + " is: set both to call the"
                    + " TRTC service, or neither to run " + example + " on the embedded emulator");
        }
        if (id == null) {
            return emulated(env, console, emulatorSetup, clientSetup);
        }
        long app = sdkAppId(env, example);
        String appKey = value(env, SDK_APP_KEY);
        if (needsAppKey && appKey == null) {
            throw new ExampleConfigException(SDK_APP_KEY + " is not set: " + example + " signs UserSigs for its robots"
                    + " with your application's key (TRTC console, application info)");
        }
        TrtcAsyncClientBuilder builder = TrtcAsyncClient.builder().credentials(value(env, SESSION_TOKEN) == null
                ? Credentials.of(id, key) : Credentials.of(id, key, value(env, SESSION_TOKEN)));
        String region = value(env, REGION);
        if (region != null) {
            builder.region(region);
        }
        String endpoint = value(env, ENDPOINT);
        if (endpoint != null) {
            try {
                builder.endpoint(URI.create(endpoint));
            } catch (IllegalArgumentException e) {
                throw new ExampleConfigException(ENDPOINT + " is not a valid endpoint: " + e.getMessage());
            }
        }
        TrtcAsyncClient client = clientSetup.apply(builder).build();
        console.line("Using the TRTC service at %s (region %s, SdkAppId %d), credentials from %s.",
                client.endpoint().uri(), client.region(), app, SECRET_ID);
        return new ExampleEnvironment(client, app, appKey == null ? null : UserSigs.of(app, appKey), null);
    }

    /**
     * Whether {@link #resolve} would start the emulator: neither credential variable is set.
     *
     * @param env the environment variables
     * @return whether the examples run on the embedded emulator
     */
    public static boolean wantsEmulator(Map<String, String> env) {
        return value(env, SECRET_ID) == null && value(env, SECRET_KEY) == null;
    }

    private static ExampleEnvironment emulated(Map<String, String> env, Console console,
            UnaryOperator<TrtcEmulatorBuilder> emulatorSetup, UnaryOperator<TrtcAsyncClientBuilder> clientSetup) {
        TrtcEmulatorBuilder builder = TrtcEmulator.builder();
        if (value(env, SDK_APP_ID) != null) {
            builder.sdkAppId(sdkAppId(env, "the emulator"));
        }
        if (value(env, SDK_APP_KEY) != null) {
            builder.appKey(value(env, SDK_APP_KEY));
        }
        TrtcEmulator emulator = emulatorSetup.apply(builder).start();
        // ap-singapore offers every action the examples call (DescribeStreamIngest, for one, is not
        // offered in ap-guangzhou), and the emulator checks regions as the service does.
        TrtcAsyncClientBuilder clientBuilder = TrtcAsyncClient.builder()
                .credentials(emulator.credentials())
                .endpoint(emulator.uri())
                .region(value(env, REGION) != null ? value(env, REGION) : EMULATOR_REGION);
        TrtcAsyncClient client;
        try {
            client = clientSetup.apply(clientBuilder).build();
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        console.line("No %s/%s set: using the embedded TRTC emulator at %s (SdkAppId %d).", SECRET_ID, SECRET_KEY,
                emulator.uri(), emulator.sdkAppId());
        if (value(env, ENDPOINT) != null) {
            console.line("%s is ignored without credentials; it applies when calling the service.", ENDPOINT);
        }
        return new ExampleEnvironment(client, emulator.sdkAppId(), emulator.userSigs(), emulator);
    }

    private static long sdkAppId(Map<String, String> env, String example) {
        String raw = value(env, SDK_APP_ID);
        if (raw == null) {
            throw new ExampleConfigException(SDK_APP_ID + " is not set: " + example + " needs your application's"
                    + " SDKAppID (a number such as 1400188366, from the TRTC console)");
        }
        long app = Args.positive(raw);
        if (app > 0) {
            return app;
        }
        throw new ExampleConfigException(SDK_APP_ID + " must be a positive number (the SDKAppID), was '" + raw + "'");
    }

    private static String value(Map<String, String> env, String name) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? null : raw.strip();
    }

    /** @return the client, bound to the service or to the emulator */
    public TrtcAsyncClient client() {
        return client;
    }

    /** @return the application the example works in */
    public long sdkAppId() {
        return sdkAppId;
    }

    /**
     * The signer of robot UserSigs.
     *
     * @return the signer
     * @throws ExampleConfigException when {@code TRTC_SDK_APP_KEY} was not set (service only)
     */
    public UserSigs userSigs() {
        if (userSigs == null) {
            throw new ExampleConfigException(SDK_APP_KEY + " is not set: it is needed to sign robot UserSigs");
        }
        return userSigs;
    }

    /** @return the embedded emulator, when no credentials were set */
    public Optional<TrtcEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    /** Closes the client and, if one was started, the emulator. */
    @Override
    public void close() {
        client.close();
        if (emulator != null) {
            emulator.close();
        }
    }
}
