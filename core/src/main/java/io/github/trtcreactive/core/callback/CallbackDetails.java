package io.github.trtcreactive.core.callback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an event says beyond its envelope, typed per family. Fields the documentation marks optional,
 * or that an event of the family does not carry, are null. Numbers the service sometimes sends as
 * strings are read either way; unknown fields are ignored here and kept in the event's raw JSON.
 */
public sealed interface CallbackDetails {

    /**
     * Room and media events (groups 1 and 2).
     *
     * @param userId the user
     * @param role 20 anchor, 21 audience (entries, exits, role changes)
     * @param terminalType 1 Windows, 2 Android, 3 iOS, 4 Linux, 100 other (entries)
     * @param userType 1 WebRTC, 2 mini program, 3 native SDK (entries)
     * @param reason why the user entered or left (see the documentation's lists)
     * @param uniqueId one entry or exit, for applications that still receive it
     */
    record Room(String userId, Integer role, Integer terminalType, Integer userType, Integer reason, Long uniqueId)
            implements CallbackDetails {}

    /**
     * Cloud recording (group 3).
     *
     * @param userId the recording robot
     * @param status the payload's Status (also read from LeaveCode's place for 305, where the documents disagree)
     * @param leaveCode why the robot left (302)
     * @param fileList the files named by 304 (one M3U8) or 310 (the MP4s)
     * @param files the files 310 describes
     * @param vod the VOD file 311 describes
     * @param errorMessage Errmsg (311) or the storage's Message (308)
     * @param errorCode the storage's Code (308)
     * @param url the image that could not be downloaded (309)
     * @param payload the payload as received
     */
    record Recording(String userId, Integer status, Integer leaveCode, List<String> fileList, List<RecordingFile> files,
            VodFile vod, String errorMessage, String errorCode, String url, JsonNode payload) implements CallbackDetails {}

    /**
     * One file of a recording (310).
     *
     * @param fileName the file
     * @param userId whose stream (empty when mixed)
     * @param trackType audio, video or audio_video
     * @param mediaId main, aux or mix
     * @param startTimeStamp start, ms
     * @param endTimeStamp end, ms
     */
    record RecordingFile(String fileName, String userId, String trackType, String mediaId, Long startTimeStamp,
            Long endTimeStamp) {}

    /**
     * A file committed to VOD (311).
     *
     * @param userId whose stream (empty when mixed)
     * @param trackType audio, video or audio_video
     * @param mediaId main, aux or mix
     * @param fileId the VOD file id
     * @param videoUrl the playback URL
     * @param cacheFile the file name
     * @param startTimeStamp start, ms
     * @param endTimeStamp end, ms
     */
    record VodFile(String userId, String trackType, String mediaId, String fileId, String videoUrl, String cacheFile,
            Long startTimeStamp, Long endTimeStamp) {}

    /**
     * Relay to CDN (group 4).
     *
     * @param userId the relay robot
     * @param url the destination
     * @param status 0 idle, 1 connecting, 2 running, 3 recovering, 4 failure, 5 disconnecting
     * @param errorCode the error code
     * @param errorMessage the error message
     */
    record Relay(String userId, String url, Integer status, Integer errorCode, String errorMessage)
            implements CallbackDetails {}

    /**
     * Stream ingest (group 7): the status sits directly in EventInfo.
     *
     * @param status 701: 0 started, 1 failed, 2 started again; 702: 0 stopped
     */
    record Ingest(Integer status) implements CallbackDetails {}

    /**
     * Web page recording (group 8).
     *
     * @param status the payload's Status (its meaning depends on the type)
     * @param message the payload's EventMessage
     */
    record WebRecord(Integer status, String message) implements CallbackDetails {}

    /**
     * AI conversation and transcription (groups 9, 14 and 15).
     *
     * @param userId the user who spoke, or the AI robot
     * @param robotId the robot (group 14)
     * @param status the payload's Status when a number (start: 0 started, 1 failed)
     * @param state the payload's Status when text ({@code session_ready})
     * @param leaveCode why the task ended (902)
     * @param text the sentence or reply
     * @param roundId the conversation round
     * @param startTimeMs the sentence's start, ms
     * @param endTimeMs the sentence's end, ms
     * @param metric the metric's name (906, 908)
     * @param value the metric's value (906)
     * @param payload the payload as received
     */
    record Ai(String userId, String robotId, Integer status, String state, Integer leaveCode, String text,
            String roundId, Long startTimeMs, Long endTimeMs, String metric, Double value, JsonNode payload)
            implements CallbackDetails {}

    /**
     * Cloud slicing (group 10).
     *
     * @param userId the slicing robot
     * @param streamUserId the anchor sliced (1004)
     * @param status the payload's Status
     * @param leaveCode why the robot left (1002)
     * @param errorCode the storage's Code (1006)
     * @param errorMessage the storage's Message (1006)
     * @param payload the payload as received
     */
    record Slice(String userId, String streamUserId, Integer status, Integer leaveCode, Integer errorCode,
            String errorMessage, JsonNode payload) implements CallbackDetails {}

    /**
     * Cloud moderation (group 11).
     *
     * @param userId the pulling robot
     * @param streamerUserId the anchor moderated (1104)
     * @param status the payload's Status
     * @param leaveCode why the robot left (1102)
     * @param errorCode the delivery error's Code (1106)
     * @param errorMessage the delivery error's Message (1106)
     * @param dataId the result's DataId (1104)
     * @param mediaType 1 audio, 2 image (1104)
     * @param suggest 0 pass, 1 review, 2 block (1104)
     * @param label Normal, Ad, Porn, … (1104)
     * @param image the image's path (1104)
     * @param audio the audio's path (1104)
     * @param audioText the recognised text (1104)
     * @param checkDetail the result's details as received (1104)
     */
    record Moderation(String userId, String streamerUserId, Integer status, Integer leaveCode, Integer errorCode,
            String errorMessage, String dataId, Integer mediaType, Integer suggest, String label, String image,
            String audio, String audioText, JsonNode checkDetail) implements CallbackDetails {}

    /**
     * An event of a group this SDK does not know: its EventInfo as received.
     *
     * @param eventInfo the EventInfo object
     */
    record Other(JsonNode eventInfo) implements CallbackDetails {}
}
