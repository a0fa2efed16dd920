package io.github.trtcreactive.core.endpoint;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where requests go: the default domain, the international domain, a regional domain, or an
 * explicit override (an emulator, a proxy). The built-in endpoints are HTTPS; plain HTTP is
 * accepted for a loopback override, and for any other host only through {@link #plainHttp(URI)}.
 */
public final class TrtcEndpoint {

    /** {@code trtc.tencentcloudapi.com}, the domain most TRTC pages name. */
    public static final TrtcEndpoint DEFAULT = new TrtcEndpoint(URI.create("https://trtc.tencentcloudapi.com"));

    /** {@code trtc.intl.tencentcloudapi.com}, the international domain that resolves to the nearest region. */
    public static final TrtcEndpoint INTERNATIONAL =
            new TrtcEndpoint(URI.create("https://trtc.intl.tencentcloudapi.com"));

    /** The regions that have a documented {@code trtc.<region>.tencentcloudapi.com} domain. */
    public static final Set<String> REGIONAL_DOMAINS = Set.of(
            "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-hongkong",
            "ap-singapore", "ap-bangkok", "ap-mumbai", "ap-seoul", "ap-tokyo", "na-ashburn", "na-siliconvalley",
            "eu-frankfurt");

    private final URI uri;

    private TrtcEndpoint(URI uri) {
        this.uri = uri;
    }

    /**
     * The domain of one region, {@code trtc.<region>.tencentcloudapi.com}.
     *
     * @param region a region with a documented domain, see {@link #REGIONAL_DOMAINS}
     * @return the endpoint
     * @throws IllegalArgumentException when the region has no documented domain
     */
    public static TrtcEndpoint regional(String region) {
        Objects.requireNonNull(region, "region");
        if (!REGIONAL_DOMAINS.contains(region)) {
            throw new IllegalArgumentException("region " + region + " has no regional TRTC domain; known: "
                    + new java.util.TreeSet<>(REGIONAL_DOMAINS) + " (use DEFAULT or INTERNATIONAL instead)");
        }
        return new TrtcEndpoint(URI.create("https://trtc." + region + ".tencentcloudapi.com"));
    }

    /**
     * An override. HTTPS is accepted for any host; HTTP only for a loopback host (an emulator on this
     * machine). Use {@link #plainHttp(URI)} to send unencrypted requests elsewhere.
     *
     * @param uri {@code https://host[:port]} or {@code http://127.0.0.1:port}
     * @return the endpoint
     * @throws IllegalArgumentException when the URI breaks these rules
     */
    public static TrtcEndpoint of(URI uri) {
        URI checked = check(uri);
        if ("http".equals(checked.getScheme()) && !isLoopback(checked.getHost())) {
            throw new IllegalArgumentException("endpoint " + uri + " uses plain http to a non-loopback host; "
                    + "use https, or say so explicitly with TrtcEndpoint.plainHttp(uri)");
        }
        return new TrtcEndpoint(checked);
    }

    /**
     * An override that explicitly allows plain HTTP to any host (for example a test host on another
     * network namespace). Credentials-derived signatures travel unencrypted: never use it over a
     * network you do not control.
     *
     * @param uri {@code http://host[:port]} or {@code https://host[:port]}
     * @return the endpoint
     */
    public static TrtcEndpoint plainHttp(URI uri) {
        return new TrtcEndpoint(check(uri));
    }

    private static URI check(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("endpoint " + uri + " must start with https:// or http://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint " + uri + " has no host (or a host that is not a valid name)");
        }
        String authority = uri.getRawAuthority();
        if (uri.getPort() == -1 ? authority.endsWith(":") : uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("endpoint " + uri + " has an invalid port: a port is 1 to 65535");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint " + uri
                    + " must be scheme://host[:port] only: TRTC requests always go to the path /");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /**
     * Whether a host is literally loopback: {@code localhost}, a dotted-quad IPv4 address in
     * 127.0.0.0/8 (four decimal parts, as a resolver would read it too) or the IPv6 address ::1. Other
     * spellings that some parsers read as loopback ({@code 2130706433}, {@code 0x7f.1}) are not
     * accepted: the HTTP client would resolve them by name. This is the rule {@link #of(URI)} applies
     * to plain HTTP; other components that reach a service (the credential providers) apply it too.
     *
     * @param host a URI's host, an IPv6 literal in brackets
     * @return whether plain HTTP to it stays on this machine
     */
    public static boolean isLoopback(String host) {
        Objects.requireNonNull(host, "host");
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // A bracketed literal is parsed, never looked up.
                return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return parts[0].equals("127");
    }

    /** {@return {@code scheme://host[:port]}} */
    public URI uri() {
        return uri;
    }

    /** {@return whether requests are encrypted} */
    public boolean isSecure() {
        return "https".equals(uri.getScheme());
    }

    /**
     * The Host header to send and sign: the host, with the port only when it is not the scheme's default.
     *
     * @return the host header value
     */
    public String hostHeader() {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (isSecure() && port == 443) || (!isSecure() && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrtcEndpoint that && uri.equals(that.uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
