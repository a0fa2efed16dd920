package io.github.trtcreactive.reactor.poll;

import io.github.trtcreactive.core.catalog.TaskFamily;
import io.github.trtcreactive.core.model.*;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.poll.TaskStatus.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A pollable task family: how to describe and stop one of its tasks, what its status values mean,
 * which error says a task is gone, and how often to poll by default.
 *
 * @param <R> the family's Describe response type
 */
public final class TaskKind<R> {

    /** Calls one of the family's actions for a task. */
    @FunctionalInterface
    interface Call<T> {
        Mono<T> apply(TrtcAsyncClient client, long sdkAppId, String taskId);
    }

    private static final Map<String, Phase> ROBOT = Map.of("Idle", Phase.PENDING, "InProgress", Phase.RUNNING,
            "Exited", Phase.FINISHED);
    private static final Map<String, Phase> AI = Map.of("Idle", Phase.PENDING, "Preparing", Phase.PENDING,
            "InProgress", Phase.RUNNING, "Stopped", Phase.FINISHED);

    /** On-cloud recording: Idle, InProgress, Exited; ResourceNotFound once gone. */
    public static final TaskKind<DescribeCloudRecordingResponse> CLOUD_RECORDING = new TaskKind<>(
            TaskFamily.CLOUD_RECORDING, "DescribeCloudRecording", DescribeCloudRecordingResponse::status, ROBOT,
            Set.of("ResourceNotFound"), Duration.ofSeconds(5),
            (c, app, id) -> c.describeCloudRecording(DescribeCloudRecordingRequest.builder().sdkAppId(app).taskId(id)
                    .build()),
            (c, app, id) -> c.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(app).taskId(id)
                    .build()).then());

    /** Cloud slicing: Idle, InProgress, Exited; ResourceNotFound once gone. */
    public static final TaskKind<DescribeCloudSliceTaskResponse> CLOUD_SLICE = new TaskKind<>(
            TaskFamily.CLOUD_SLICE, "DescribeCloudSliceTask", DescribeCloudSliceTaskResponse::status, ROBOT,
            Set.of("ResourceNotFound"), Duration.ofSeconds(5),
            (c, app, id) -> c.describeCloudSliceTask(DescribeCloudSliceTaskRequest.builder().sdkAppId(app).taskId(id)
                    .build()),
            (c, app, id) -> c.deleteCloudSliceTask(DeleteCloudSliceTaskRequest.builder().sdkAppId(app).taskId(id)
                    .build()).then());

    /** Cloud moderation: Idle, InProgress, Exited; ResourceNotFound once gone. */
    public static final TaskKind<DescribeCloudModerationResponse> CLOUD_MODERATION = new TaskKind<>(
            TaskFamily.CLOUD_MODERATION, "DescribeCloudModeration", DescribeCloudModerationResponse::status, ROBOT,
            Set.of("ResourceNotFound"), Duration.ofSeconds(5),
            (c, app, id) -> c.describeCloudModeration(DescribeCloudModerationRequest.builder().sdkAppId(app)
                    .taskId(id).build()),
            (c, app, id) -> c.deleteCloudModeration(DeleteCloudModerationRequest.builder().sdkAppId(app).taskId(id)
                    .build()).then());

    /** Cloud transcription: Idle, InProgress, Exited; ResourceNotFound once gone. */
    public static final TaskKind<DescribeCloudTranscriptionResponse> CLOUD_TRANSCRIPTION = new TaskKind<>(
            TaskFamily.CLOUD_TRANSCRIPTION, "DescribeCloudTranscription", DescribeCloudTranscriptionResponse::status,
            ROBOT, Set.of("ResourceNotFound"), Duration.ofSeconds(5),
            (c, app, id) -> c.describeCloudTranscription(DescribeCloudTranscriptionRequest.builder().sdkAppId(app)
                    .taskId(id).build()),
            (c, app, id) -> c.deleteCloudTranscription(DeleteCloudTranscriptionRequest.builder().sdkAppId(app)
                    .taskId(id).build()).then());

    /** Stream ingest: InProgress, then NotExist (a successful answer) once finished. */
    public static final TaskKind<DescribeStreamIngestResponse> STREAM_INGEST = new TaskKind<>(
            TaskFamily.STREAM_INGEST, "DescribeStreamIngest", DescribeStreamIngestResponse::status,
            Map.of("InProgress", Phase.RUNNING, "NotExist", Phase.FINISHED), Set.of(), Duration.ofSeconds(5),
            (c, app, id) -> c.describeStreamIngest(DescribeStreamIngestRequest.builder().sdkAppId(app).taskId(id)
                    .build()),
            (c, app, id) -> c.stopStreamIngest(StopStreamIngestRequest.builder().sdkAppId(app).taskId(id).build()).then());

    /** AI conversation: Idle, Preparing, InProgress, Stopped; FailedOperation.TaskNotExist once gone. */
    public static final TaskKind<DescribeAIConversationResponse> AI_CONVERSATION = new TaskKind<>(
            TaskFamily.AI_CONVERSATION, "DescribeAIConversation", DescribeAIConversationResponse::status, AI,
            Set.of("FailedOperation.TaskNotExist"), Duration.ofSeconds(2),
            (c, app, id) -> c.describeAIConversation(DescribeAIConversationRequest.builder().sdkAppId(app).taskId(id)
                    .build()),
            (c, app, id) -> c.stopAIConversation(StopAIConversationRequest.builder().taskId(id).build()).then());

    /** AI transcription: Idle, Preparing, InProgress, Stopped; FailedOperation.TaskNotExist once gone. */
    public static final TaskKind<DescribeAITranscriptionResponse> AI_TRANSCRIPTION = new TaskKind<>(
            TaskFamily.AI_TRANSCRIPTION, "DescribeAITranscription", DescribeAITranscriptionResponse::status, AI,
            Set.of("FailedOperation.TaskNotExist"), Duration.ofSeconds(2),
            (c, app, id) -> c.describeAITranscription(DescribeAITranscriptionRequest.builder().sdkAppId(app)
                    .taskId(id).build()),
            (c, app, id) -> c.stopAITranscription(StopAITranscriptionRequest.builder().taskId(id).build()).then());

    /** Web page recording: Status 1 while recording; FailedOperation.TaskNotExist once ended. */
    public static final TaskKind<DescribeWebRecordResponse> WEB_RECORD = new TaskKind<>(
            TaskFamily.WEB_RECORD, "DescribeWebRecord", r -> r.status() == null ? "" : r.status().toString(),
            Map.of("1", Phase.RUNNING), Set.of("FailedOperation.TaskNotExist"), Duration.ofSeconds(5),
            (c, app, id) -> c.describeWebRecord(DescribeWebRecordRequest.builder().sdkAppId(app).taskId(id).build()),
            (c, app, id) -> c.stopWebRecord(StopWebRecordRequest.builder().taskId(id).build()).then());

    private final TaskFamily family;
    private final String describeAction;
    private final Function<R, String> statusOf;
    private final Map<String, Phase> phases;
    private final Set<String> goneCodes;
    private final Duration defaultInterval;
    private final Call<R> describe;
    private final Call<Void> stop;

    private TaskKind(TaskFamily family, String describeAction, Function<R, String> statusOf, Map<String, Phase> phases,
            Set<String> goneCodes, Duration defaultInterval, Call<R> describe, Call<Void> stop) {
        this.family = family;
        this.describeAction = describeAction;
        this.statusOf = statusOf;
        this.phases = phases;
        this.goneCodes = goneCodes;
        this.defaultInterval = defaultInterval;
        this.describe = describe;
        this.stop = stop;
    }

    /** {@return the family} */
    public TaskFamily family() {
        return family;
    }

    /** {@return the Describe action polled} */
    public String describeAction() {
        return describeAction;
    }

    /** {@return the pause between polls unless the options say otherwise} */
    public Duration defaultInterval() {
        return defaultInterval;
    }

    /** {@return the error codes that mean a task that existed is gone} */
    public Set<String> goneCodes() {
        return goneCodes;
    }

    /**
     * The typed status of a raw value; values the family does not document get {@link Phase#UNKNOWN}.
     *
     * @param raw the value a Describe response holds, may be null
     * @return the status
     */
    public TaskStatus status(String raw) {
        String value = Objects.requireNonNullElse(raw, "");
        return new TaskStatus(family, value, phases.getOrDefault(value, Phase.UNKNOWN));
    }

    TaskStatus statusOf(R response) {
        return status(statusOf.apply(response));
    }

    /**
     * The status an event callback says a task of this family has now, when it says one: the end
     * of a task (a module's exit, a stop) and, for the families whose start means running (stream
     * ingest, AI tasks, web recording), its start. A robot family's module start says nothing of
     * its status (a recording stays Idle while its room is empty), so it maps to none.
     *
     * @param event a callback about a task of this family
     * @return the status, if the event gives one
     */
    public java.util.Optional<TaskStatus> statusFrom(io.github.trtcreactive.reactor.callback.TrtcEvent event) {
        if (event.group().map(g -> !g.families().contains(family)).orElse(true)) {
            return java.util.Optional.empty();
        }
        int type = event.type();
        int status = event.status().orElse(-1);
        String raw = switch (family) {
            case CLOUD_RECORDING -> type == 302 || (type == 301 && status == 1) ? "Exited" : null;
            case CLOUD_SLICE -> type == 1002 || (type == 1001 && status == 1) ? "Exited" : null;
            case CLOUD_MODERATION -> type == 1102 || (type == 1101 && status == 1) ? "Exited" : null;
            case CLOUD_TRANSCRIPTION -> type == 1402 || (type == 1401 && status == 1) ? "Exited" : null;
            case STREAM_INGEST -> type == 701 && status == 0 ? "InProgress" : type == 702 ? "NotExist" : null;
            case AI_CONVERSATION, AI_TRANSCRIPTION -> (type == 901 || type == 1401) && status == 0 ? "InProgress"
                    : type == 902 || type == 1402 || ((type == 901 || type == 1401) && status == 1) ? "Stopped" : null;
            case WEB_RECORD -> type == 801 && status == 1 ? "1" : type == 802 ? "gone" : null;
            default -> null;
        };
        if (raw == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(raw.equals("gone") ? TaskStatus.gone(family) : status(raw));
    }

    /**
     * Describes one task of this family once (a single call, no polling).
     *
     * @param client the client
     * @param sdkAppId the application
     * @param taskId the task
     * @return the Describe response, on subscription
     */
    public Mono<R> describe(TrtcAsyncClient client, long sdkAppId, String taskId) {
        return describe.apply(client, sdkAppId, taskId);
    }

    /**
     * Stops one task of this family with the family's Stop action.
     *
     * @param client the client
     * @param sdkAppId the application
     * @param taskId the task
     * @return completion once the service accepted the stop, on subscription
     */
    public Mono<Void> stop(TrtcAsyncClient client, long sdkAppId, String taskId) {
        return stop.apply(client, sdkAppId, taskId);
    }

    @Override
    public String toString() {
        return family.name();
    }
}
