package io.github.trtcreactive.core.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One TRTC event callback, parsed: the common envelope (group, type, times, room, task) and the
 * family's details. Parsing follows what the service sends rather than only what its tables say:
 * {@code CallbackTs} or {@code CallbackMsTs}; {@code EventMsTs}, {@code EventTsMs} or the older
 * {@code EventTs} in seconds, as numbers or as strings; {@code RoomId} as a number or a string;
 * {@code TaskId} as a string or a number; unknown fields ignored, unknown groups and types kept with
 * their raw JSON. Immutable.
 */
public final class CallbackEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int groupId;
    private final int type;
    private final long sdkAppId;
    private final Instant callbackTime;
    private final Instant eventTime;
    private final String roomId;
    private final boolean numericRoomId;
    private final String userId;
    private final String taskId;
    private final JsonNode json;
    private final CallbackDetails details;

    private CallbackEvent(int groupId, int type, long sdkAppId, Instant callbackTime, Instant eventTime, String roomId,
            boolean numericRoomId, String userId, String taskId, JsonNode json, CallbackDetails details) {
        this.groupId = groupId;
        this.type = type;
        this.sdkAppId = sdkAppId;
        this.callbackTime = callbackTime;
        this.eventTime = eventTime;
        this.roomId = roomId;
        this.numericRoomId = numericRoomId;
        this.userId = userId;
        this.taskId = taskId;
        this.json = json;
        this.details = details;
    }

    /**
     * Parses a callback body.
     *
     * @param body the raw body
     * @param sdkAppId the application, from the {@code SdkAppId} header (0 when absent)
     * @param receivedAt when it arrived: the event's time when the body carries none
     * @return the event
     * @throws CallbackFormatException when the body is not a JSON object with a numeric {@code EventGroupId}
     */
    public static CallbackEvent parse(byte[] body, long sdkAppId, Instant receivedAt) {
        Objects.requireNonNull(body, "body");
        try {
            return read(body, sdkAppId, receivedAt);
        } catch (DateTimeException | ArithmeticException e) {
            // A number the service could not have sent (a time beyond the calendar's range, say).
            throw new CallbackFormatException("the callback body has a value out of its range", null);
        }
    }

    private static CallbackEvent read(byte[] body, long sdkAppId, Instant receivedAt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new CallbackFormatException("the callback body is not JSON", null);
        }
        if (root == null || !root.isObject()) {
            throw new CallbackFormatException("the callback body is not a JSON object", null);
        }
        Long group = number(root.get("EventGroupId"));
        if (group == null) {
            throw new CallbackFormatException("the callback body has no numeric EventGroupId", null);
        }
        Long type = number(root.get("EventType"));
        JsonNode info = root.path("EventInfo");
        if (!info.isObject()) {
            info = MissingNode.getInstance();
        }
        Long callbackMs = first(number(root.get("CallbackTs")), number(root.get("CallbackMsTs")));
        Instant callbackTime = callbackMs != null ? Instant.ofEpochMilli(callbackMs) : null;
        Long eventMs = first(number(info.get("EventMsTs")), number(info.get("EventTsMs")));
        Long eventSeconds = number(info.get("EventTs"));
        Instant eventTime = eventMs != null ? Instant.ofEpochMilli(eventMs)
                : eventSeconds != null ? Instant.ofEpochSecond(eventSeconds)
                : callbackTime != null ? callbackTime : receivedAt;
        JsonNode room = info.get("RoomId");
        String roomId = text(room);
        Long roomType = first(number(info.get("RoomIdType")), number(info.get("RoomType")));
        boolean numericRoom = room != null && (room.isNumber() || (roomType != null && roomType == 0));
        CallbackDetails details = details(group.intValue(), type == null ? 0 : type.intValue(), info);
        return new CallbackEvent(group.intValue(), type == null ? 0 : type.intValue(), sdkAppId, callbackTime,
                eventTime, roomId, numericRoom, text(info.get("UserId")), text(info.get("TaskId")), root, details);
    }

    private static CallbackDetails details(int group, int type, JsonNode info) {
        JsonNode p = info.path("Payload");
        return switch (group) {
            case 1, 2 -> new CallbackDetails.Room(text(info.get("UserId")), integer(info.get("Role")),
                    integer(info.get("TerminalType")), integer(info.get("UserType")), integer(info.get("Reason")),
                    number(info.get("UniqueId")));
            case 3 -> new CallbackDetails.Recording(text(info.get("UserId")),
                    // 305's field is Status in one document and LeaveCode in another: either.
                    type == 305 ? first(integer(p.get("Status")), integer(p.get("LeaveCode"))) : integer(p.get("Status")),
                    integer(p.get("LeaveCode")), fileList(p.get("FileList")),
                    files(p.get("FileMessage")), vod(p.get("TencentVod")),
                    first(text(p.get("Errmsg")), text(p.get("Message"))), text(p.get("Code")), text(p.get("Url")),
                    p.isMissingNode() ? null : p);
            case 4 -> new CallbackDetails.Relay(text(info.get("UserId")), text(p.get("Url")), integer(p.get("Status")),
                    integer(p.get("ErrorCode")), text(p.get("ErrorMsg")));
            case 7 -> new CallbackDetails.Ingest(integer(info.get("Status")));
            case 8 -> new CallbackDetails.WebRecord(integer(p.get("Status")), text(p.get("EventMessage")));
            case 9, 14, 15 -> {
                JsonNode status = p.get("Status");
                yield new CallbackDetails.Ai(first(text(p.get("UserId")), text(info.get("UserId"))),
                        text(info.get("RobotId")), integer(status),
                        status != null && status.isTextual() && integer(status) == null ? status.asText() : null,
                        integer(p.get("LeaveCode")), text(p.get("Text")),
                        first(text(p.get("RoundId")), text(p.path("Tag").get("RoundId"))),
                        number(p.get("StartTimeMs")), number(p.get("EndTimeMs")), text(p.get("Metric")),
                        decimal(p.get("Value")), p.isMissingNode() ? null : p);
            }
            case 10 -> new CallbackDetails.Slice(text(info.get("UserId")),
                    first(text(p.get("StreamUserId")), text(info.get("StreamUserId"))), integer(p.get("Status")),
                    integer(p.get("LeaveCode")), integer(p.get("Code")), text(p.get("Message")),
                    p.isMissingNode() ? null : p);
            case 11 -> new CallbackDetails.Moderation(text(info.get("UserId")),
                    first(text(info.get("StreamerUserId")), text(p.get("StreamerUserId"))), integer(p.get("Status")),
                    integer(p.get("LeaveCode")), integer(p.get("Code")), text(p.get("Message")),
                    text(p.get("DataId")), integer(p.get("MediaType")), integer(p.get("Suggest")),
                    text(p.get("Label")), text(p.get("Image")), text(p.get("Audio")), text(p.get("AudioText")),
                    p.get("CheckDetail"));
            default -> new CallbackDetails.Other(info.isMissingNode() ? JSON.createObjectNode() : info);
        };
    }

    /** {@return {@code EventGroupId}} */
    public int groupId() {
        return groupId;
    }

    /** {@return {@code EventType} (0 when the body has none)} */
    public int type() {
        return type;
    }

    /** {@return the group, when documented} */
    public Optional<CallbackGroup> group() {
        return CallbackGroup.of(groupId);
    }

    /** {@return the type, when documented} */
    public Optional<CallbackEventType> eventType() {
        return CallbackEventType.of(type).filter(t -> t.group().id() == groupId);
    }

    /** {@return the application, from the {@code SdkAppId} header (0 when it had none)} */
    public long sdkAppId() {
        return sdkAppId;
    }

    /** {@return when the service sent the callback, or null when the body does not say} */
    public Instant callbackTime() {
        return callbackTime;
    }

    /** {@return when the event happened (ms precision when the body gives it)} */
    public Instant eventTime() {
        return eventTime;
    }

    /** {@return the room, as text whatever its JSON type; null for families without rooms} */
    public String roomId() {
        return roomId;
    }

    /** {@return whether the room id is numeric (a JSON number, or RoomIdType / RoomType 0)} */
    public boolean numericRoomId() {
        return numericRoomId;
    }

    /** {@return EventInfo's UserId (the user, or the task's robot), or null} */
    public String userId() {
        return userId;
    }

    /** {@return the task, or null for room and media events} */
    public String taskId() {
        return taskId;
    }

    /** {@return the whole body as a tree} */
    public JsonNode json() {
        return json;
    }

    /** {@return the family's details} */
    public CallbackDetails details() {
        return details;
    }

    /**
     * The event's numeric status: the payload's {@code Status}, or EventInfo's (stream ingest).
     *
     * @return the status, if any
     */
    public OptionalInt status() {
        Integer status = integer(json.path("EventInfo").path("Payload").get("Status"));
        if (status == null) {
            status = integer(json.path("EventInfo").get("Status"));
        }
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /**
     * The key that identifies one event across the service's retries, which send the same event
     * again (there is no delivery id, and a retry may carry another {@code CallbackTs}): the group,
     * type and the whole EventInfo (ids, the event's own time, its payload), with fields in a
     * canonical order, hashed. Only what the signature covers counts: not the {@code SdkAppId}
     * header, which anyone relaying a captured request could change to make a replay look new.
     *
     * @return a SHA-256 hex digest
     */
    public String deduplicationKey() {
        StringBuilder canonical = new StringBuilder();
        canonical.append(groupId).append('/').append(type).append('/');
        canonical(json.path("EventInfo"), canonical);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            out.append('{');
            sorted.forEach((k, v) -> {
                out.append(quote(k)).append(':');
                canonical(v, out);
                out.append(',');
            });
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (JsonNode element : node) {
                canonical(element, out);
                out.append(',');
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CallbackEvent{group=" + groupId + ", type=" + type + ", sdkAppId=" + sdkAppId + ", roomId=" + roomId
                + ", taskId=" + taskId + ", eventTime=" + eventTime + "}";
    }

    // Lenient readers: the service sends some numbers as strings, and ids as either.

    static Long number(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return (long) node.asDouble();
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.matches("-?\\d{1,18}")) {
                return Long.parseLong(s);
            }
        }
        return null;
    }

    private static Integer integer(JsonNode node) {
        Long n = number(node);
        return n == null || n > Integer.MAX_VALUE || n < Integer.MIN_VALUE ? null : n.intValue();
    }

    private static Double decimal(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        try {
            return node.isTextual() ? Double.parseDouble(node.asText().trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    private static List<String> fileList(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> names = new ArrayList<>();
            node.forEach(n -> {
                if (n.isValueNode()) {
                    names.add(n.asText());
                }
            });
            return List.copyOf(names);
        }
        String one = text(node);
        return one == null ? List.of() : List.of(one);
    }

    private static List<CallbackDetails.RecordingFile> files(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<CallbackDetails.RecordingFile> files = new ArrayList<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode f = it.next();
            files.add(new CallbackDetails.RecordingFile(text(f.get("FileName")), text(f.get("UserId")),
                    text(f.get("TrackType")), text(f.get("MediaId")), number(f.get("StartTimeStamp")),
                    number(f.get("EndTimeStamp"))));
        }
        return List.copyOf(files);
    }

    private static CallbackDetails.VodFile vod(JsonNode v) {
        if (v == null || !v.isObject()) {
            return null;
        }
        return new CallbackDetails.VodFile(text(v.get("UserId")), text(v.get("TrackType")), text(v.get("MediaId")),
                text(v.get("FileId")), text(v.get("VideoUrl")), text(v.get("CacheFile")),
                number(v.get("StartTimeStamp")), number(v.get("EndTimeStamp")));
    }
}
