package io.github.trtcreactive.reactor.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The temporary credentials of a CAM role, obtained with STS {@code AssumeRole} (a TC3-signed call
 * to {@code https://sts.tencentcloudapi.com}, version 2018-08-13) using other credentials (a
 * sub-account's keys, or another role's) and kept fresh by a {@link RefreshingCredentialsProvider}.
 */
public final class StsAssumeRoleCredentialsProvider implements ReactiveCredentialsProvider {

    /** STS's endpoint. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://sts.tencentcloudapi.com");

    private final RefreshingCredentialsProvider refreshing;
    private final String roleArn;

    private StsAssumeRoleCredentialsProvider(Builder b) {
        this.roleArn = requireText("roleArn", b.roleArn);
        requireText("roleSessionName", b.roleSessionName);
        if (!b.roleSessionName.matches("[\\w+=,.@-]{2,128}")) {
            throw new IllegalArgumentException("roleSessionName must be 2 to 128 letters, digits or +=,.@-, was \""
                    + b.roleSessionName + "\"");
        }
        Objects.requireNonNull(b.source, "source credentials");
        URI endpoint = RoleCalls.checkStsEndpoint("StsAssumeRoleCredentialsProvider.Builder", b.endpoint, b.plainHttp,
                "the signed AssumeRole request and the temporary keys");
        HttpClient http = b.http();
        Clock clock = b.clock;
        ObjectNode body = TrtcProtocol.mapper().createObjectNode()
                .put("RoleArn", b.roleArn)
                .put("RoleSessionName", b.roleSessionName)
                .put("DurationSeconds", b.duration.toSeconds());
        // Only values taken now: the builder may be changed or reused after build().
        ReactiveCredentialsProvider sourceProvider = b.source;
        String region = b.region;
        Mono<ExpiringCredentials> fetch = Mono.defer(sourceProvider::credentials)
                .switchIfEmpty(Mono.error(() -> new RoleCredentialsException("the source credentials of AssumeRole"
                        + " gave none")))
                .flatMap(source -> RoleCalls.sts(http, endpoint, region, "AssumeRole", body, source, clock))
                .map(response -> RoleCalls.fromSts("AssumeRole", response, clock.instant()));
        this.refreshing = RefreshingCredentialsProvider.create(toString(), fetch, b.refreshAhead, b.timeout, clock);
    }

    static String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** {@return a builder; the role ARN, a session name and the source credentials are required} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Mono<Credentials> credentials() {
        return refreshing.credentials();
    }

    @Override
    public String toString() {
        return "StsAssumeRoleCredentialsProvider(" + roleArn + ")";
    }

    /** Settings of a {@link StsAssumeRoleCredentialsProvider}. */
    public static final class Builder extends RoleCredentialsBuilder<Builder> {

        private ReactiveCredentialsProvider source;
        private String roleArn;
        private String roleSessionName;
        private Duration duration = Duration.ofHours(2);
        private String region = "ap-guangzhou";
        private URI endpoint = DEFAULT_ENDPOINT;
        private boolean plainHttp;

        private Builder() {
            super(Duration.ofSeconds(10));
        }

        /**
         * The credentials that sign {@code AssumeRole}.
         *
         * @param source their provider
         * @return this builder
         */
        public Builder source(ReactiveCredentialsProvider source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Fixed credentials that sign {@code AssumeRole}.
         *
         * @param source the key pair
         * @return this builder
         */
        public Builder source(Credentials source) {
            this.source = ReactiveCredentialsProvider.of(CredentialsProvider.of(source));
            return this;
        }

        /**
         * The role to assume ({@code qcs::cam::uin/<account>:roleName/<name>}).
         *
         * @param roleArn the role's resource description
         * @return this builder
         */
        public Builder roleArn(String roleArn) {
            this.roleArn = roleArn;
            return this;
        }

        /**
         * The session's name, seen in CloudAudit: 2 to 128 letters, digits or {@code +=,.@-}.
         *
         * @param roleSessionName the name
         * @return this builder
         */
        public Builder roleSessionName(String roleSessionName) {
            this.roleSessionName = roleSessionName;
            return this;
        }

        /**
         * How long each set of credentials lasts: from 15 minutes to 12 hours. Default 2 hours.
         *
         * @param duration the validity asked for
         * @return this builder
         */
        public Builder duration(Duration duration) {
            this.duration = stsDuration(duration);
            return this;
        }

        /**
         * The region sent to STS. Default ap-guangzhou.
         *
         * @param region a region
         * @return this builder
         */
        public Builder region(String region) {
            this.region = requireText("region", region);
            return this;
        }

        /**
         * Where STS answers. Default {@link #DEFAULT_ENDPOINT}. As for the client's own endpoint, HTTPS
         * is required, except to a loopback host (a test server on this machine): {@link #build()}
         * refuses plain HTTP elsewhere unless {@link #plainHttpEndpoint(URI)} set it.
         *
         * @param endpoint {@code https://host[:port]}, or {@code http://127.0.0.1:port}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            this.plainHttp = false;
            return this;
        }

        /**
         * Where STS answers, allowing plain HTTP to any host: the explicit escape hatch from the rule of
         * {@link #endpoint(URI)}, as {@code TrtcEndpoint.plainHttp(uri)} is the client's. The signed {@code AssumeRole} request
         * and the temporary keys STS returns travel unencrypted: never use it over a network you do
         * not control. A later {@link #endpoint(URI)} takes the permission back.
         *
         * @param endpoint {@code http://host[:port]} or {@code https://host[:port]}
         * @return this builder
         */
        public Builder plainHttpEndpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            this.plainHttp = true;
            return this;
        }

        /**
         * Builds the provider; nothing is fetched until a call needs credentials.
         *
         * @return the provider
         * @throws IllegalArgumentException when a setting is missing or invalid, or the endpoint is
         *     plain HTTP to a host that is not loopback without {@link #plainHttpEndpoint(URI)}
         * @throws NullPointerException when the source credentials are missing
         */
        public StsAssumeRoleCredentialsProvider build() {
            return new StsAssumeRoleCredentialsProvider(this);
        }
    }
}
