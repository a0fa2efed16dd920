package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Stream ingest: InProgress from start until stopped or until the media has played RepeatNum times
 * (or MaxDuration minutes with RepeatNum -1); afterwards Describe answers {@code NotExist}, Update
 * {@code FailedOperation.TaskNotExist} and Stop {@code FailedOperation.TaskFinished}.
 */
final class IngestActions {

    /** How long an ended ingest is remembered, so that Stop can say it finished rather than never existed. */
    static final Duration REMEMBERED = Duration.ofHours(1);

    static final class Ingest extends Task {
        Ingest(String id, EmulatedRooms.Ref room, Instant started, ObjectNode params, Instant deadline) {
            super(id, room, started, null, REMEMBERED, params);
            this.deadline = deadline;
        }
    }

    private final EmulatorState state;
    private final Duration mediaLength;

    private IngestActions(EmulatorState state, Duration mediaLength) {
        this.state = state;
        this.mediaLength = mediaLength;
    }

    static void register(EmulatorState state, Duration mediaLength, Map<String, EmulatorState.Handler> handlers) {
        IngestActions a = new IngestActions(state, mediaLength);
        handlers.put("StartStreamIngest", a::start);
        handlers.put("DescribeStreamIngest", a::describe);
        handlers.put("UpdateStreamIngest", a::update);
        handlers.put("StopStreamIngest", a::stop);
    }

    private ObjectNode start(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        state.checkUserSig(body, "UserId", "UserSig", "");
        long roomIdType = EmulatorState.integer(body, "RoomIdType", 1, 0, 1); // 0 string, 1 integer
        if (!body.hasNonNull("StreamUrl") && (!body.has("SourceUrl") || body.get("SourceUrl").isEmpty())) {
            throw new ApiException("InvalidParameter.StreamUrl", "StreamUrl is required.");
        }
        long repeat = EmulatorState.integer(body, "RepeatNum", 1, -1, 1000);
        if (repeat == 0) {
            throw ApiException.invalid("RepeatNum", "0 is not allowed; use -1 to loop or 1 to 1000");
        }
        long maxMinutes = EmulatorState.integer(body, "MaxDuration", 0, 1, 10080);
        EmulatorState.integer(body, "Volume", 100, 0, 100);
        EmulatedRooms.Ref room = state.room(body.get("RoomId").asText(), roomIdType == 1);
        String user = body.get("UserId").asText();
        for (Task t : state.running(room, Ingest.class)) {
            if (t.params.get("UserId").asText().equals(user)) {
                throw new ApiException("FailedOperation.TaskExist", "User " + user + " already ingests a stream into "
                        + room.id() + ".");
            }
        }
        state.checkRobotUserFree(room, user, "");
        state.checkPrivateMapKey(body, user, room);
        Instant now = state.now();
        Instant end = repeat > 0 ? now.plus(mediaLength.multipliedBy(repeat))
                : maxMinutes > 0 ? now.plus(Duration.ofMinutes(maxMinutes)) : null;
        Ingest task = new Ingest(state.newTaskId(), room, now, body.deepCopy(), end);
        task.robotUserId = user;
        state.add(task);
        return state.reply().put("TaskId", task.id);
    }

    private Ingest find(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        return state.find(body.get("TaskId").asText(), Ingest.class);
    }

    private ObjectNode describe(ObjectNode body) {
        Ingest task = find(body);
        boolean running = task != null && task.isRunning();
        return state.reply().put("Status", running ? "InProgress" : "NotExist");
    }

    private ObjectNode update(ObjectNode body) {
        Ingest task = find(body);
        if (task == null || !task.isRunning()) {
            throw new ApiException("FailedOperation.TaskNotExist", "The ingest task does not exist.");
        }
        EmulatorState.integer(body, "Volume", 100, 0, 100);
        for (String member : new String[] {"StreamUrl", "Volume", "IsPause", "EnableProgress", "Tempo"}) {
            if (body.hasNonNull(member)) {
                task.params.set(member, body.get(member).deepCopy());
            }
        }
        return state.reply().put("Status", "InProgress");
    }

    private ObjectNode stop(ObjectNode body) {
        Ingest task = find(body);
        if (task == null) {
            throw new ApiException("InvalidParameter.TaskId", "The TaskId is not valid.");
        }
        if (!task.isRunning()) {
            throw new ApiException("FailedOperation.TaskFinished", "Task has ended when calling the interface.");
        }
        task.stop(state.now());
        return state.reply();
    }
}
