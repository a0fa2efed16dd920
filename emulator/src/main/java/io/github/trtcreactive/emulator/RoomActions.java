package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RemoveUser, DismissRoom, SetUserBlocked and their string-room twins, acting on {@link EmulatedRooms}. */
final class RoomActions {

    private static final int MAX_USERS_PER_REMOVE = 10;

    private final EmulatorState state;

    private RoomActions(EmulatorState state) {
        this.state = state;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        RoomActions a = new RoomActions(state);
        handlers.put("RemoveUser", b -> a.remove(b, true));
        handlers.put("RemoveUserByStrRoomId", b -> a.remove(b, false));
        handlers.put("DismissRoom", b -> a.dismiss(b, true));
        handlers.put("DismissRoomByStrRoomId", b -> a.dismiss(b, false));
        handlers.put("SetUserBlocked", b -> a.block(b, true, "RoomId"));
        handlers.put("SetUserBlockedByStrRoomId", b -> a.block(b, false, "StrRoomId"));
    }

    private EmulatedRooms.Ref existingRoom(ObjectNode body, boolean numeric, String member) {
        state.checkSdkAppId(body, "SdkAppId");
        EmulatedRooms.Ref ref = state.room(body.get(member).asText(), numeric);
        if (!state.rooms.exists(ref)) {
            throw new ApiException("FailedOperation.RoomNotExist", "The room " + ref.id() + " does not exist.");
        }
        return ref;
    }

    private ObjectNode remove(ObjectNode body, boolean numeric) {
        EmulatedRooms.Ref ref = existingRoom(body, numeric, "RoomId");
        List<String> users = new ArrayList<>();
        body.get("UserIds").forEach(u -> users.add(u.asText()));
        if (users.isEmpty() || users.size() > MAX_USERS_PER_REMOVE) {
            throw new ApiException("InvalidParameter.UserIds", "UserIds must hold 1 to 10 users, held " + users.size() + ".");
        }
        for (String user : users) {
            requireUser(ref, user);
        }
        state.rooms.remove(ref, users);
        return state.reply();
    }

    private ObjectNode dismiss(ObjectNode body, boolean numeric) {
        state.rooms.dismiss(existingRoom(body, numeric, "RoomId"));
        return state.reply();
    }

    private ObjectNode block(ObjectNode body, boolean numeric, String roomMember) {
        EmulatedRooms.Ref ref = existingRoom(body, numeric, roomMember);
        String user = body.get("UserId").asText();
        requireUser(ref, user);
        JsonNode isMute = body.get("IsMute");
        long value = isMute.asLong();
        if (value < 0 || value > 3) {
            throw ApiException.invalid("IsMute", "it must be 0, 1, 2 or 3");
        }
        state.rooms.block(ref, user, EmulatedRooms.Mute.values()[(int) value]);
        return state.reply();
    }

    private void requireUser(EmulatedRooms.Ref ref, String user) {
        if (!state.rooms.joinTimes(ref).containsKey(user)) {
            throw new ApiException("FailedOperation.UserNotExist", "The user " + user + " is not in room " + ref.id() + ".");
        }
    }
}
