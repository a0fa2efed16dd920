package io.github.trtcreactive.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The call-quality listings, paged from the emulated rooms: DescribeRoomInfo lists rooms created in
 * the window, newest first; DescribeUserInfo and DescribeCallDetailInfo list the users of one room
 * (its CommId is {@code <SdkAppId>_<RoomId>_<CreateTime>}). PageNumber counts from 0; {@code Total}
 * follows the builder's {@link PagedTotal} reading (by default the records returned, as documented).
 */
final class HistoryActions {

    private static final long FOURTEEN_DAYS = 14L * 86400;

    private final EmulatorState state;
    private final PagedTotal totalReading;

    private HistoryActions(EmulatorState state, PagedTotal totalReading) {
        this.state = state;
        this.totalReading = totalReading;
    }

    static void register(EmulatorState state, PagedTotal totalReading, Map<String, EmulatorState.Handler> handlers) {
        HistoryActions a = new HistoryActions(state, totalReading);
        handlers.put("DescribeRoomInfo", a::rooms);
        handlers.put("DescribeUserInfo", b -> a.users(b, false));
        handlers.put("DescribeCallDetailInfo", b -> a.users(b, true));
    }

    private ObjectNode rooms(ObjectNode body) {
        state.checkSdkAppId(body, "SdkAppId");
        long[] window = window(body, 86400);
        String only = body.path("RoomId").asText("");
        List<EmulatedRooms.Ref> matching = new ArrayList<>();
        for (EmulatedRooms.Ref ref : state.rooms.all()) {
            long created = state.rooms.createdAt(ref).getEpochSecond();
            if (created >= window[0] && created <= window[1] && (only.isEmpty() || only.equals(ref.id()))) {
                matching.add(ref);
            }
        }
        matching.sort(Comparator.comparing((EmulatedRooms.Ref r) -> state.rooms.createdAt(r)).reversed()
                .thenComparing(EmulatedRooms.Ref::id));
        ObjectNode reply = state.reply();
        List<EmulatedRooms.Ref> page = page(body, matching, 10);
        total(reply, page.size(), matching.size());
        ArrayNode list = reply.putArray("RoomList");
        for (EmulatedRooms.Ref ref : page) {
            Instant created = state.rooms.createdAt(ref);
            String creator = state.rooms.joinTimes(ref).keySet().stream().findFirst().orElse("");
            list.addObject().put("CommId", commId(ref)).put("RoomString", ref.id())
                    .put("CreateTime", created.getEpochSecond()).put("DestroyTime", 0).put("IsFinished", false)
                    .put("UserId", creator);
        }
        return reply;
    }

    private ObjectNode users(ObjectNode body, boolean details) {
        state.checkSdkAppId(body, "SdkAppId");
        window(body, details && body.has("DataType") ? 3600 : 4 * 3600);
        String commId = body.get("CommId").asText();
        EmulatedRooms.Ref room = null;
        for (EmulatedRooms.Ref ref : state.rooms.all()) {
            if (commId(ref).equals(commId)) {
                room = ref;
            }
        }
        Set<String> only = new HashSet<>();
        body.path("UserIds").forEach(u -> only.add(u.asText()));
        int asked = body.path("UserIds").size();
        if (details && asked > 6) {
            throw new ApiException("InvalidParameter.UserIdsMorethanSix", "At most six UserIds can be queried at once.");
        }
        if (!details && body.has("UserIds") && !body.get("UserIds").isNull() && (asked < 1 || asked > 100)) {
            throw ApiException.invalid("UserIds", "it must list 1 to 100 users");
        }
        List<Map.Entry<String, Instant>> users = new ArrayList<>();
        if (room != null) {
            state.rooms.joinTimes(room).entrySet().stream()
                    .filter(e -> only.isEmpty() || only.contains(e.getKey()))
                    .forEach(users::add);
        }
        int maxPage = details && body.has("DataType") ? 6 : 100;
        ObjectNode reply = state.reply();
        List<Map.Entry<String, Instant>> page = page(body, users, 6, maxPage);
        total(reply, page.size(), users.size());
        ArrayNode list = reply.putArray("UserList");
        long now = state.now().getEpochSecond();
        for (Map.Entry<String, Instant> user : page) {
            list.addObject().put("RoomStr", room.id()).put("UserId", user.getKey())
                    .put("JoinTs", user.getValue().getEpochSecond()).put("LeaveTs", now).put("DeviceType", "Emulated")
                    .put("SdkVersion", "emulator").put("ClientIp", "127.0.0.1").put("Finished", false);
        }
        if (details) {
            reply.putArray("Data");
        }
        return reply;
    }

    private void total(ObjectNode reply, int returned, int matching) {
        switch (totalReading) {
            case RECORDS_RETURNED -> reply.put("Total", returned);
            case ALL_MATCHING -> reply.put("Total", matching);
            case OMITTED -> { }
        }
    }

    private String commId(EmulatedRooms.Ref ref) {
        return state.sdkAppId + "_" + ref.id() + "_" + state.rooms.createdAt(ref).getEpochSecond();
    }

    /** The query window: within the last 14 days and at most {@code maxSpan} seconds long. */
    private long[] window(ObjectNode body, long maxSpan) {
        long start = body.get("StartTime").asLong();
        long end = body.get("EndTime").asLong();
        long now = state.now().getEpochSecond();
        if (end <= start) {
            throw new ApiException("InvalidParameter.EndTs", "EndTime must be later than StartTime.");
        }
        if (start < now - FOURTEEN_DAYS || end - start > maxSpan) {
            throw new ApiException("InvalidParameter.StartTimeOversize", "Only the last 14 days can be queried, "
                    + maxSpan / 3600 + " hour(s) at a time.");
        }
        return new long[] {start, end};
    }

    private static <T> List<T> page(ObjectNode body, List<T> all, int defaultSize) {
        return page(body, all, defaultSize, 100);
    }

    private static <T> List<T> page(ObjectNode body, List<T> all, int defaultSize, int maxSize) {
        JsonNode number = body.get("PageNumber");
        JsonNode size = body.get("PageSize");
        long pageSize = size == null || size.isNull() ? defaultSize : size.asLong();
        if (pageSize < 1 || pageSize > maxSize) {
            throw new ApiException("InvalidParameter.PageSizeOversize", "PageSize must be between 1 and " + maxSize
                    + ", was " + pageSize + ".");
        }
        long pageNumber = number == null || number.isNull() ? 0 : number.asLong();
        if (pageNumber < 0) {
            throw new ApiException("InvalidParameter.PageNumber", "PageNumber counts from 0.");
        }
        // Past the last record is an empty page, however large the number (no overflow into a negative offset).
        if (pageNumber >= (all.size() + pageSize - 1) / pageSize) {
            return List.of();
        }
        long from = pageNumber * pageSize;
        return all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
    }
}
