package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.usersig.UserSigCheck;
import io.github.trtcreactive.core.usersig.UserSigs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything the action handlers share: the clock, the rooms, the tasks, the application's UserSig
 * key and deterministic id generation. Handlers run under {@link #lock}, so they see and change the
 * state one call at a time (each call is short and never waits).
 */
final class EmulatorState {

    /** An action's behaviour: the members of the reply (without RequestId), or an {@link ApiException}. */
    @FunctionalInterface
    interface Handler {
        ObjectNode handle(ObjectNode body);
    }

    final Object lock = new Object();
    final EmulatorClock clock;
    final EmulatedRooms rooms;
    final long sdkAppId;
    final UserSigs userSigs;
    final Map<String, Task> tasks = new HashMap<>();
    private final Map<EmulatedRooms.Ref, List<Task>> tasksByRoom = new HashMap<>();
    /** Other keys a task is looked up by (an AI session id, a web recording's RecordId): the latest task wins. */
    private final Map<String, Task> aliases = new HashMap<>();
    private Instant lastSweep = Instant.MIN;
    private int sizeAtLastSweep;
    private final SplittableRandom random;

    EmulatorState(EmulatorClock clock, long sdkAppId, String appKey, long seed) {
        this.clock = clock;
        this.sdkAppId = sdkAppId;
        this.userSigs = UserSigs.of(sdkAppId, appKey).withClock(clock);
        this.random = new SplittableRandom(seed);
        this.rooms = new EmulatedRooms(clock, lock);
        rooms.beforeChange(ref -> tasksByRoom.getOrDefault(ref, List.of()).forEach(t -> t.settle(this)));
    }

    Instant now() {
        return clock.instant();
    }

    ObjectNode reply() {
        return TrtcProtocol.mapper().createObjectNode();
    }

    void add(Task task) {
        tasks.put(task.id, task);
        if (task.room != null) {
            tasksByRoom.computeIfAbsent(task.room, r -> new ArrayList<>()).add(task);
        }
    }

    /** Makes a task findable by another key too. Caller holds the lock. */
    void alias(String key, Task task) {
        aliases.put(key, task);
    }

    /** The task last registered under a key, settled to now; null when none (or it expired). */
    <T extends Task> T byAlias(String key, Class<T> type) {
        Task task = aliases.get(key);
        return task == null ? null : find(task.id, type);
    }

    /**
     * Forgets tasks whose gone time has passed, so an emulator that runs for days keeps only live
     * tasks and those still visible after ending. Runs at most once a second of the emulator's clock,
     * or sooner when the task count has doubled; its cost is one pass over the tasks. Caller holds the lock.
     */
    void expireGoneTasks() {
        Instant now = now();
        if (now.isBefore(lastSweep.plusSeconds(1)) && tasks.size() < Math.max(64, 2 * sizeAtLastSweep)) {
            return;
        }
        lastSweep = now;
        tasks.values().removeIf(task -> {
            task.settle(this);
            if (!task.isGone(now)) {
                return false;
            }
            if (task.room != null) {
                List<Task> inRoom = tasksByRoom.get(task.room);
                if (inRoom != null && inRoom.remove(task) && inRoom.isEmpty()) {
                    tasksByRoom.remove(task.room);
                }
            }
            aliases.values().remove(task);
            return true;
        });
        sizeAtLastSweep = tasks.size();
    }

    /** Tasks of a family in a room that are still running now. */
    List<Task> running(EmulatedRooms.Ref room, Class<? extends Task> type) {
        List<Task> found = new ArrayList<>();
        for (Task t : tasksByRoom.getOrDefault(room, List.of())) {
            t.settle(this);
            if (type.isInstance(t) && t.isRunning()) {
                found.add(t);
            }
        }
        return found;
    }

    /** Finds a task of a type, settled to now; null when unknown. */
    <T extends Task> T find(String taskId, Class<T> type) {
        Task task = tasks.get(taskId);
        if (!type.isInstance(task)) {
            return null;
        }
        task.settle(this);
        return type.cast(task);
    }

    /** An opaque task id with the characters real ids contain ({@code +}, {@code -}, {@code .}). */
    String newTaskId() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return "-emu+" + Base64.getEncoder().encodeToString(bytes).replace('/', '.').replace('=', '.') + "..";
    }

    String newRequestId() {
        long a = random.nextLong();
        long b = random.nextLong();
        return String.format("%08x-%04x-4%03x-%04x-%012x", a >>> 32, (a >>> 16) & 0xffff, a & 0xfff,
                ((b >>> 48) & 0x3fff) | 0x8000, b & 0xffffffffffffL);
    }

    /** Checks the SdkAppId member (integer, or the string form the monitoring actions use). */
    void checkSdkAppId(ObjectNode body, String member) {
        JsonNode v = body.get(member);
        if (v != null && !v.isNull() && !v.asText().equals(Long.toString(sdkAppId))) {
            throw new ApiException("FailedOperation.SdkAppIdNotExist", "SdkAppId " + v.asText() + " does not exist.");
        }
    }

    /** Checks the UserSig a robot presents; {@code path} names the object holding it, like {@code AgentParams.}. */
    void checkUserSig(JsonNode holder, String userMember, String sigMember, String path) {
        String user = holder.path(userMember).asText("");
        UserSigCheck check = userSigs.verify(user, holder.path(sigMember).asText(""));
        if (check != UserSigCheck.VALID) {
            throw new ApiException("InvalidParameter.UserSig", "The " + path + sigMember + " of user " + user
                    + " is not valid: " + check.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ".");
        }
    }

    /** The room an action names by a string member and a numeric/string flag. */
    EmulatedRooms.Ref room(String roomId, boolean numeric) {
        if (numeric && (!roomId.matches("\\d{1,10}") || Long.parseLong(roomId) > 4_294_967_295L)) {
            throw ApiException.invalid("RoomId", "a numeric room id must be a 32-bit unsigned integer "
                    + "(1 to 4294967295)");
        }
        return new EmulatedRooms.Ref(numeric, roomId);
    }

    /**
     * A robot's UserId must be its own in the room: no running task's robot and no user present may
     * have it (the documentation: it "cannot be identical to the user IDs of anchors in the room or
     * other recording robots").
     */
    void checkRobotUserFree(EmulatedRooms.Ref room, String userId, String path) {
        boolean taken = rooms.joinTimes(room).containsKey(userId);
        for (Task t : running(room, Task.class)) {
            taken |= userId.equals(t.robotUserId);
        }
        if (taken) {
            throw new ApiException("InvalidParameter.UserId", "The " + path + "UserId " + userId
                    + " is already in room " + room.id() + "; a robot needs a UserId of its own.");
        }
    }

    /** A StorageParams must say where files go: CloudVod or CloudStorage (an empty object says nowhere). */
    static void checkStorage(JsonNode storage) {
        if (!storage.hasNonNull("CloudStorage") && !storage.hasNonNull("CloudVod")) {
            throw ApiException.invalid("StorageParams", "it must hold CloudVod or CloudStorage");
        }
    }

    /** Checks the PrivateMapKey of a robot when the request gives one. */
    void checkPrivateMapKey(ObjectNode body, String userId, EmulatedRooms.Ref room) {
        JsonNode key = body.get("PrivateMapKey");
        if (key == null || key.isNull()) {
            return;
        }
        UserSigCheck check = room.numeric()
                ? userSigs.verifyPrivateMapKey(userId, key.asText(), Long.parseLong(room.id()), null)
                : userSigs.verifyPrivateMapKey(userId, key.asText(), 0, room.id());
        if (check != UserSigCheck.VALID) {
            throw new ApiException("InvalidParameter.PrivateMapKey", "The PrivateMapKey of user " + userId
                    + " is not valid for room " + room.id() + ": "
                    + check.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ".");
        }
    }

    static long integer(ObjectNode body, String member, long fallback, long min, long max) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            return fallback;
        }
        long value = v.asLong();
        if (value < min || value > max) {
            throw new ApiException("InvalidParameter.OutOfRange", "`" + member + "` must be between " + min + " and "
                    + max + ", was " + value + ".");
        }
        return value;
    }
}
