package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Fills the emulated rooms over HTTP, for the standalone emulator (enabled with
 * {@link TrtcEmulatorBuilder#admin(boolean)}): {@code PUT /_emulator/rooms/ROOM/users/USER} joins,
 * {@code DELETE} leaves, {@code GET /_emulator/rooms} lists. A room of digits is numeric.
 *
 * <p>No authentication: it listens on loopback only, like the emulator. Listening on loopback does
 * not stop a web page the developer opens from reaching it, through DNS rebinding (a name of the
 * page's that now resolves to 127.0.0.1) or a cross-site request, so a request is refused (403)
 * unless its {@code Host} names a loopback address ({@code localhost}, {@code 127.x.x.x},
 * {@code [::1]}, with any port) and any {@code Origin} it carries is such an address as well.
 */
final class AdminEndpoint {

    static final String PREFIX = "/_emulator/";
    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);
    private static final Pattern LOOPBACK_V4 =
            Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

    private final EmulatedRooms rooms;
    private final Object lock;

    AdminEndpoint(EmulatorState state) {
        this.rooms = state.rooms;
        this.lock = state.lock;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String refusal = refusal(request.requestHeaders().getAll("Host"), request.requestHeaders().getAll("Origin"));
        if (refusal != null) {
            LOG.debug("admin request refused: {}", refusal);
            response.header("Connection", "close");
            return json(response, HttpResponseStatus.FORBIDDEN, TrtcProtocol.mapper().createObjectNode()
                    .put("error", refusal));
        }
        List<String> path = List.of(new QueryStringDecoder(request.uri()).path().substring(PREFIX.length()).split("/"));
        String method = request.method().name();
        if (path.size() == 1 && path.get(0).equals("rooms") && method.equals("GET")) {
            return json(response, HttpResponseStatus.OK, list());
        }
        if (path.size() == 4 && path.get(0).equals("rooms") && path.get(2).equals("users")
                && !path.get(1).isEmpty() && !path.get(3).isEmpty()) {
            String room = path.get(1);
            String user = path.get(3);
            boolean numeric = room.matches("\\d{1,10}") && Long.parseLong(room) <= 4_294_967_295L;
            switch (method) {
                case "PUT" -> {
                    if (numeric) {
                        rooms.join(Long.parseLong(room), user);
                    } else {
                        rooms.join(room, user);
                    }
                    return response.status(HttpResponseStatus.NO_CONTENT).send();
                }
                case "DELETE" -> {
                    boolean present = (numeric ? rooms.users(Long.parseLong(room)) : rooms.users(room)).contains(user);
                    if (!present) {
                        return json(response, HttpResponseStatus.NOT_FOUND, TrtcProtocol.mapper().createObjectNode()
                                .put("error", "user " + user + " is not in room " + room));
                    }
                    if (numeric) {
                        rooms.leave(Long.parseLong(room), user);
                    } else {
                        rooms.leave(room, user);
                    }
                    return response.status(HttpResponseStatus.NO_CONTENT).send();
                }
                default -> { }
            }
        }
        return json(response, HttpResponseStatus.NOT_FOUND, TrtcProtocol.mapper().createObjectNode().put("error",
                "use PUT or DELETE " + PREFIX + "rooms/ROOM/users/USER, or GET " + PREFIX + "rooms"));
    }

    /** Why a request may not use the endpoint, or null when it may. */
    static String refusal(List<String> hosts, List<String> origins) {
        if (hosts.size() != 1 || !loopback(hosts.get(0))) {
            return "the admin endpoint answers only requests whose Host is a loopback address";
        }
        for (String origin : origins) {
            int scheme = origin.indexOf("://");
            String prefix = scheme < 0 ? "" : origin.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (!(prefix.equals("http") || prefix.equals("https")) || !loopback(origin.substring(scheme + 3))) {
                return "the admin endpoint answers no request from a web page of another origin";
            }
        }
        return null;
    }

    /** Whether {@code host[:port]} names a loopback address. */
    static boolean loopback(String hostAndPort) {
        String host = hostAndPort.strip().toLowerCase(Locale.ROOT);
        String port = "";
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            port = host.substring(close + 1);
            host = host.substring(0, close + 1);
        } else if (host.indexOf(':') >= 0) {
            port = host.substring(host.indexOf(':'));
            host = host.substring(0, host.indexOf(':'));
        }
        if (!port.isEmpty() && !port.matches(":\\d{1,5}")) {
            return false;
        }
        return host.equals("localhost") || host.equals("[::1]") || LOOPBACK_V4.matcher(host).matches();
    }

    private ObjectNode list() {
        synchronized (lock) {
            return listLocked();
        }
    }

    private ObjectNode listLocked() {
        ObjectNode body = TrtcProtocol.mapper().createObjectNode();
        ArrayNode list = body.putArray("rooms");
        for (EmulatedRooms.Ref ref : rooms.all()) {
            ArrayNode users = list.addObject().put("room", ref.id()).put("numeric", ref.numeric()).putArray("users");
            (ref.numeric() ? rooms.users(Long.parseLong(ref.id())) : rooms.users(ref.id())).forEach(users::add);
        }
        return body;
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, ObjectNode body) {
        return response.status(status).header("Content-Type", "application/json")
                .sendByteArray(Mono.just(body.toString().getBytes(StandardCharsets.UTF_8))).then();
    }
}
