package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The families whose robot joins a room and works until stopped or idle: cloud recording, cloud
 * slicing, cloud moderation and cloud transcription. Each is Idle until its robot has joined (one
 * second) and while the room is empty, InProgress while anchors are present, Exited once stopped or
 * idle for MaxIdleTime, then gone (ResourceNotFound) five seconds later or after
 * ResourceExpiredHour. RoomIdType follows each action's documentation (1, a 32-bit integer room, by
 * default; for cloud transcription 0 means an integer room); MaxIdleTime defaults to 30 s (at most
 * 1800 s for moderation, a day otherwise); a robot's UserId must be its own in the room, and a
 * PrivateMapKey, when given, must grant the robot that room.
 */
final class RobotTaskActions {

    static final Duration JOIN_TIME = Duration.ofSeconds(1);
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    /**
     * How one family differs.
     *
     * @param create the action names
     * @param robot where UserId and UserSig sit: "" for the top level, or an object's name
     * @param idleHolder the object holding MaxIdleTime
     * @param idleDefault its default, seconds
     * @param idleMax its largest allowed value, seconds
     * @param numericRoomIdType the RoomIdType value meaning a numeric room
     * @param roomIdTypeDefault the RoomIdType used when absent
     * @param replacedByModify the members a Modify call replaces
     * @param extras what Describe adds to the status
     */
    record Family(String create, String describe, String modify, String delete, String robot, String idleHolder,
            long idleDefault, long idleMax, long numericRoomIdType, long roomIdTypeDefault, List<String> replacedByModify,
            BiConsumer<RobotTask, ObjectNode> extras) {}

    static final class RobotTask extends Task {
        final Instant expires;
        final Family family;
        final EmulatorState state;

        RobotTask(Family family, EmulatorState state, String id, EmulatedRooms.Ref room, Instant started,
                Duration idle, ObjectNode params, Duration expiry) {
            super(id, room, started, idle, EXIT_GRACE, params);
            this.family = family;
            this.state = state;
            this.expires = started.plus(expiry);
        }
    }

    private final EmulatorState state;
    private final Family family;

    private RobotTaskActions(EmulatorState state, Family family) {
        this.state = state;
        this.family = family;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        for (Family f : List.of(
                new Family("CreateCloudRecording", "DescribeCloudRecording", "ModifyCloudRecording",
                        "DeleteCloudRecording", "", "RecordParams", 30, 86400, 1, 1,
                        List.of("MixLayoutParams", "SubscribeStreamUserIds"), RobotTaskActions::recordingFiles),
                new Family("CreateCloudSliceTask", "DescribeCloudSliceTask", "ModifyCloudSliceTask",
                        "DeleteCloudSliceTask", "", "SliceParams", 30, 86400, 1, 1, List.of("SubscribeStreamUserIds"),
                        (t, r) -> { }),
                new Family("CreateCloudModeration", "DescribeCloudModeration", "ModifyCloudModeration",
                        "DeleteCloudModeration", "", "ModerationParams", 30, 1800, 1, 1,
                        List.of("SubscribeStreamUserIds"),
                        (t, r) -> r.set("SubscribeStreamUserIds", t.params.has("SubscribeStreamUserIds")
                                ? t.params.get("SubscribeStreamUserIds")
                                : t.params.path("ModerationParams").path("SubscribeStreamUserIds").isMissingNode()
                                        ? r.objectNode()
                                        : t.params.get("ModerationParams").get("SubscribeStreamUserIds"))),
                new Family("CreateCloudTranscription", "DescribeCloudTranscription", null,
                        "DeleteCloudTranscription", "TranscriptionParam", "TranscriptionParam", 30, 86400, 0, 0,
                        List.of(),
                        (t, r) -> r.put("StartTime", t.started.getEpochSecond())))) {
            RobotTaskActions a = new RobotTaskActions(state, f);
            handlers.put(f.create(), a::create);
            handlers.put(f.describe(), a::describe);
            if (f.modify() != null) {
                handlers.put(f.modify(), a::modify);
            }
            handlers.put(f.delete(), a::delete);
        }
    }

