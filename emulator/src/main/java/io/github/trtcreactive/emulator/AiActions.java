package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * AI conversation and AI transcription: Idle for the first second, Preparing until the third,
 * then InProgress; Stopped once stopped (or idle past MaxIdleTime, or after a pushed text with
 * StopAfterPlay), and gone five seconds later, when every action answers FailedOperation.TaskNotExist.
 */
final class AiActions {

    static final Duration STOPPED_GRACE = Duration.ofSeconds(5);
    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.ofHours(8));

    static final class AiTask extends Task {
        final boolean conversation;
        final String sessionId;

        AiTask(String id, EmulatedRooms.Ref room, Instant started, Duration idle, ObjectNode params,
                boolean conversation) {
            super(id, room, started, idle, STOPPED_GRACE, params);
            this.conversation = conversation;
            this.sessionId = params.path("SessionId").asText("");
        }
    }

    private final EmulatorState state;

    private AiActions(EmulatorState state) {
        this.state = state;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        AiActions a = new AiActions(state);
        handlers.put("StartAIConversation", b -> a.start(b, true));
        handlers.put("DescribeAIConversation", b -> a.describe(b, true));
        handlers.put("UpdateAIConversation", b -> a.touch(b, true));
        handlers.put("ControlAIConversation", a::control);
        handlers.put("StopAIConversation", b -> a.stop(b, true));
        handlers.put("StartAITranscription", b -> a.start(b, false));
        handlers.put("DescribeAITranscription", b -> a.describe(b, false));
        handlers.put("StopAITranscription", b -> a.stop(b, false));
    }

    private ObjectNode start(ObjectNode body, boolean conversation) {
        state.checkSdkAppId(body, "SdkAppId");
        long roomIdType = EmulatorState.integer(body, "RoomIdType", 0, 0, 1); // 0 numeric (default), 1 string
        ObjectNode robot = (ObjectNode) body.get(conversation ? "AgentConfig" : "TranscriptionParams");
        String path = conversation ? "AgentConfig." : "TranscriptionParams.";
        state.checkUserSig(robot, "UserId", "UserSig", path);
        long idle = EmulatorState.integer(robot, "MaxIdleTime", 60, 1, 86400);
        EmulatedRooms.Ref room = state.room(body.get("RoomId").asText(), roomIdType == 0);
        String session = body.path("SessionId").asText("");
        long mode = conversation ? 0 : EmulatorState.integer(robot, "TranscriptionMode", 0, 0, 1);
        if (mode == 1 && robot.path("TargetUserId").asText("").isEmpty()) {
            throw ApiException.missing(path + "TargetUserId");
        }
        for (Task t : state.running(room, AiTask.class)) {
            AiTask other = (AiTask) t;
            if (other.conversation == conversation && duplicates(other, session, mode, robot)) {
                throw new ApiException("FailedOperation.TaskExist", "A task with the same "
                        + (session.isEmpty() ? (mode == 0 ? "room" : "TargetUserId") : "SessionId") + " is running.");
            }
        }
        state.checkRobotUserFree(room, robot.get("UserId").asText(), path);
        AiTask task = new AiTask(state.newTaskId(), room, state.now(), Duration.ofSeconds(idle), body.deepCopy(),
                conversation);
        task.robotUserId = robot.get("UserId").asText();
        state.add(task);
        if (!session.isEmpty()) {
            state.alias(sessionKey(conversation, session), task);
        }
        return state.reply().put("TaskId", task.id);
    }

    private static String sessionKey(boolean conversation, String session) {
        return (conversation ? "ai-conversation-session:" : "ai-transcription-session:") + session;
    }

    private static boolean duplicates(AiTask other, String session, long mode, JsonNode robot) {
        if (!session.isEmpty()) {
            return session.equals(other.sessionId);
        }
        if (!other.sessionId.isEmpty()) {
            return false;
        }
        if (other.conversation || mode == 0) {
            return true;
        }
        return robot.path("TargetUserId").asText().equals(
                other.params.path("TranscriptionParams").path("TargetUserId").asText());
    }

    private AiTask find(ObjectNode body, boolean conversation) {
        String taskId = body.path("TaskId").asText("");
        AiTask task = null;
        if (!taskId.isEmpty()) {
            task = state.find(taskId, AiTask.class);
        } else if (!body.path("SessionId").asText("").isEmpty()) {
            task = state.byAlias(sessionKey(conversation, body.get("SessionId").asText()), AiTask.class);
        } else {
            throw ApiException.missing("TaskId");
        }
        if (task == null || task.conversation != conversation || task.isGone(state.now())) {
            throw new ApiException("FailedOperation.TaskNotExist", "The task does not exist.");
        }
        return task;
    }

    private ObjectNode describe(ObjectNode body, boolean conversation) {
        state.checkSdkAppId(body, "SdkAppId");
        AiTask task = find(body, conversation);
        Instant now = state.now();
        long age = task.age(now);
        String status = !task.isRunning() ? "Stopped" : age < 1 ? "Idle" : age < 3 ? "Preparing" : "InProgress";
        return state.reply().put("StartTime", START_TIME.format(task.started)).put("Status", status)
                .put("TaskId", task.id).put("SessionId", task.sessionId);
    }

    private AiTask running(ObjectNode body, boolean conversation) {
        AiTask task = find(body, conversation);
        if (!task.isRunning()) {
            throw new ApiException("FailedOperation.TaskNotExist", "The task has stopped.");
        }
        return task;
    }

    private ObjectNode touch(ObjectNode body, boolean conversation) {
        AiTask task = running(body, conversation);
        body.fields().forEachRemaining(f -> task.params.set(f.getKey(), f.getValue().deepCopy()));
        return state.reply();
    }

    private ObjectNode control(ObjectNode body) {
        AiTask task = running(body, true);
        if (!"ServerPushText".equals(body.get("Command").asText())) {
            throw ApiException.invalid("Command", "the only command is ServerPushText");
        }
        JsonNode push = body.get("ServerPushText");
        if (push == null || push.isNull()) {
            throw ApiException.missing("ServerPushText");
        }
        if (push.path("StopAfterPlay").asBoolean(false) && task.deadline == null) {
            task.deadline = state.now().plusSeconds(2);
        }
        return state.reply();
    }

    private ObjectNode stop(ObjectNode body, boolean conversation) {
        running(body, conversation).stop(state.now());
        return state.reply();
    }
}
