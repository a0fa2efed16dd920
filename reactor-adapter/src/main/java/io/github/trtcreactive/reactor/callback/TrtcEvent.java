package io.github.trtcreactive.reactor.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trtcreactive.core.callback.CallbackDetails;
import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.callback.CallbackEventType;
import io.github.trtcreactive.core.callback.CallbackGroup;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One verified TRTC event callback, as {@link TrtcCallbacks#events()} emits it: the envelope every
 * family shares, the family's typed details, and the raw body as a tree. Immutable.
 */
public final class TrtcEvent {

    private final CallbackEvent event;

    /**
     * Wraps a parsed callback.
     *
     * @param event the parsed callback
     */
    public TrtcEvent(CallbackEvent event) {
        this.event = Objects.requireNonNull(event, "event");
    }

    /** {@return {@code EventGroupId}: 1 room, 2 media, 3 cloud recording, …} */
    public int groupId() {
        return event.groupId();
    }

    /** {@return {@code EventType}, for example 103 (a user entered a room)} */
    public int type() {
        return event.type();
    }

    /** {@return the application, from the {@code SdkAppId} header (0 when absent)} */
    public long sdkAppId() {
        return event.sdkAppId();
    }

    /** {@return the room, as text whether the service sent a number or a string; null when the family has none} */
    public String roomId() {
        return event.roomId();
    }

    /** {@return the task, or null for room and media events} */
    public String taskId() {
        return event.taskId();
    }

    /** {@return when the event happened} */
    public Instant eventTime() {
        return event.eventTime();
    }

    /** {@return the raw body as a tree} */
    public JsonNode json() {
        return event.json();
    }

    /** {@return EventInfo's UserId (the user, or the task's robot), or null} */
    public String userId() {
        return event.userId();
    }

    /** {@return when the service sent the callback, or null} */
    public Instant callbackTime() {
        return event.callbackTime();
    }

    /** {@return the documented group, if it is one} */
    public Optional<CallbackGroup> group() {
        return event.group();
    }

    /** {@return the documented type, if it is one} */
    public Optional<CallbackEventType> eventType() {
        return event.eventType();
    }

    /** {@return the family's typed details} */
    public CallbackDetails details() {
        return event.details();
    }

    /** {@return the payload's numeric Status (EventInfo's for stream ingest), if any} */
    public OptionalInt status() {
        return event.status();
    }

    /** {@return the parsed callback this event wraps} */
    public CallbackEvent parsed() {
        return event;
    }

    @Override
    public String toString() {
        return "TrtcEvent{group=" + groupId() + ", type=" + type() + ", sdkAppId=" + sdkAppId() + ", roomId=" + roomId()
                + ", taskId=" + taskId() + ", eventTime=" + eventTime() + "}";
    }
}
