package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Fills the emulated rooms over HTTP, for the standalone emulator (enabled with
 * {@link TrtcEmulatorBuilder#admin(boolean)}): {@code PUT /_emulator/rooms/ROOM/users/USER} joins,
 * {@code DELETE} leaves, {@code GET /_emulator/rooms} lists. A room of digits is numeric. No
 * authentication: it listens on loopback only, like the emulator.
 */
final class AdminEndpoint {

    static final String PREFIX = "/_emulator/";

    private final EmulatedRooms rooms;
    private final Object lock;

    AdminEndpoint(EmulatorState state) {
        this.rooms = state.rooms;
        this.lock = state.lock;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
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
