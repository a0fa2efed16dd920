package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * On-cloud recording: Idle until the robot has joined (one second) and while the room is empty,
 * InProgress while anchors are present, Exited once stopped or idle for MaxIdleTime, then gone
 * (ResourceNotFound) five seconds later or after ResourceExpiredHour.
 */
final class RecordingActions {

    static final Duration JOIN_TIME = Duration.ofSeconds(1);
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    static final class Recording extends Task {
        final Instant expires;

        Recording(String id, EmulatedRooms.Ref room, Instant started, Duration idle, ObjectNode params, Duration expiry) {
            super(id, room, started, idle, params);
            this.expires = started.plus(expiry);
        }

        @Override
        Duration grace() {
            return EXIT_GRACE;
        }
    }

    private final EmulatorState state;

    private RecordingActions(EmulatorState state) {
        this.state = state;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        RecordingActions a = new RecordingActions(state);
        handlers.put("CreateCloudRecording", a::create);
        handlers.put("DescribeCloudRecording", a::describe);
        handlers.put("ModifyCloudRecording", a::modify);
        handlers.put("DeleteCloudRecording", a::delete);
    }

    private ObjectNode create(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        state.checkUserSig(body, "UserId", "UserSig", "");
        long roomIdType = EmulatorState.integer(body, "RoomIdType", 1, 0, 1); // 0 string, 1 integer (default)
        JsonNode record = body.get("RecordParams");
        long mode = record.get("RecordMode").asLong();
        if (mode != 1 && mode != 2) {
            throw ApiException.invalid("RecordParams.RecordMode", "it must be 1 (single streams) or 2 (mixed)");
        }
        long idle = EmulatorState.integer((ObjectNode) record, "MaxIdleTime", 30, 5, 86400);
        long expiryHours = EmulatorState.integer(body, "ResourceExpiredHour", 72, 6, 720);
        Recording task = new Recording(state.newTaskId(), state.room(body.get("RoomId").asText(), roomIdType == 1),
                state.now(), Duration.ofSeconds(idle), body.deepCopy(), Duration.ofHours(expiryHours));
        state.add(task);
        return state.reply().put("TaskId", task.id);
    }

    private Recording live(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        Recording task = state.find(body.get("TaskId").asText(), Recording.class);
        Instant now = state.now();
        if (task == null || task.isGone(now) || !now.isBefore(task.expires)) {
            throw new ApiException("ResourceNotFound", "The recording task does not exist or has ended.");
        }
        return task;
    }

    private ObjectNode describe(ObjectNode body) {
        Recording task = live(body);
        Instant now = state.now();
        String status;
        if (!task.isRunning(now)) {
            status = "Exited";
        } else if (task.age(now) < JOIN_TIME.getSeconds() || state.rooms.emptySince(task.room, task.started) != null) {
            status = "Idle";
        } else {
            status = "InProgress";
        }
        ObjectNode reply = state.reply().put("TaskId", task.id).put("Status", status);
        reply.set("StorageFileList", status.equals("Idle") ? reply.arrayNode() : files(task));
        return reply;
    }

    /** One file per subscribed user for single-stream recording; one mixed file otherwise. */
    private ArrayNode files(Recording task) {
        ArrayNode files = state.reply().arrayNode();
        JsonNode record = task.params.get("RecordParams");
        Instant begin = task.started.plus(JOIN_TIME);
        if (record.get("RecordMode").asLong() == 2) {
            files.addObject().put("UserId", "").put("FileName", task.id.hashCode() + "_mix.m3u8")
                    .put("TrackType", "audio_video").put("BeginTimeStamp", begin.toEpochMilli());
            return files;
        }
        JsonNode subscribe = task.params.has("SubscribeStreamUserIds") ? task.params.get("SubscribeStreamUserIds")
                : record.path("SubscribeStreamUserIds");
        Set<String> allow = names(subscribe.path("SubscribeVideoUserIds"));
        Set<String> deny = names(subscribe.path("UnSubscribeVideoUserIds"));
        state.rooms.joinTimes(task.room).forEach((user, joined) -> {
            if ((allow.isEmpty() || allow.contains(user)) && !deny.contains(user)) {
                Instant from = joined.isAfter(begin) ? joined : begin;
                files.addObject().put("UserId", user).put("FileName", task.id.hashCode() + "_" + user + ".m3u8")
                        .put("TrackType", "audio_video").put("BeginTimeStamp", from.toEpochMilli());
            }
        });
        return files;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }

    private ObjectNode modify(ObjectNode body) {
        Recording task = live(body);
        if (!task.isRunning(state.now())) {
            throw new ApiException("FailedOperation", "The recording task has exited and can no longer be modified.");
        }
        // The service replaces the layout and subscriptions with what each call carries.
        task.params.remove("MixLayoutParams");
        task.params.remove("SubscribeStreamUserIds");
        for (String member : new String[] {"MixLayoutParams", "SubscribeStreamUserIds"}) {
            if (body.hasNonNull(member)) {
                task.params.set(member, body.get(member).deepCopy());
            }
        }
        return state.reply().put("TaskId", task.id);
    }

    private ObjectNode delete(ObjectNode body) {
        Recording task = live(body);
        task.stop(state.now());
        return state.reply().put("TaskId", task.id);
    }
}
