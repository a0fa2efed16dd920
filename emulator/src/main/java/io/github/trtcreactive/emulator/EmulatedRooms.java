package io.github.trtcreactive.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rooms of the emulated application and the users in them. Tests put users in rooms here; the
 * room actions (RemoveUser, DismissRoom, SetUserBlocked and their string-id twins) act on them, and
 * tasks watch them to end themselves when a room stays empty. Numeric and string room ids are
 * separate namespaces, as in TRTC. Thread-safe.
 */
public final class EmulatedRooms {

    /** How a user's audio and video are blocked: the {@code IsMute} values of SetUserBlocked. */
    public enum Mute {
        /** Audio and video allowed (0). */
        NONE,
        /** Audio and video blocked (1). */
        ALL,
        /** Audio blocked (2). */
        AUDIO,
        /** Video blocked (3). */
        VIDEO
    }

    /** A room reference: numeric or string id. */
    record Ref(boolean numeric, String id) {
        @Override
        public String toString() {
            return (numeric ? "numeric room " : "room ") + id;
        }
    }

    private static final class Room {
        final Instant createdAt;
        final Map<String, Instant> joinedAt = new LinkedHashMap<>();
        final Map<String, Mute> mutes = new HashMap<>();

        Room(Instant createdAt) {
            this.createdAt = createdAt;
        }
    }

    private final Clock clock;
    private final Object lock;
    private final Map<Ref, Room> rooms = new HashMap<>();
    private final Map<Ref, Instant> emptiedAt = new HashMap<>();
    private final List<java.util.function.Consumer<Ref>> beforeChange = new ArrayList<>();

    EmulatedRooms(Clock clock, Object lock) {
        this.clock = clock;
        this.lock = lock;
    }

    void beforeChange(java.util.function.Consumer<Ref> listener) {
        beforeChange.add(listener);
    }

    /**
     * Puts users in a room with a string id, creating the room if needed.
     *
     * @param roomId the string room id
     * @param userIds the users
     * @return this
     */
    public EmulatedRooms join(String roomId, String... userIds) {
        return join(new Ref(false, Objects.requireNonNull(roomId, "roomId")), userIds);
    }

    /**
     * Puts users in a room with a numeric id, creating the room if needed.
     *
     * @param roomId the numeric room id
     * @param userIds the users
     * @return this
     */
    public EmulatedRooms join(long roomId, String... userIds) {
        return join(new Ref(true, Long.toString(roomId)), userIds);
    }

    /**
     * Takes users out of a room with a string id; the room stays, empty, until dismissed.
     *
     * @param roomId the string room id
     * @param userIds the users
     * @return this
     */
    public EmulatedRooms leave(String roomId, String... userIds) {
        return leave(new Ref(false, Objects.requireNonNull(roomId, "roomId")), userIds);
    }

    /**
     * Takes users out of a room with a numeric id; the room stays, empty, until dismissed.
     *
     * @param roomId the numeric room id
     * @param userIds the users
     * @return this
     */
    public EmulatedRooms leave(long roomId, String... userIds) {
        return leave(new Ref(true, Long.toString(roomId)), userIds);
    }

    private EmulatedRooms leave(Ref ref, String... userIds) {
        synchronized (lock) {
            change(ref);
            Room room = rooms.get(ref);
            if (room != null) {
                for (String user : userIds) {
                    room.joinedAt.remove(user);
                    room.mutes.remove(user);
                }
                markIfEmpty(ref, room);
            }
        }
        return this;
    }

    /**
     * The users in a room with a string id.
     *
     * @param roomId the string room id
     * @return the user ids, sorted; empty when the room does not exist
     */
    public Set<String> users(String roomId) {
        return users(new Ref(false, roomId));
    }

    /**
     * The users in a room with a numeric id.
     *
     * @param roomId the numeric room id
     * @return the user ids, sorted; empty when the room does not exist
     */
    public Set<String> users(long roomId) {
        return users(new Ref(true, Long.toString(roomId)));
    }

    /**
     * How a user is blocked in a room with a string id.
     *
     * @param roomId the string room id
     * @param userId the user
     * @return the mute state, {@link Mute#NONE} for a user never blocked
     */
    public Mute mute(String roomId, String userId) {
        synchronized (lock) {
            Room room = rooms.get(new Ref(false, roomId));
            return room == null ? Mute.NONE : room.mutes.getOrDefault(userId, Mute.NONE);
        }
    }

    /**
     * How a user is blocked in a room with a numeric id.
     *
     * @param roomId the numeric room id
     * @param userId the user
     * @return the mute state
     */
    public Mute mute(long roomId, String userId) {
        synchronized (lock) {
            Room room = rooms.get(new Ref(true, Long.toString(roomId)));
            return room == null ? Mute.NONE : room.mutes.getOrDefault(userId, Mute.NONE);
        }
    }

    /** {@return how many rooms exist} */
    public int count() {
        synchronized (lock) {
            return rooms.size();
        }
    }

    EmulatedRooms join(Ref ref, String... userIds) {
        synchronized (lock) {
            change(ref);
            Room room = rooms.computeIfAbsent(ref, r -> new Room(clock.instant()));
            for (String user : userIds) {
                room.joinedAt.putIfAbsent(Objects.requireNonNull(user, "userId"), clock.instant());
            }
            markIfEmpty(ref, room);
        }
        return this;
    }

    private Set<String> users(Ref ref) {
        synchronized (lock) {
            Room room = rooms.get(ref);
            return room == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(room.joinedAt.keySet()));
        }
    }

    boolean exists(Ref ref) {
        return rooms.containsKey(ref);
    }

    Map<String, Instant> joinTimes(Ref ref) {
        Room room = rooms.get(ref);
        return room == null ? Map.of() : new LinkedHashMap<>(room.joinedAt);
    }

    /** Removes users; every one must be in the room. Caller holds the lock and checked existence. */
    void remove(Ref ref, List<String> userIds) {
        change(ref);
        Room room = rooms.get(ref);
        for (String user : userIds) {
            room.joinedAt.remove(user);
            room.mutes.remove(user);
        }
        markIfEmpty(ref, room);
    }

    void dismiss(Ref ref) {
        change(ref);
        rooms.remove(ref);
        emptiedAt.put(ref, clock.instant());
    }

    void block(Ref ref, String userId, Mute mute) {
        rooms.get(ref).mutes.put(userId, mute);
    }

    /** Since when a room has been continuously empty (or absent), or null while someone is in it. */
    Instant emptySince(Ref ref, Instant notBefore) {
        Room room = rooms.get(ref);
        if (room != null && !room.joinedAt.isEmpty()) {
            return null;
        }
        Instant since = emptiedAt.getOrDefault(ref, notBefore);
        return since.isBefore(notBefore) ? notBefore : since;
    }

    List<Ref> all() {
        return new ArrayList<>(rooms.keySet());
    }

    Instant createdAt(Ref ref) {
        return rooms.get(ref).createdAt;
    }

    private void change(Ref ref) {
        beforeChange.forEach(l -> l.accept(ref));
    }

    private void markIfEmpty(Ref ref, Room room) {
        if (room.joinedAt.isEmpty()) {
            emptiedAt.putIfAbsent(ref, clock.instant());
        } else {
            emptiedAt.remove(ref);
        }
    }
}
