package com.example.rooms;

import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.RoomState;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import reactor.core.publisher.Flux;

/** A user's code: the rooms of the last hour. */
public final class RoomDirectory {

    private final TrtcAsyncClient client;
    private final long sdkAppId;

    public RoomDirectory(TrtcAsyncClient client, long sdkAppId) {
        this.client = client;
        this.sdkAppId = sdkAppId;
    }

    public Flux<RoomState> lastHour(long now) {
        return client.describeRoomInfo(DescribeRoomInfoRequest.builder().sdkAppId(sdkAppId).startTime(now - 3600)
                .endTime(now).build()).flatMapIterable(r -> r.roomList() == null ? java.util.List.of() : r.roomList());
    }
}
