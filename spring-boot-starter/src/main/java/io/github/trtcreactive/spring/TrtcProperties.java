package io.github.trtcreactive.spring;

import io.github.trtcreactive.core.model.Validation;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code trtc.*} properties. Without credentials here, the default credentials chain applies
 * (environment, profile file, then the role sources whose environment says they apply), unless
 * {@code trtc.emulator.enabled} starts the embedded emulator.
 */
@ConfigurationProperties("trtc")
public class TrtcProperties {

    /** The API key's SecretId. */
    private String secretId;
    /** The API key's SecretKey. Never logged. */
    private String secretKey;
    /** The session token of temporary credentials. Never logged. */
    private String sessionToken;
    /** The region calls are sent to (X-TC-Region), such as ap-singapore. Default: TENCENTCLOUD_REGION, else ap-guangzhou. */
    private String region;
    /** The API endpoint, https://host[:port] (http:// only to a loopback address). Default: TRTC_ENDPOINT, else the service. */
    private URI endpoint;
    /** The longest wait for the start of a reply, per attempt. */
    private Duration responseTimeout;
    /** The longest a call may take in all, retries and rate-limit waits included. */
    private Duration callTimeout;
    /** Which documented constraints requests are checked against before sending. */
    private Validation validation;
    private final RateLimit rateLimit = new RateLimit();
    private final Callbacks callbacks = new Callbacks();
    private final Emulator emulator = new Emulator();

    /** Properties with every setting unset, as Spring Boot binds them. */
    public TrtcProperties() {
    }

    /** {@return the SecretId} */
    public String getSecretId() {
        return secretId;
    }

    /**
     * Sets the SecretId.
     *
     * @param secretId the SecretId
     */
    public void setSecretId(String secretId) {
        this.secretId = secretId;
    }

    /** {@return the SecretKey} */
    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Sets the SecretKey.
     *
     * @param secretKey the SecretKey
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    /** {@return the session token} */
    public String getSessionToken() {
        return sessionToken;
    }

