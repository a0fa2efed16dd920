package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;

/**
 * Relay to CDN (no Describe action exists): Start checks the robot's UserSig and the targets; Update
 * needs a SequenceNumber greater than the last one and keeps the transcoding mode; the task ends when
 * stopped or when every anchor has been out of the room for AgentParams.MaxIdleTime, after which
 * Update and Stop answer ResourceNotFound.
 */
final class CdnActions {

    private static final int MAX_TARGETS = 10;

    static final class Relay extends Task {
        long sequence = -1;

        Relay(String id, EmulatedRooms.Ref room, java.time.Instant started, Duration idle, ObjectNode params) {
            super(id, room, started, idle, Duration.ZERO, params);
        }
    }

    private final EmulatorState state;

    private CdnActions(EmulatorState state) {
        this.state = state;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        CdnActions a = new CdnActions(state);
        handlers.put("StartPublishCdnStream", a::start);
        handlers.put("UpdatePublishCdnStream", a::update);
        handlers.put("StopPublishCdnStream", a::stop);
    }

    private ObjectNode start(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        long roomIdType = EmulatorState.integer(body, "RoomIdType", 0, 0, 1); // here 0 is integer, 1 string
        ObjectNode agent = (ObjectNode) body.get("AgentParams");
        state.checkUserSig(agent, "UserId", "UserSig", "AgentParams.");
        long idle = EmulatorState.integer(agent, "MaxIdleTime", 30, 5, 86400);
        checkMode(body);
        checkTargets(body);
        checkFeedbackRobots(body);
        EmulatedRooms.Ref room = state.room(body.get("RoomId").asText(), roomIdType == 0);
        state.checkRobotUserFree(room, agent.get("UserId").asText(), "AgentParams.");
        Relay task = new Relay(state.newTaskId(), room, state.now(), Duration.ofSeconds(idle), body.deepCopy());
        task.robotUserId = agent.get("UserId").asText();
        state.add(task);
        return state.reply().put("TaskId", task.id);
    }

    private static void checkMode(ObjectNode body) {
        long transcoding = body.get("WithTranscoding").asLong();
        if (transcoding != 0 && transcoding != 1) {
            throw ApiException.invalid("WithTranscoding", "it must be 0 (single stream) or 1 (mixing)");
        }
        if (transcoding == 0 && !body.hasNonNull("SingleSubscribeParams")) {
            throw ApiException.missing("SingleSubscribeParams");
        }
    }

    private static void checkTargets(ObjectNode body) {
        JsonNode cdn = body.path("PublishCdnParams");
        JsonNode feedback = body.path("FeedBackRoomParams");
        if (cdn.size() == 0 && feedback.size() == 0) {
            throw ApiException.invalid("PublishCdnParams", "at least one of PublishCdnParams and FeedBackRoomParams "
                    + "must hold a target");
        }
        if (cdn.size() > MAX_TARGETS || feedback.size() > MAX_TARGETS) {
            throw ApiException.invalid("PublishCdnParams", "each target list holds at most 10 entries");
        }
    }

    /** Every robot that relays the stream back into a room presents its own UserSig. */
    private void checkFeedbackRobots(ObjectNode body) {
        JsonNode feedback = body.path("FeedBackRoomParams");
        for (int i = 0; i < feedback.size(); i++) {
            state.checkUserSig(feedback.get(i), "UserId", "UserSig", "FeedBackRoomParams." + i + ".");
        }
    }

    private Relay live(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        Relay task = state.find(body.get("TaskId").asText(), Relay.class);
        if (task == null || !task.isRunning()) {
            throw new ApiException("ResourceNotFound", "The relay task does not exist or has ended.");
        }
        return task;
    }

    private ObjectNode update(ObjectNode body) {
        Relay task = live(body);
        long sequence = body.get("SequenceNumber").asLong();
        if (sequence <= task.sequence) {
            throw ApiException.invalid("SequenceNumber", "it must be greater than the last one used, " + task.sequence);
        }
        if (body.get("WithTranscoding").asLong() != task.params.get("WithTranscoding").asLong()) {
            throw ApiException.invalid("WithTranscoding", "a task cannot switch between mixing and a single stream");
        }
        checkMode(body);
        if (body.has("PublishCdnParams") || body.has("FeedBackRoomParams")) {
            checkTargets(body);
            checkFeedbackRobots(body);
        }
        task.sequence = sequence;
        body.fields().forEachRemaining(f -> task.params.set(f.getKey(), f.getValue().deepCopy()));
        return state.reply().put("TaskId", task.id);
    }

    private ObjectNode stop(ObjectNode body) {
        Relay task = live(body);
        task.stop(state.now());
        return state.reply().put("TaskId", task.id);
    }
}
