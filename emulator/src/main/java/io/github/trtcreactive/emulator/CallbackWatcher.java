package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Turns what the emulator emulates into event callbacks. Every 100 ms of real time (and so soon
 * after a test moves the emulator's clock) it compares the rooms and tasks with what it last
 * reported and queues the events for what changed:
 *
 * <ul>
 *   <li>rooms: 101 when a room gets its first user, 103 then 201 and 203 for each user who enters
 *       (the emulator's users are anchors pushing audio and video), 104 for each who leaves, 102 when
 *       a room is left empty or dismissed;
 *   <li>cloud recording (group 3): 301 once the robot is in (a second after the start), then at the
 *       end 302 with its LeaveCode (0 stopped, 99 idle, 100 timed out), followed, for VOD storage,
 *       by 311 and 312, else by 305;
 *   <li>cloud slicing (10), moderation (11) and transcription (14): their start and stop events
 *       the same way; stream ingest (7): 701 and 702; web recording (8): 801 and 802; AI conversation
 *       and transcription (9): 901 once InProgress, 902 at the end; relay to CDN (4): 401 with
 *       Status 1 then 2 at the start, 5 then 0 at the end.
 * </ul>
 *
 * <p>A test that moves the emulator's clock gets the events of the move at once: the clock runs the
 * watcher on the moving thread before {@code advance} returns (the requests themselves are sent
 * asynchronously; {@link TrtcEmulator#callbacksPending()} says when they are all answered).
 *
 * <p>Each event carries the time it happened by the emulator's clock, in the documented fields of
 * its family ({@code CallbackMsTs} for stream ingest, {@code CallbackTs} otherwise).
 */
final class CallbackWatcher implements AutoCloseable {

    private static final Duration TICK = Duration.ofMillis(100);

    private final EmulatorState state;
    private final CallbackSender sender;
    private final Disposable ticking;
    private final Runnable onAdvance = this::tick;
    /** Per room, the users last reported in it. */
    private final Map<EmulatedRooms.Ref, Set<String>> reportedRooms = new HashMap<>();
    /** Tasks whose start was reported and whose end was not yet, by id. */
    private final Map<String, Task> started = new HashMap<>();
    /** Tasks whose end was reported (until the emulator forgets them). */
    private final Set<String> ended = new HashSet<>();

    CallbackWatcher(EmulatorState state, CallbackSender sender, Scheduler timer) {
        this.state = state;
        this.sender = sender;
        this.ticking = timer.schedulePeriodically(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        state.clock.onAdvance(onAdvance);
    }

    /** Reports what changed since the last tick; runs on the timer and on the thread that moves the clock. */
    private synchronized void tick() {
        List<ObjectNode> events = new ArrayList<>();
        synchronized (state.lock) {
            rooms(events);
            tasks(events);
        }
        events.forEach(sender::send);
    }

    private void rooms(List<ObjectNode> events) {
        Instant now = state.now();
        Map<EmulatedRooms.Ref, Set<String>> current = new LinkedHashMap<>();
        for (EmulatedRooms.Ref ref : state.rooms.all()) {
            Set<String> users = state.rooms.joinTimes(ref).keySet();
            if (!users.isEmpty()) {
                current.put(ref, new HashSet<>(users));
            }
        }
        for (Map.Entry<EmulatedRooms.Ref, Set<String>> room : current.entrySet()) {
            EmulatedRooms.Ref ref = room.getKey();
            Set<String> before = reportedRooms.getOrDefault(ref, Set.of());
            Map<String, Instant> joined = state.rooms.joinTimes(ref);
            List<String> entered = new ArrayList<>();
            for (String user : joined.keySet()) {
                if (!before.contains(user)) {
                    entered.add(user);
                }
            }
            if (before.isEmpty() && !entered.isEmpty()) {
                events.add(roomEvent(1, 101, ref, entered.get(0), joined.get(entered.get(0))));
            }
            for (String user : entered) {
                Instant at = joined.get(user);
                ObjectNode enter = roomEvent(1, 103, ref, user, at);
                ((ObjectNode) enter.get("EventInfo")).put("Role", 20).put("TerminalType", 4).put("UserType", 3)
                        .put("Reason", 1);
                events.add(enter);
                events.add(roomEvent(2, 201, ref, user, at));
                events.add(roomEvent(2, 203, ref, user, at));
            }
            for (String user : before) {
                if (!joined.containsKey(user)) {
                    ObjectNode exit = roomEvent(1, 104, ref, user, now);
                    ((ObjectNode) exit.get("EventInfo")).put("Role", 20).put("Reason", 1);
                    events.add(exit);
                }
            }
        }
        for (Map.Entry<EmulatedRooms.Ref, Set<String>> room : reportedRooms.entrySet()) {
            if (!current.containsKey(room.getKey())) {
                for (String user : room.getValue()) {
                    ObjectNode exit = roomEvent(1, 104, room.getKey(), user, now);
                    ((ObjectNode) exit.get("EventInfo")).put("Role", 20).put("Reason", 1);
                    events.add(exit);
                }
                events.add(roomEvent(1, 102, room.getKey(), null, now));
            }
        }
        reportedRooms.clear();
        reportedRooms.putAll(current);
    }

    private void tasks(List<ObjectNode> events) {
        Instant now = state.now();
        List<Task> all = new ArrayList<>(state.tasks.values());
        // A task that ended and was forgotten between two ticks (those without a grace period) still
        // gets its end reported.
        for (Task task : new ArrayList<>(started.values())) {
            if (!state.tasks.containsKey(task.id)) {
                all.add(task);
            }
        }
        for (Task task : all) {
            task.settle(state);
            if (ended.contains(task.id)) {
                continue;
            }
            Instant startAt = task.started.plus(startDelay(task));
            if (!started.containsKey(task.id) && !now.isBefore(startAt)
                    && (task.endedAt == null || !task.endedAt.isBefore(startAt))) {
                started.put(task.id, task);
                events.addAll(startEvents(task, startAt));
            }
            if (task.endedAt != null) {
                if (!started.containsKey(task.id)) {
                    events.addAll(startEvents(task, task.endedAt));
                }
                started.remove(task.id);
                ended.add(task.id);
                events.addAll(endEvents(task));
            }
        }
        // Forget what the emulator itself forgot.
        ended.retainAll(state.tasks.keySet());
    }

    /** When a task's module is up: a robot joins after a second, an AI task is InProgress after three. */
    private static Duration startDelay(Task task) {
        if (task instanceof RobotTaskActions.RobotTask) {
            return Duration.ofSeconds(1);
        }
        if (task instanceof AiActions.AiTask) {
            return Duration.ofSeconds(3);
        }
        return Duration.ZERO;
    }

    private List<ObjectNode> startEvents(Task task, Instant at) {
        List<ObjectNode> events = new ArrayList<>();
        if (task instanceof RobotTaskActions.RobotTask robot) {
            int group = group(robot);
            events.add(robotEvent(task, group, group * 100 + 1, at, payload().put("Status", 0)));
        } else if (task instanceof IngestActions.Ingest) {
            events.add(ingestEvent(task, 701, at));
        } else if (task instanceof WebRecordActions.WebRecord) {
            events.add(webEvent(task, 801, at));
        } else if (task instanceof AiActions.AiTask) {
            events.add(aiEvent(task, 901, at, payload().put("Status", 0)));
        } else if (task instanceof CdnActions.Relay) {
            events.add(relayEvent(task, at, 1));
            events.add(relayEvent(task, at, 2));
        }
        return events;
    }

    private List<ObjectNode> endEvents(Task task) {
        List<ObjectNode> events = new ArrayList<>();
        Instant at = task.endedAt;
        int leaveCode = task.endCause == Task.EndCause.IDLE ? 99 : task.endCause == Task.EndCause.DEADLINE ? 100 : 0;
        if (task instanceof RobotTaskActions.RobotTask robot) {
            int group = group(robot);
            events.add(robotEvent(task, group, group * 100 + 2, at,
                    group == 14 ? payload().put("Status", 0) : payload().put("LeaveCode", leaveCode)));
            if (group == 3) {
                boolean vod = task.params != null && task.params.path("StorageParams").has("CloudVod");
                if (vod) {
                    ObjectNode file = payload().put("Status", 0);
                    file.putObject("TencentVod").put("UserId", "").put("TrackType", "audio_video")
                            .put("MediaId", "mix").put("FileId", "emulated-" + task.id.hashCode())
                            .put("VideoUrl", "https://vod.example.invalid/" + Integer.toHexString(task.id.hashCode())
                                    + ".mp4")
                            .put("CacheFile", Integer.toHexString(task.id.hashCode()) + ".mp4")
                            .put("StartTimeStamp", task.started.toEpochMilli()).put("EndTimeStamp", at.toEpochMilli());
                    events.add(robotEvent(task, 3, 311, at, file));
                    events.add(robotEvent(task, 3, 312, at, payload().put("Status", 0)));
                } else {
                    events.add(robotEvent(task, 3, 305, at, payload().put("Status", 0)));
                }
            }
        } else if (task instanceof IngestActions.Ingest) {
            events.add(ingestEvent(task, 702, at));
        } else if (task instanceof WebRecordActions.WebRecord) {
            events.add(webEvent(task, 802, at));
        } else if (task instanceof AiActions.AiTask) {
            events.add(aiEvent(task, 902, at, payload().put("LeaveCode", leaveCode == 100 ? 0 : leaveCode)));
        } else if (task instanceof CdnActions.Relay) {
            events.add(relayEvent(task, at, 5));
            events.add(relayEvent(task, at, 0));
        }
        return events;
    }

    private static int group(RobotTaskActions.RobotTask task) {
        return switch (task.family.create()) {
            case "CreateCloudRecording" -> 3;
            case "CreateCloudSliceTask" -> 10;
            case "CreateCloudModeration" -> 11;
            default -> 14;
        };
    }

    private static ObjectNode payload() {
        return TrtcProtocol.mapper().createObjectNode();
    }

    private ObjectNode envelope(int group, int type, String timeField) {
        ObjectNode event = TrtcProtocol.mapper().createObjectNode();
        // The time of sending, as the service stamps it: the real clock, even when the emulator's
        // clock is fixed or moved (the events' own times follow the emulator's clock).
        event.put("EventGroupId", group).put("EventType", type).put(timeField, System.currentTimeMillis());
        return event;
    }

    private ObjectNode roomEvent(int group, int type, EmulatedRooms.Ref ref, String user, Instant at) {
        ObjectNode event = envelope(group, type, "CallbackTs");
        ObjectNode info = event.putObject("EventInfo");
        room(info, ref);
        info.put("EventTs", at.getEpochSecond()).put("EventMsTs", at.toEpochMilli());
        if (user != null) {
            info.put("UserId", user);
        }
        return event;
    }

    private ObjectNode robotEvent(Task task, int group, int type, Instant at, ObjectNode payload) {
        ObjectNode event = envelope(group, type, "CallbackTs");
        ObjectNode info = event.putObject("EventInfo");
        if (task.room != null) {
            room(info, task.room);
        }
        info.put("EventTs", at.getEpochSecond()).put("EventMsTs", at.toEpochMilli());
        if (group == 14) {
            info.put("RoomIdType", task.room != null && task.room.numeric() ? 0 : 1);
            info.put("RobotId", task.robotUserId == null ? "" : task.robotUserId);
        } else {
            info.put("UserId", task.robotUserId == null ? "" : task.robotUserId);
        }
        info.put("TaskId", task.id).set("Payload", payload);
        return event;
    }

    private ObjectNode ingestEvent(Task task, int type, Instant at) {
        ObjectNode event = envelope(7, type, "CallbackMsTs");
        event.putObject("EventInfo").put("EventMsTs", at.toEpochMilli()).put("TaskId", task.id).put("Status", 0);
        return event;
    }

    private ObjectNode webEvent(Task task, int type, Instant at) {
        ObjectNode event = envelope(8, type, "CallbackTs");
        ObjectNode info = event.putObject("EventInfo").put("EventMsTs", at.toEpochMilli()).put("TaskId", task.id);
        info.putObject("Payload").put("Status", 1).put("EventMessage", "Success");
        return event;
    }

    private ObjectNode aiEvent(Task task, int type, Instant at, ObjectNode payload) {
        ObjectNode event = envelope(9, type, "CallbackTs");
        ObjectNode info = event.putObject("EventInfo").put("EventMsTs", at.toEpochMilli()).put("TaskId", task.id);
        if (task.room != null) {
            info.put("RoomId", task.room.id()).put("RoomIdType", task.room.numeric() ? 0 : 1);
        }
        info.set("Payload", payload);
        return event;
    }

    private ObjectNode relayEvent(Task task, Instant at, int status) {
        ObjectNode event = envelope(4, 401, "CallbackTs");
        ObjectNode info = event.putObject("EventInfo");
        if (task.room != null) {
            room(info, task.room);
            info.put("RoomType", task.room.numeric() ? 0 : 1);
        }
        info.put("EventMsTs", at.toEpochMilli()).put("UserId", task.robotUserId == null ? "" : task.robotUserId)
                .put("TaskId", task.id);
        String url = task.params == null ? "" : task.params.path("McuPublishCdnParam").path(0).path("PublishCdnUrl")
                .asText("");
        info.putObject("Payload").put("Url", url).put("Status", status);
        return event;
    }

    private static void room(ObjectNode info, EmulatedRooms.Ref ref) {
        if (ref.numeric()) {
            info.put("RoomId", Long.parseLong(ref.id()));
        } else {
            info.put("RoomId", ref.id());
        }
    }

    @Override
    public void close() {
        ticking.dispose();
        state.clock.removeOnAdvance(onAdvance);
    }
}
