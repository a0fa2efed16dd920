package io.github.trtcreactive.core.callback;

import io.github.trtcreactive.core.catalog.TaskFamily;
import java.util.Optional;
import java.util.Set;

/** The documented event groups of TRTC's callbacks ({@code EventGroupId}) and the task families they report on. */
public enum CallbackGroup {
    /** Rooms created and dismissed, users entering, leaving and changing role. */
    ROOM(1, Set.of()),
    /** Users starting and stopping their video, audio and substream. */
    MEDIA(2, Set.of()),
    /** On-cloud recording, and the file upload of web page recording. */
    CLOUD_RECORDING(3, Set.of(TaskFamily.CLOUD_RECORDING, TaskFamily.WEB_RECORD)),
    /** Relay and mix to CDN. */
    CLOUD_PUBLISH(4, Set.of(TaskFamily.PUBLISH_CDN)),
    /** Pulling an online media stream into a room. */
    STREAM_INGEST(7, Set.of(TaskFamily.STREAM_INGEST)),
    /** Web page recording. */
    WEB_RECORD(8, Set.of(TaskFamily.WEB_RECORD)),
    /** Conversational AI and speech to text (the first generation). */
    AI_SERVICE(9, Set.of(TaskFamily.AI_CONVERSATION, TaskFamily.AI_TRANSCRIPTION)),
    /** Cloud slicing. */
    CLOUD_SLICE(10, Set.of(TaskFamily.CLOUD_SLICE)),
    /** Cloud moderation ("content understanding"). */
    CLOUD_MODERATION(11, Set.of(TaskFamily.CLOUD_MODERATION)),
    /** AI transcription and translation, second generation. */
    CLOUD_TRANSCRIPTION(14, Set.of(TaskFamily.CLOUD_TRANSCRIPTION, TaskFamily.AI_TRANSCRIPTION)),
    /** AI conversation, second generation. */
    AI_CONVERSATION(15, Set.of(TaskFamily.AI_CONVERSATION));

    private final int id;
    private final Set<TaskFamily> families;

    CallbackGroup(int id, Set<TaskFamily> families) {
        this.id = id;
        this.families = families;
    }

    /** {@return the {@code EventGroupId}} */
    public int id() {
        return id;
    }

    /** {@return the task families whose tasks this group's events may name (empty for rooms and media)} */
    public Set<TaskFamily> families() {
        return families;
    }

    /**
     * The group of an id.
     *
     * @param id an {@code EventGroupId}
     * @return the group, or empty when the id is not documented
     */
    public static Optional<CallbackGroup> of(int id) {
        for (CallbackGroup g : values()) {
            if (g.id == id) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