    /**
     * Sets the session token of temporary credentials.
     *
     * @param sessionToken the session token of temporary credentials
     */
    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }

    /** {@return the region} */
    public String getRegion() {
        return region;
    }

    /**
     * Sets the region calls are sent to.
     *
     * @param region the region calls are sent to
     */
    public void setRegion(String region) {
        this.region = region;
    }

    /** {@return the endpoint} */
    public URI getEndpoint() {
        return endpoint;
    }

    /**
     * Sets the API endpoint.
     *
     * @param endpoint the API endpoint
     */
    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** {@return the response timeout} */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /**
     * Sets the longest wait for a reply, per attempt.
     *
     * @param responseTimeout the longest wait for a reply, per attempt
     */
    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /** {@return the call timeout} */
    public Duration getCallTimeout() {
        return callTimeout;
    }

    /**
     * Sets the longest a call may take in all.
     *
     * @param callTimeout the longest a call may take in all
     */
    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    /** {@return the validation level} */
    public Validation getValidation() {
        return validation;
    }

    /**
     * Sets which documented constraints are checked before sending.
     *
     * @param validation which documented constraints are checked before sending
     */
    public void setValidation(Validation validation) {
        this.validation = validation;
    }

    /** {@return the rate-limit settings} */
    public RateLimit getRateLimit() {
        return rateLimit;
    }

    /** {@return the callback settings} */
    public Callbacks getCallbacks() {
        return callbacks;
    }

    /** {@return the emulator settings} */
    public Emulator getEmulator() {
        return emulator;
    }

    /** {@code trtc.rate-limit.*}: the account's budget of calls. */
    public static class RateLimit {

        /** Settings at their defaults. */
        public RateLimit() {
        }

        /** Whether calls wait for the documented rate limits (turn off only behind a limiter of your own). */
        private boolean enabled = true;
        /**
         * A Redis URI (redis://host:port) to share the budget with every process of the fleet; needs
         * trtc-reactive-redis. Connected in the background: the application starts while Redis is down.
         */
        private String redisUri;
        /** The Redis key prefix of the shared budget (default trtc-reactive:limit:); must not be empty or blank. */
        private String redisKeyPrefix;
        /** The account the budget belongs to, when several SecretIds share one account's limits. */
        private String account;
        /** The longest a call may wait for a permit. */
        private Duration maxWait;
        /** Whether the limiter slows down after the service reports a throttle. */
        private Boolean adaptive;

        /** {@return whether the limiter applies} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the limiter applies.
         *
         * @param enabled whether the limiter applies
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return the Redis URI} */
        public String getRedisUri() {
            return redisUri;
        }

        /**
         * Sets a Redis URI.
         *
         * @param redisUri a Redis URI
         */
        public void setRedisUri(String redisUri) {
            this.redisUri = redisUri;
        }

        /** {@return the Redis key prefix} */
        public String getRedisKeyPrefix() {
            return redisKeyPrefix;
        }

        /**
         * Sets the key prefix of the shared budget.
         *
         * @param redisKeyPrefix the key prefix of the shared budget
         */
        public void setRedisKeyPrefix(String redisKeyPrefix) {
            this.redisKeyPrefix = redisKeyPrefix;
        }

        /** {@return the account} */
        public String getAccount() {
            return account;
        }

        /**
         * Sets the account the budget belongs to.
         *
         * @param account the account the budget belongs to
         */
        public void setAccount(String account) {
            this.account = account;
        }

        /** {@return the longest wait for a permit} */
        public Duration getMaxWait() {
            return maxWait;
        }

        /**
         * Sets the longest wait for a permit.
         *
         * @param maxWait the longest wait for a permit
         */
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        /** {@return whether the limiter adapts to throttles} */
        public Boolean getAdaptive() {
            return adaptive;
        }

        /**
         * Sets whether the limiter adapts to throttles.
         *
         * @param adaptive whether the limiter adapts to throttles
         */
        public void setAdaptive(Boolean adaptive) {
            this.adaptive = adaptive;
        }
    }

    /** {@code trtc.callbacks.*}: TRTC's event callbacks, received on a WebFlux route. */
    public static class Callbacks {

        /** Settings at their defaults. */
        public Callbacks() {
        }

        /** The callback key set in the TRTC console; with it the route is served and signatures are checked. Never logged. */
        private String key;
        /** The route's path. */
        private String path = "/trtc/callbacks";
        /**
         * The largest callback body the route reads; a larger declared Content-Length, or a body that
         * grows past it while it arrives, gets 413 and the connection is closed. TRTC's events are a
         * few KiB.
         */
        private DataSize maxBodySize = DataSize.ofKilobytes(64);

        /** {@return the callback key} */
        public String getKey() {
            return key;
        }

        /**
         * Sets the callback key.
         *
         * @param key the callback key
         */
        public void setKey(String key) {
            this.key = key;
        }

        /** {@return the route's path} */
        public String getPath() {
            return path;
        }

        /**
         * Sets the route's path.
         *
         * @param path the route's path
         */
        public void setPath(String path) {
            this.path = path;
        }

        /** {@return the largest callback body read} */
        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        /**
         * Sets the largest callback body read.
         *
         * @param maxBodySize the largest callback body read
         */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /** {@return the largest callback body in bytes}, checked to be 1 B to 2 GiB */
        int maxBodyBytes() {
            if (maxBodySize == null || maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
                throw new IllegalStateException("trtc.callbacks.max-body-size must be 1B to 2GB, was " + maxBodySize);
            }
            return (int) maxBodySize.toBytes();
        }
    }

    /** {@code trtc.emulator.*}: the embedded emulator, for local development and tests. */
    public static class Emulator {

        /** Settings at their defaults. */
        public Emulator() {
        }

        /** Start the embedded emulator (needs trtc-reactive-emulator) and send every call to it when no credentials are set. */
        private boolean enabled;

        /** {@return whether the emulator may start} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the emulator starts when no credentials are set.
         *
         * @param enabled whether the emulator starts when no credentials are set
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
