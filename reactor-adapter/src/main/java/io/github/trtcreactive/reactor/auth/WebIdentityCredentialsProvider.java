package io.github.trtcreactive.reactor.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * The temporary credentials of a CAM role assumed with an OIDC token: STS
 * {@code AssumeRoleWithWebIdentity}, which needs no key (the request says {@code Authorization:
 * SKIP}). On TKE, a pod whose service account is bound to a role gets the four variables
 * {@code TKE_REGION}, {@code TKE_PROVIDER_ID}, {@code TKE_WEB_IDENTITY_TOKEN_FILE} and
 * {@code TKE_ROLE_ARN}: {@link #fromTkeEnvironment(UnaryOperator)} reads them. The token file is
 * read again at every fetch (the platform rotates it), on Reactor's bounded-elastic scheduler, never
 * on an event loop. Kept fresh by a {@link RefreshingCredentialsProvider}.
 */
public final class WebIdentityCredentialsProvider implements ReactiveCredentialsProvider {

    /** The variables TKE sets for a pod bound to a role, in the order they are reported. */
    public static final List<String> TKE_VARIABLES = List.of("TKE_REGION", "TKE_PROVIDER_ID",
            "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN");

    private final RefreshingCredentialsProvider refreshing;
    private final String roleArn;

    private WebIdentityCredentialsProvider(Builder b) {
        this.roleArn = StsAssumeRoleCredentialsProvider.requireText("roleArn", b.roleArn);
        StsAssumeRoleCredentialsProvider.requireText("providerId", b.providerId);
        Objects.requireNonNull(b.tokenFile, "tokenFile");
        URI endpoint = RoleCalls.checkStsEndpoint("WebIdentityCredentialsProvider.Builder", b.endpoint, b.plainHttp,
                "the OIDC token and the temporary keys");
        HttpClient http = b.http();
        Clock clock = b.clock;
        Path tokenFile = b.tokenFile;
        Mono<String> token = Mono.fromCallable(() -> readToken(tokenFile)).subscribeOn(Schedulers.boundedElastic());
        // Only values taken now: the builder may be changed or reused after build().
        ObjectNode request = TrtcProtocol.mapper().createObjectNode()
                .put("ProviderId", b.providerId)
                .put("WebIdentityToken", "")
                .put("RoleArn", b.roleArn)
                .put("RoleSessionName", b.roleSessionName)
                .put("DurationSeconds", b.duration.toSeconds());
        String region = b.region;
        Mono<ExpiringCredentials> fetch = token.flatMap(t -> {
            ObjectNode body = request.deepCopy().put("WebIdentityToken", t);
            return RoleCalls.sts(http, endpoint, region, "AssumeRoleWithWebIdentity", body, null, clock);
        }).map(response -> RoleCalls.fromSts("AssumeRoleWithWebIdentity", response, clock.instant()));
        this.refreshing = RefreshingCredentialsProvider.create(toString(), fetch, b.refreshAhead, b.timeout, clock);
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new RoleCredentialsException("the web identity token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new RoleCredentialsException("the web identity token file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@return a builder; the role ARN, the provider id and the token file are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings TKE gives a pod bound to a role, when all four of its variables are set.
     *
     * @param environment looks a variable up; null when unset
     * @return a builder holding them (its other settings at their defaults)
     * @throws IllegalStateException naming the variables that are missing
     */
    public static Builder fromTkeEnvironment(UnaryOperator<String> environment) {
        List<String> missing = new ArrayList<>();
        for (String name : TKE_VARIABLES) {
            String value = environment.apply(name);
            if (value == null || value.isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not set");
        }
        return builder().region(environment.apply("TKE_REGION").strip())
                .providerId(environment.apply("TKE_PROVIDER_ID").strip())
                .tokenFile(Path.of(environment.apply("TKE_WEB_IDENTITY_TOKEN_FILE").strip()))
                .roleArn(environment.apply("TKE_ROLE_ARN").strip());
    }

    @Override
    public Mono<Credentials> credentials() {
        return refreshing.credentials();
    }

    @Override
    public String toString() {
        return "WebIdentityCredentialsProvider(" + roleArn + ")";
    }

    /** Settings of a {@link WebIdentityCredentialsProvider}. */
    public static final class Builder extends RoleCredentialsBuilder<Builder> {

        private String roleArn;
        private String providerId;
        private Path tokenFile;
        private String roleSessionName = "trtc-reactive";
        private Duration duration = Duration.ofHours(2);
        private String region = "ap-guangzhou";
        private URI endpoint = StsAssumeRoleCredentialsProvider.DEFAULT_ENDPOINT;
        private boolean plainHttp;

        private Builder() {
            super(Duration.ofSeconds(10));
        }

        /**
         * The role to assume.
         *
         * @param roleArn the role's resource description
         * @return this builder
         */
        public Builder roleArn(String roleArn) {
            this.roleArn = roleArn;
            return this;
        }

        /**
         * The identity provider's name in CAM.
         *
         * @param providerId the provider's name
         * @return this builder
         */
        public Builder providerId(String providerId) {
            this.providerId = providerId;
            return this;
        }

        /**
         * The file holding the OIDC token, read at every fetch.
         *
         * @param tokenFile the file
         * @return this builder
         */
        public Builder tokenFile(Path tokenFile) {
            this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
            return this;
        }

        /**
         * The session's name. Default {@code trtc-reactive}.
         *
         * @param roleSessionName the name
         * @return this builder
         */
        public Builder roleSessionName(String roleSessionName) {
            this.roleSessionName = StsAssumeRoleCredentialsProvider.requireText("roleSessionName", roleSessionName);
            return this;
        }

        /**
         * How long each set of credentials lasts, at most 12 hours. Default 2 hours.
         *
         * @param duration the validity asked for
         * @return this builder
         */
        public Builder duration(Duration duration) {
            this.duration = stsDuration(duration);
            return this;
        }

        /**
         * The region sent to STS. Default ap-guangzhou ({@code TKE_REGION} on TKE).
         *
         * @param region a region
         * @return this builder
         */
        public Builder region(String region) {
            this.region = StsAssumeRoleCredentialsProvider.requireText("region", region);
            return this;
        }

        /**
         * Where STS answers. Default {@code https://sts.tencentcloudapi.com}. As for the client's own
         * endpoint, HTTPS is required, except to a loopback host (a test server on this machine):
         * {@link #build()} refuses plain HTTP elsewhere unless {@link #plainHttpEndpoint(URI)} set it.
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
         * {@link #endpoint(URI)}, as {@code TrtcEndpoint.plainHttp(uri)} is the client's. The OIDC token
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
         * @throws NullPointerException when the token file is missing
         */
        public WebIdentityCredentialsProvider build() {
            return new WebIdentityCredentialsProvider(this);
        }
    }
}
