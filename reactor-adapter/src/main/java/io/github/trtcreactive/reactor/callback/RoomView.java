package io.github.trtcreactive.reactor.callback;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import reactor.core.publisher.Flux;

/**
 * Who is in each room, and who sends audio, video or a substream, kept from room and media events
 * (groups 1 and 2): for a dashboard, without a DescribeUserInfo call. Entering (103) adds a user,
 * leaving (104) removes one with everything they sent (the service sends no stop events then),
 * 201 to 206 start and stop their streams, and a dismissed room (102) is emptied and forgotten.
 * Events can arrive out of order: one older than the last applied for the same user, or for the
 * room when it concerns the whole room, is ignored. Thread-safe.
 *
 * <pre>{@code
 * RoomView rooms = RoomView.of(callbacks);                       // follows the events from now on
 * rooms.snapshots().subscribe(r -> log.info("{}: {}", r.roomId(), r.users()));
 * }</pre>
 */
public final class RoomView {

    /**
     * One room as the events tell it.
     *
     * @param roomId the room, as text
     * @param users who is in it
     * @param sendingAudio who sends audio
     * @param sendingVideo who sends video
     * @param sendingSubstream who sends a substream (screen sharing)
     * @param updatedAt the time of the last event applied
     */
    public record Room(String roomId, Set<String> users, Set<String> sendingAudio, Set<String> sendingVideo,
            Set<String> sendingSubstream, Instant updatedAt) {

        /**
         * Copies the sets, so a snapshot never changes.
         *
         * @param roomId the room, as text
         * @param users who is in it
         * @param sendingAudio who sends audio
         * @param sendingVideo who sends video
         * @param sendingSubstream who sends a substream (screen sharing)
         * @param updatedAt the time of the last event applied
         */
        public Room {
            Objects.requireNonNull(roomId, "roomId");
            users = Collections.unmodifiableSet(new TreeSet<>(users));
            sendingAudio = Collections.unmodifiableSet(new TreeSet<>(sendingAudio));
            sendingVideo = Collections.unmodifiableSet(new TreeSet<>(sendingVideo));
            sendingSubstream = Collections.unmodifiableSet(new TreeSet<>(sendingSubstream));
        }

        /** {@return whether nobody is in the room} */
        public boolean isEmpty() {
            return users.isEmpty();
        }
    }

    /** The mutable state of one room. Guarded by the view. */
    private static final class State {
        final Set<String> users = new TreeSet<>();
        final Set<String> audio = new TreeSet<>();
        final Set<String> video = new TreeSet<>();
        final Set<String> substream = new TreeSet<>();
        final Map<String, Instant> lastByUser = new HashMap<>();
        Instant roomEventAt = Instant.MIN;
        Instant updatedAt = Instant.MIN;
    }

    private final Map<String, State> rooms = new LinkedHashMap<>();
    private final reactor.core.publisher.Sinks.Many<Room> changes =
            reactor.core.publisher.Sinks.many().multicast().directBestEffort();
    private final reactor.core.Disposable subscription;

    private RoomView(Flux<TrtcEvent> events) {
        this.subscription = events
                .filter(e -> e.groupId() == 1 || e.groupId() == 2)
                .filter(e -> e.roomId() != null)
                .subscribe(this::applyAndEmit, e -> changes.tryEmitComplete(), changes::tryEmitComplete);
    }

    /**
     * A view of the rooms a receiver hears about, kept from now on (it subscribes at once: create it
     * before other subscribers of the receiver if it should also see the events the receiver kept
     * for its first subscriber).
     *
     * @param callbacks the receiver
     * @return the view; {@link #close()} stops it
     */
    public static RoomView of(TrtcCallbacks callbacks) {
        return new RoomView(callbacks.events());
    }

    /**
     * A view of the rooms a stream of events tells about (a relayed stream, a test), subscribed at once.
     *
     * @param events room and media events (others are ignored)
     * @return the view
     */
    public static RoomView of(Flux<TrtcEvent> events) {
        return new RoomView(events);
    }

    /**
     * Each room's state after each event that changed it, from the subscription on; a slow
     * subscriber misses changes rather than holding the others up (use {@link #snapshots()} to
     * catch up).
     *
     * @return the changes, hot
     */
    public Flux<Room> changes() {
        return changes.asFlux();
    }

    /**
     * Every room with someone in it now, then each change: a consistent start for a page that opens
     * later.
     *
     * @return the snapshots, then the changes
     */
    public Flux<Room> snapshots() {
        return Flux.create(sink -> {
            synchronized (this) {
                current().values().forEach(sink::next);
                sink.onDispose(changes.asFlux().subscribe(sink::next, sink::error, sink::complete));
            }
        });
    }

    /** {@return every room known now with someone in it, by id} */
    public synchronized Map<String, Room> current() {
        Map<String, Room> all = new LinkedHashMap<>();
        rooms.forEach((id, state) -> {
            if (!state.users.isEmpty()) {
                all.put(id, snapshot(id, state));
            }
        });
        return all;
    }

    /** Stops following the events. */
    public void close() {
        subscription.dispose();
        changes.tryEmitComplete();
    }

    private synchronized void applyAndEmit(TrtcEvent e) {
        Room changed = apply(e);
        if (changed != null) {
            changes.tryEmitNext(changed);
        }
    }

    private synchronized Room apply(TrtcEvent e) {
        String roomId = e.roomId();
        String user = e.userId();
        Instant at = e.eventTime();
        State state = rooms.get(roomId);
        if (e.type() == 102) {
            if (state == null || at.isBefore(state.roomEventAt)) {
                return null;
            }
            rooms.remove(roomId);
            return new Room(roomId, Set.of(), Set.of(), Set.of(), Set.of(), at);
        }
        if (state == null) {
            if (e.type() == 104) {
                return null; // leaving a room never seen: nothing to show
            }
            state = new State();
            rooms.put(roomId, state);
        }
        if (e.type() == 101) {
            state.roomEventAt = at.isAfter(state.roomEventAt) ? at : state.roomEventAt;
            state.updatedAt = max(state.updatedAt, at);
            return snapshot(roomId, state);
        }
        if (user == null) {
            return null;
        }
        Instant last = state.lastByUser.get(user);
        if (last != null && at.isBefore(last)) {
            return null; // a late event: a newer one for this user was applied already
        }
        state.lastByUser.put(user, at);
        switch (e.type()) {
            case 103 -> state.users.add(user);
            case 104 -> {
                state.users.remove(user);
                state.audio.remove(user);
                state.video.remove(user);
                state.substream.remove(user);
            }
            case 201 -> add(state, state.video, user);
            case 202 -> state.video.remove(user);
            case 203 -> add(state, state.audio, user);
            case 204 -> state.audio.remove(user);
            case 205 -> add(state, state.substream, user);
            case 206 -> state.substream.remove(user);
            default -> {
                return null;
            }
        }
        state.updatedAt = max(state.updatedAt, at);
        return snapshot(roomId, state);
    }

    /** A user who sends a stream is in the room, whether or not their entry event arrived first. */
    private static void add(State state, Set<String> streams, String user) {
        streams.add(user);
        state.users.add(user);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Room snapshot(String id, State s) {
        return new Room(id, s.users, s.audio, s.video, s.substream, s.updatedAt);
    }
}
