package io.github.trtcreactive.reactor.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.error.ServiceText;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The temporary credentials of the CAM role bound to the CVM instance the process runs on, read
 * from the instance metadata service ({@code http://metadata.tencentyun.com}, path
 * {@code /latest/meta-data/cam/security-credentials/}) and kept fresh by a
 * {@link RefreshingCredentialsProvider}: renewed ahead of expiry in the background, the current
 * ones serving until then. Without a role name, the first one the service lists is used. Nothing
 * blocks: each fetch is two non-blocking GETs.
 */
public final class CvmRoleCredentialsProvider implements ReactiveCredentialsProvider {

    /** The instance metadata service. */
    public static final URI DEFAULT_ENDPOINT = URI.create("http://metadata.tencentyun.com");
    private static final String PATH = "/latest/meta-data/cam/security-credentials/";
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final RefreshingCredentialsProvider refreshing;
    private final String roleName;

    private CvmRoleCredentialsProvider(Builder b) {
        this.roleName = b.roleName;
        HttpClient http = b.http();
        Clock clock = b.clock;
        String base = b.endpoint.toString().replaceAll("/+$", "") + PATH;
        Mono<String> role = b.roleName != null ? Mono.just(b.roleName)
                : RoleCalls.get(http, base).map(listing -> firstRole(base, listing));
        Mono<ExpiringCredentials> fetch = role.flatMap(name -> RoleCalls.get(http, base + name)
                .map(body -> parse(base + name, body, clock.instant())));
        this.refreshing = RefreshingCredentialsProvider.create(toString(), fetch, b.refreshAhead, b.timeout, clock);
    }

    /** The first role a listing names; it becomes part of a URL, so it must look like a CAM role name. */
    private static String firstRole(String url, String listing) {
        String name = listing.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .orElseThrow(() -> new RoleCredentialsException("the instance metadata service lists no CAM role at "
                        + url + ": bind a role to the instance"));
        if (!ROLE_NAME.matcher(name).matches()) {
            throw new RoleCredentialsException(url + " lists \"" + ServiceText.sanitize(name) + "\", which is not a"
                    + " CAM role name (1 to 128 letters, digits or +=,.@_-)");
        }
        return name;
    }

    private static ExpiringCredentials parse(String url, String body, Instant now) {
        JsonNode reply;
        try {
            reply = TrtcProtocol.mapper().readTree(body);
        } catch (IOException e) {
            throw new RoleCredentialsException(url + " answered with a body that is not JSON");
        }
        if (reply == null || !reply.isObject()) {
            throw new RoleCredentialsException(url + " answered with a body that is not a JSON object");
        }
        if (reply.has("Code") && !"Success".equals(reply.get("Code").asText())) {
            String message = reply.path("Message").asText("");
            throw new RoleCredentialsException(url + " answered Code " + ServiceText.sanitize(reply.get("Code").asText())
                    + (message.isEmpty() ? "" : " (" + ServiceText.sanitize(message) + ")"));
        }
        return RoleCalls.expiring(url, reply.path("TmpSecretId"), reply.path("TmpSecretKey"), reply.path("Token"),
                reply.path("ExpiredTime"), now);
    }

    /** {@return a builder with the defaults: the metadata service, the first role, 5 minutes ahead, 5 s per fetch} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a provider with the defaults} */
    public static CvmRoleCredentialsProvider create() {
        return builder().build();
    }

    @Override
    public Mono<Credentials> credentials() {
        return refreshing.credentials();
    }

    @Override
    public String toString() {
        return "CvmRoleCredentialsProvider(" + (roleName == null ? "first listed role" : "role " + roleName) + ")";
    }

    /** Settings of a {@link CvmRoleCredentialsProvider}. */
    public static final class Builder extends RoleCredentialsBuilder<Builder> {

        private URI endpoint = DEFAULT_ENDPOINT;
        private String roleName;

        private Builder() {
            super(Duration.ofSeconds(5));
        }

        /**
         * Where the metadata service answers. Default {@link #DEFAULT_ENDPOINT}.
         *
         * @param endpoint {@code http://host[:port]}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * The CAM role to read. Default: the first role the service lists (an instance has one).
         *
         * @param roleName the role's name
         * @return this builder
         */
        public Builder roleName(String roleName) {
            if (roleName != null && (roleName.isBlank() || roleName.contains("/"))) {
                throw new IllegalArgumentException("roleName must be a role's name, was \"" + roleName + "\"");
            }
            this.roleName = roleName;
            return this;
        }

        /** {@return the provider; nothing is fetched until a call needs credentials} */
        public CvmRoleCredentialsProvider build() {
            return new CvmRoleCredentialsProvider(this);
        }
    }
}
