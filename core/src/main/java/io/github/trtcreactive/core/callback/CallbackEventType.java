package io.github.trtcreactive.core.callback;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every documented {@code EventType} of TRTC's callbacks, by group. Names follow the documented
 * constants without their {@code EVENT_TYPE_} prefix (the spelling {@code ASSIT} is the service's).
 */
public enum CallbackEventType {
    /** A room was created. */
    CREATE_ROOM(CallbackGroup.ROOM, 101),
    /** A room was dismissed. */
    DISMISS_ROOM(CallbackGroup.ROOM, 102),
    /** A user entered a room. */
    ENTER_ROOM(CallbackGroup.ROOM, 103),
    /** A user left a room (no stop-video or stop-audio event follows: leaving implies them). */
    EXIT_ROOM(CallbackGroup.ROOM, 104),
    /** A user switched role. */
    CHANGE_ROLE(CallbackGroup.ROOM, 105),
    /** A user started pushing video. */
    START_VIDEO(CallbackGroup.MEDIA, 201),
    /** A user stopped pushing video. */
    STOP_VIDEO(CallbackGroup.MEDIA, 202),
    /** A user started pushing audio. */
    START_AUDIO(CallbackGroup.MEDIA, 203),
    /** A user stopped pushing audio. */
    STOP_AUDIO(CallbackGroup.MEDIA, 204),
    /** A user started pushing the substream. */
    START_ASSIT(CallbackGroup.MEDIA, 205),
    /** A user stopped pushing the substream. */
    STOP_ASSIT(CallbackGroup.MEDIA, 206),
    /** The recording module started (Status 0) or failed to (1). */
    CLOUD_RECORDING_RECORDER_START(CallbackGroup.CLOUD_RECORDING, 301),
    /** The recording module exited (LeaveCode says why). */
    CLOUD_RECORDING_RECORDER_STOP(CallbackGroup.CLOUD_RECORDING, 302),
    /** The upload to COS started. */
    CLOUD_RECORDING_UPLOAD_START(CallbackGroup.CLOUD_RECORDING, 303),
    /** The first M3U8 index was uploaded. */
    CLOUD_RECORDING_FILE_INFO(CallbackGroup.CLOUD_RECORDING, 304),
    /** The upload to COS finished. */
    CLOUD_RECORDING_UPLOAD_STOP(CallbackGroup.CLOUD_RECORDING, 305),
    /** The task moved to another machine. */
    CLOUD_RECORDING_FAILOVER(CallbackGroup.CLOUD_RECORDING, 306),
    /** The M3U8 was generated (first slice cut). */
    CLOUD_RECORDING_FILE_SLICE(CallbackGroup.CLOUD_RECORDING, 307),
    /** The upload module failed (storage's Code and Message). */
    CLOUD_RECORDING_UPLOAD_ERROR(CallbackGroup.CLOUD_RECORDING, 308),
    /** An image could not be downloaded or decoded. */
    CLOUD_RECORDING_DOWNLOAD_IMAGE_ERROR(CallbackGroup.CLOUD_RECORDING, 309),
    /** An MP4 file was finished (once per file). */
    CLOUD_RECORDING_MP4_STOP(CallbackGroup.CLOUD_RECORDING, 310),
    /** A file was committed to VOD. */
    CLOUD_RECORDING_VOD_COMMIT(CallbackGroup.CLOUD_RECORDING, 311),
    /** The VOD task ended: the recording is complete. */
    CLOUD_RECORDING_VOD_STOP(CallbackGroup.CLOUD_RECORDING, 312),
    /** The state of a relay to CDN changed. */
    CLOUD_PUBLISH_CDN_STATUS(CallbackGroup.CLOUD_PUBLISH, 401),
    /** A stream ingest started, failed to, or started again. */
    STREAM_INGEST_START(CallbackGroup.STREAM_INGEST, 701),
    /** A stream ingest stopped. */
    STREAM_INGEST_STOP(CallbackGroup.STREAM_INGEST, 702),
    /** The web recording module started (Status 1) or failed to. */
    WEB_RECORDER_START(CallbackGroup.WEB_RECORD, 801),
    /** The web recording module exited. */
    WEB_RECORDER_STOP(CallbackGroup.WEB_RECORD, 802),
    /** A web recording was refreshed, paused or resumed. */
    WEB_RECORDER_STATUS_UPDATE(CallbackGroup.WEB_RECORD, 803),
    /** A web recording stopped at a duration or resolution limit. */
    WEB_RECORDER_RESOURCE_LIMIT(CallbackGroup.WEB_RECORD, 804),
    /** An AI task started (Status 0) or failed to (1). */
    AI_SERVICE_START(CallbackGroup.AI_SERVICE, 901),
    /** An AI task ended (LeaveCode says why). */
    AI_SERVICE_STOP(CallbackGroup.AI_SERVICE, 902),
    /** A complete recognised sentence or AI reply. */
    AI_SERVICE_MSG(CallbackGroup.AI_SERVICE, 903),
    /** Speech recognition heard a sentence begin. */
    AI_START_OF_SPEECH(CallbackGroup.AI_SERVICE, 904),
    /** The AI finished speaking in a round. */
    AI_SPEAKING_FINISHED(CallbackGroup.AI_SERVICE, 905),
    /** A latency or quality metric of the AI pipeline. */
    AI_METRIC_MESSAGE(CallbackGroup.AI_SERVICE, 906),
    /** An error metric of the AI pipeline. */
    AI_ERROR_METRIC_CALLBACK(CallbackGroup.AI_SERVICE, 908),
    /** The AI session's audio and video channels are ready. */
    AI_SESSION_STATUS_CALLBACK(CallbackGroup.AI_SERVICE, 909),
    /** The slicing module started or failed to. */
    CLOUD_SLICE_START(CallbackGroup.CLOUD_SLICE, 1001),
    /** The slicing module exited. */
    CLOUD_SLICE_STOP(CallbackGroup.CLOUD_SLICE, 1002),
    /** The upload of slices started. */
    CLOUD_SLICE_UPLOAD_START(CallbackGroup.CLOUD_SLICE, 1003),
    /** A slice file was uploaded. */
    CLOUD_SLICE_FILE_INFO(CallbackGroup.CLOUD_SLICE, 1004),
    /** The upload of slices finished. */
    CLOUD_SLICE_UPLOAD_STOP(CallbackGroup.CLOUD_SLICE, 1005),
    /** Delivering slices failed. */
    CLOUD_SLICE_UPLOAD_ERROR(CallbackGroup.CLOUD_SLICE, 1006),
    /** The moderation module started or failed to. */
    CLOUD_MODERATION_START(CallbackGroup.CLOUD_MODERATION, 1101),
    /** The moderation module exited. */
    CLOUD_MODERATION_STOP(CallbackGroup.CLOUD_MODERATION, 1102),
    /** Slices started being sent for moderation. */
    CLOUD_MODERATION_SEND_START(CallbackGroup.CLOUD_MODERATION, 1103),
    /** A moderation result. */
    CLOUD_MODERATION_TASK_INFO(CallbackGroup.CLOUD_MODERATION, 1104),
    /** Sending slices ended. */
    CLOUD_MODERATION_SEND_STOP(CallbackGroup.CLOUD_MODERATION, 1105),
    /** Delivering slices failed. */
    CLOUD_MODERATION_UPLOAD_ERROR(CallbackGroup.CLOUD_MODERATION, 1106),
    /** An AI transcription started or failed to. */
    CLOUD_TRANSCRIPTION_START(CallbackGroup.CLOUD_TRANSCRIPTION, 1401),
    /** An AI transcription ended. */
    CLOUD_TRANSCRIPTION_STOP(CallbackGroup.CLOUD_TRANSCRIPTION, 1402),
    /** A complete transcribed sentence. */
    CLOUD_TRANSCRIPTION_ASR_MSG(CallbackGroup.CLOUD_TRANSCRIPTION, 1403),
    /** A complete translated sentence. */
    CLOUD_TRANSCRIPTION_TRANSLATE_MSG(CallbackGroup.CLOUD_TRANSCRIPTION, 1404),
    /** The first documented event of AI conversation 2.0 (its payloads are not documented). */
    AI_CONVERSATION_EVENT(CallbackGroup.AI_CONVERSATION, 1501);

    private static final Map<Integer, CallbackEventType> BY_CODE = new HashMap<>();

    static {
        for (CallbackEventType t : values()) {
            BY_CODE.put(t.code, t);
        }
    }

    private final CallbackGroup group;
    private final int code;

    CallbackEventType(CallbackGroup group, int code) {
        this.group = group;
        this.code = code;
    }

    /** {@return the group the type belongs to} */
    public CallbackGroup group() {
        return group;
    }

    /** {@return the {@code EventType}} */
    public int code() {
        return code;
    }

    /**
     * The type of a code.
     *
     * @param code an {@code EventType}
     * @return the type, or empty when the code is not documented
     */
    public static Optional<CallbackEventType> of(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** {@return whether the event ends its task (a module's exit or a task's stop)} */
    public boolean endsTask() {
        return switch (this) {
            case CLOUD_RECORDING_RECORDER_STOP, STREAM_INGEST_STOP, WEB_RECORDER_STOP, AI_SERVICE_STOP,
                    CLOUD_SLICE_STOP, CLOUD_MODERATION_STOP, CLOUD_TRANSCRIPTION_STOP -> true;
            default -> false;
        };
    }
}
