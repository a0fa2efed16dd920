package io.github.trtcreactive.reactor.callback;

import io.github.trtcreactive.core.error.TrtcClientClosedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Who is in each room, and who sends audio, video or a substream, kept from room and media events
 * (groups 1 and 2): for a dashboard, without a DescribeUserInfo call. Entering (103) adds a user,
 * leaving (104) removes one with everything they sent (the service sends no stop events then),
 * 201 to 206 start and stop their streams, and a dismissed room (102) is emptied and forgotten.
 * Events can arrive out of order: one older than the last applied for the same user, or for the
 * room when it concerns the whole room, is ignored. What is remembered for that is bounded: a user
 * who left, and a room nobody is in, are forgotten once the events have moved
 * {@link #FORGET_AFTER} past them (longer than the service retries and a receiver's default age
 * limit, so no late event can still arrive), and at most {@link #MAX_DEPARTED} departed users are
 * kept per room. No subscriber runs under the view's lock. Thread-safe.
 *
 * <pre>{@code
 * RoomView rooms = RoomView.of(callbacks);                       // follows the events from now on
 * rooms.snapshots().subscribe(r -> log.info("{}: {}", r.roomId(), r.users()));
 * }</pre>
 */
public final class RoomView {

    /** How far, in event time, the events move past a departed user or an empty room before it is forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofMinutes(11);
    /** The most users who left that a room remembers (the oldest are forgotten first). */
    public static final int MAX_DEPARTED = 10_000;

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
        /** The last event applied for each user in the room. */
        final Map<String, Instant> lastByUser = new HashMap<>();
        /** When each user who left did so, oldest first. */
        final LinkedHashMap<String, Instant> departed = new LinkedHashMap<>();
        Instant roomEventAt = Instant.MIN;
        Instant updatedAt = Instant.MIN;
        /** The last event about the room, or when a quiet room with users was last looked at. */
        Instant seenAt = Instant.MIN;
    }

    /** The rooms, the least lately changed first. */
    private final LinkedHashMap<String, State> rooms = new LinkedHashMap<>();
    private final Sinks.Many<Room> changes = Sinks.many().multicast().directBestEffort();
    private final Disposable subscription;
    private Instant newest = Instant.MIN;
    private boolean closed; // guarded by this

    private RoomView(Flux<TrtcEvent> events) {
        this.subscription = events
                .filter(e -> e.groupId() == 1 || e.groupId() == 2)
                .filter(e -> e.roomId() != null)
                .subscribe(this::applyAndEmit, e -> complete(), this::complete);
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
     * later. A slow subscriber is not sent every change: it gets each changed room's latest state
     * when it asks for more, so it holds at most one snapshot per room.
     *
     * @return the snapshots, then the changes; a {@link TrtcClientClosedException} when the view is closed
     */
    public Flux<Room> snapshots() {
        return Flux.defer(() -> {
            LatestRooms latest = new LatestRooms();
            Disposable feed = null;
            synchronized (this) {
                // Checked under the lock close() sets it under: a feed is registered before the close
                // completes the changes, or not at all. Nothing here signals the subscriber, who comes later.
                // A change applied just before this may also arrive through the feed: the same
                // snapshot twice, never one missed.
                if (!closed) {
                    current().values().forEach(latest::offer);
                    feed = changes.asFlux().subscribe(latest::offer, e -> latest.complete(), latest::complete);
                }
            }
            if (feed == null) {
                return Flux.error(new TrtcClientClosedException("RoomView.snapshots"));
            }
            Disposable registered = feed;
            return latest.flux().doFinally(signal -> registered.dispose());
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

    /**
     * Stops following the events, for good: {@link #changes()} completes, and {@link #snapshots()}
     * subscribed later fails with {@link TrtcClientClosedException}. Never blocks. Closing again does
     * nothing.
     */
    public void close() {
        synchronized (this) { // snapshots() checks it under the lock: a subscriber is either in, or told it is closed
            closed = true;
        }
        subscription.dispose();
        complete();
    }

    /**
     * Stops following the events as {@link #close()}; the view holds no connection or timer, so it
     * completes as soon as it stopped.
     *
     * @return completes when closed, on subscription
     */
    public Mono<Void> closeLater() {
        return Mono.fromRunnable(this::close);
    }

    /** Completes the changes, trying again later (never giving up) while an emission holds the sink. */
    private void complete() {
        if (changes.tryEmitComplete() == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
            Schedulers.parallel().schedule(this::complete, 1, TimeUnit.MILLISECONDS);
        }
    }

    /** {@return how many rooms the view remembers, empty ones included} */
    public synchronized int roomCount() {
        return rooms.size();
    }

    /** {@return how many users the view remembers in all, present and departed} */
    public synchronized int rememberedUserCount() {
        return rooms.values().stream().mapToInt(r -> r.lastByUser.size() + r.departed.size()).sum();
    }

    /** Applies under the lock; emits outside it (events arrive one at a time from one subscription). */
    private void applyAndEmit(TrtcEvent e) {
        Room changed = apply(e);
        if (changed != null) {
            changes.tryEmitNext(changed);
        }
    }

    private synchronized Room apply(TrtcEvent e) {
        Instant at = e.eventTime();
        newest = max(newest, at);
        String roomId = e.roomId();
        int type = e.type();
        State state = rooms.remove(roomId);
        Room changed;
        if (type == 102) {
            boolean late = state != null && at.isBefore(state.roomEventAt);
            changed = state == null || late ? null : new Room(roomId, Set.of(), Set.of(), Set.of(), Set.of(), at);
            state = late ? state : null; // a dismissed room is forgotten; a late dismissal changes nothing
        } else {
            if (state == null && type != 104) {
                state = new State();
            }
            changed = state == null ? null : change(state, type, roomId, e.userId(), at);
        }
        if (state != null) {
            state.seenAt = max(state.seenAt, at);
            rooms.put(roomId, state); // now the most lately seen
            forgetDeparted(state);
        }
        forgetEmptyRooms();
        return changed;
    }

    /** Applies one room or user event to a room; {@return the room's snapshot, or null when ignored} */
    private static Room change(State state, int type, String roomId, String user, Instant at) {
        if (type == 101) {
            state.roomEventAt = max(state.roomEventAt, at);
            state.updatedAt = max(state.updatedAt, at);
            return snapshot(roomId, state);
        }
        if (user == null || type < 103 || type > 206 || (type > 104 && type < 201)) {
            return null;
        }
        Instant last = state.lastByUser.getOrDefault(user, state.departed.get(user));
        if (last != null && at.isBefore(last)) {
            return null; // a late event: a newer one for this user was applied already
        }
        boolean present = type == 103 || type == 201 || type == 203 || type == 205
                || (type != 104 && state.users.contains(user));
        state.departed.remove(user);
        state.lastByUser.remove(user);
        (present ? state.lastByUser : state.departed).put(user, at);
        switch (type) {
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
            default -> state.substream.remove(user); // 206
        }
        state.updatedAt = max(state.updatedAt, at);
        return snapshot(roomId, state);
    }

    /** Forgets a room's departed users that the events moved past, and the oldest beyond the cap. */
    private void forgetDeparted(State room) {
        Instant horizon = newest.minus(FORGET_AFTER);
        for (Iterator<Instant> it = room.departed.values().iterator(); it.hasNext(); ) {
            Instant leftAt = it.next();
            if (room.departed.size() <= MAX_DEPARTED && !leftAt.isBefore(horizon)) {
                return;
            }
            it.remove();
        }
    }

    /**
     * Forgets empty rooms the events moved {@link #FORGET_AFTER} past. The rooms are kept least
     * lately seen first, so only the stale head is visited: an empty one is forgotten, one with
     * users is only quiet and goes behind the others, at most a few per event.
     */
    private void forgetEmptyRooms() {
        Instant horizon = newest.minus(FORGET_AFTER);
        for (int visits = 0; visits < 16 && !rooms.isEmpty(); visits++) {
            Map.Entry<String, State> head = rooms.entrySet().iterator().next();
            State room = head.getValue();
            if (!room.seenAt.isBefore(horizon)) {
                return;
            }
            rooms.remove(head.getKey());
            if (!room.users.isEmpty()) {
                forgetDeparted(room);
                room.seenAt = newest;
                rooms.put(head.getKey(), room);
            }
        }
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
