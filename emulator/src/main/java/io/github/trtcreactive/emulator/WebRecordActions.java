package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Web page recording: Status 1 (recording) from start until stopped or MaxDurationLimit; a running
 * RecordId cannot be started twice; afterwards Describe and Stop answer FailedOperation.TaskNotExist.
 */
final class WebRecordActions {

    static final class WebRecord extends Task {
        final String recordId;

        WebRecord(String id, Instant started, ObjectNode params, Instant deadline) {
            super(id, null, started, null, Duration.ZERO, params);
            this.deadline = deadline;
            this.recordId = params.path("RecordId").asText("");
        }
    }

    private final EmulatorState state;

    private WebRecordActions(EmulatorState state) {
        this.state = state;
    }

    static void register(EmulatorState state, Map<String, EmulatorState.Handler> handlers) {
        WebRecordActions a = new WebRecordActions(state);
        handlers.put("StartWebRecord", a::start);
        handlers.put("DescribeWebRecord", a::describe);
        handlers.put("StopWebRecord", a::stop);
    }

    private ObjectNode start(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        String url = body.get("RecordUrl").asText();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw ApiException.invalid("RecordUrl", "it must be an http or https URL");
        }
        EmulatorState.checkStorage(body.get("StorageParams"));
        long limit = EmulatorState.integer(body, "MaxDurationLimit", 86400, 1800, 86400);
        EmulatorState.integer(body, "ReadyTimeout", 0, 0, 60);
        String recordId = body.path("RecordId").asText("");
        if (recordId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32) {
            throw ApiException.invalid("RecordId", "it must be less than 32 bytes");
        }
        if (!recordId.isEmpty() && running(recordId) != null) {
            throw new ApiException("FailedOperation.TaskExist", "A web recording with RecordId " + recordId
                    + " is running.");
        }
        Instant now = state.now();
        WebRecord task = new WebRecord(state.newTaskId(), now, body.deepCopy(), now.plusSeconds(limit));
        state.add(task);
        if (!task.recordId.isEmpty()) {
            state.alias("web-record:" + task.recordId, task);
        }
        return state.reply().put("TaskId", task.id);
    }

    private WebRecord running(String recordId) {
        WebRecord latest = state.byAlias("web-record:" + recordId, WebRecord.class);
        return latest != null && latest.isRunning() ? latest : null;
    }

    private WebRecord find(ObjectNode body) {
        String taskId = body.path("TaskId").asText("");
        WebRecord task = !taskId.isEmpty() ? state.find(taskId, WebRecord.class)
                : !body.path("RecordId").asText("").isEmpty() ? running(body.get("RecordId").asText()) : null;
        if (taskId.isEmpty() && body.path("RecordId").asText("").isEmpty()) {
            throw ApiException.missing("TaskId");
        }
        if (task == null || !task.isRunning()) {
            throw new ApiException("FailedOperation.TaskNotExist", "The web recording does not exist or has ended.");
        }
        return task;
    }

    private ObjectNode describe(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        WebRecord task = find(body);
        return state.reply().put("Status", 1).put("TaskId", task.id).put("RecordId", task.recordId);
    }

    private ObjectNode stop(ObjectNode body) {
        find(body).stop(state.now());
        return state.reply();
    }
}