    private ObjectNode create(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        ObjectNode robot = family.robot().isEmpty() ? body : (ObjectNode) body.get(family.robot());
        state.checkUserSig(robot, "UserId", "UserSig", family.robot().isEmpty() ? "" : family.robot() + ".");
        long roomIdType = EmulatorState.integer(body, "RoomIdType", family.roomIdTypeDefault(), 0, 1);
        ObjectNode idleHolder = body.path(family.idleHolder()).isObject() ? (ObjectNode) body.get(family.idleHolder())
                : state.reply();
        long idle = EmulatorState.integer(idleHolder, "MaxIdleTime", family.idleDefault(), 5, family.idleMax());
        if (family.create().equals("CreateCloudRecording")) {
            long mode = body.get("RecordParams").get("RecordMode").asLong();
            if (mode != 1 && mode != 2) {
                throw ApiException.invalid("RecordParams.RecordMode", "it must be 1 (single streams) or 2 (mixed)");
            }
            EmulatorState.checkStorage(body.get("StorageParams"));
        }
        long expiryHours = EmulatorState.integer(body, "ResourceExpiredHour", 72, 6, 720);
        EmulatedRooms.Ref room = state.room(body.get("RoomId").asText(), roomIdType == family.numericRoomIdType());
        String robotUser = robot.get("UserId").asText();
        state.checkRobotUserFree(room, robotUser, family.robot().isEmpty() ? "" : family.robot() + ".");
        state.checkPrivateMapKey(body, robotUser, room);
        RobotTask task = new RobotTask(family, state, state.newTaskId(), room, state.now(),
                Duration.ofSeconds(idle), body.deepCopy(), Duration.ofHours(expiryHours));
        task.robotUserId = robotUser;
        state.add(task);
        return state.reply().put("TaskId", task.id);
    }

    private RobotTask live(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        RobotTask task = state.find(body.get("TaskId").asText(), RobotTask.class);
        Instant now = state.now();
        if (task == null || task.family != family || task.isGone(now) || !now.isBefore(task.expires)) {
            throw new ApiException("ResourceNotFound", "The task does not exist or has ended.");
        }
        return task;
    }

    private ObjectNode describe(ObjectNode body) {
        RobotTask task = live(body);
        Instant now = state.now();
        String status;
        if (!task.isRunning()) {
            status = "Exited";
        } else if (task.age(now) < JOIN_TIME.getSeconds() || state.rooms.emptySince(task.room, task.started) != null) {
            status = "Idle";
        } else {
            status = "InProgress";
        }
        ObjectNode reply = state.reply().put("TaskId", task.id).put("Status", status);
        family.extras().accept(task, reply);
        return reply;
    }

    private ObjectNode modify(ObjectNode body) {
        RobotTask task = live(body);
        if (!task.isRunning()) {
            throw new ApiException("FailedOperation", "The task has exited and can no longer be modified.");
        }
        // Each call carries the complete settings: what it leaves out is cleared.
        for (String member : family.replacedByModify()) {
            task.params.remove(member);
            if (body.hasNonNull(member)) {
                task.params.set(member, body.get(member).deepCopy());
            }
        }
        return state.reply().put("TaskId", task.id);
    }

    private ObjectNode delete(ObjectNode body) {
        RobotTask task = live(body);
        task.stop(state.now());
        return state.reply().put("TaskId", task.id);
    }

    /** Recording's files: one per subscribed user for single streams, one mixed file otherwise; none while Idle. */
    private static void recordingFiles(RobotTask task, ObjectNode reply) {
        ArrayNode files = reply.putArray("StorageFileList");
        if (reply.get("Status").asText().equals("Idle")) {
            return;
        }
        JsonNode record = task.params.get("RecordParams");
        Instant begin = task.started.plus(JOIN_TIME);
        if (record.get("RecordMode").asLong() == 2) {
            files.addObject().put("UserId", "").put("FileName", Integer.toHexString(task.id.hashCode()) + "_mix.m3u8")
                    .put("TrackType", "audio_video").put("BeginTimeStamp", begin.toEpochMilli());
            return;
        }
        JsonNode subscribe = task.params.has("SubscribeStreamUserIds") ? task.params.get("SubscribeStreamUserIds")
                : record.path("SubscribeStreamUserIds");
        Set<String> allow = names(subscribe.path("SubscribeVideoUserIds"));
        Set<String> deny = names(subscribe.path("UnSubscribeVideoUserIds"));
        task.state.rooms.joinTimes(task.room).forEach((user, joined) -> {
            if ((allow.isEmpty() || allow.contains(user)) && !deny.contains(user)) {
                Instant from = joined.isAfter(begin) ? joined : begin;
                files.addObject().put("UserId", user)
                        .put("FileName", Integer.toHexString(task.id.hashCode()) + "_" + user + ".m3u8")
                        .put("TrackType", "audio_video").put("BeginTimeStamp", from.toEpochMilli());
            }
        });
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }
}
