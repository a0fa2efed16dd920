package io.github.trtcreactive.examples.spring;

import io.github.trtcreactive.core.model.CloudVod;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DeleteCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.DescribeRoomInfoResponse;
import io.github.trtcreactive.core.model.RecordParams;
import io.github.trtcreactive.core.model.StorageParams;
import io.github.trtcreactive.core.model.TencentVod;
import io.github.trtcreactive.core.usersig.UserSigs;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.TrtcCallOptions;
import io.github.trtcreactive.reactor.poll.PollOptions;
import io.github.trtcreactive.reactor.poll.TaskKind;
import io.github.trtcreactive.reactor.poll.TaskPollers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The application's endpoints, each a thin layer over a starter bean. Calls made while a request
 * waits carry a short deadline (the call's Reactor Context), so a slow service or a long rate-limit
 * queue answers the HTTP client quickly instead of holding it.
 */
@RestController
class RoomsController {

    private static final TrtcCallOptions INTERACTIVE = TrtcCallOptions.none().withDeadline(Duration.ofSeconds(5));

    private final TrtcAsyncClient client;
    private final TaskPollers pollers;
    private final UserSigs userSigs;
    private final long sdkAppId;

    RoomsController(TrtcAsyncClient client, TaskPollers pollers, UserSigs userSigs,
            @Value("${rooms.sdk-app-id}") long sdkAppId) {
        this.client = client;
        this.pollers = pollers;
        this.userSigs = userSigs;
        this.sdkAppId = sdkAppId;
    }

    /** The rooms of the last minutes, as the service answers them (JSON). */
    @GetMapping("/api/rooms")
    Mono<DescribeRoomInfoResponse> rooms(@RequestParam(name = "minutes", defaultValue = "60") long minutes) {
        long now = Instant.now().getEpochSecond();
        return client.describeRoomInfo(DescribeRoomInfoRequest.builder().sdkAppId(sdkAppId)
                        .startTime(now - Math.min(minutes, 24 * 60) * 60).endTime(now).build())
                .contextWrite(INTERACTIVE.asContext());
    }

    /** Starts recording a room (numeric id); answers the task id. */
    @PostMapping("/api/recordings")
    Mono<Map<String, String>> startRecording(@RequestParam("roomId") String roomId) {
        String robot = "recorder-" + roomId;
        return client.createCloudRecording(CreateCloudRecordingRequest.builder().sdkAppId(sdkAppId).roomId(roomId)
                        .roomIdType(CreateCloudRecordingRequest.RoomIdType.INTEGER).userId(robot)
                        .userSig(userSigs.generate(robot, Duration.ofHours(2)))
                        .recordParams(RecordParams.builder().recordMode(RecordParams.RecordMode.MIXED).maxIdleTime(30).build())
                        .storageParams(StorageParams.builder().cloudVod(CloudVod.builder()
                                .tencentVod(TencentVod.builder().build()).build()).build())
                        .build())
                .contextWrite(INTERACTIVE.asContext())
                .map(r -> Map.of("taskId", r.taskId()));
    }

    /** Stops a recording. */
    @DeleteMapping("/api/recordings/{taskId}")
    Mono<Map<String, String>> stopRecording(@PathVariable("taskId") String taskId) {
        return client.deleteCloudRecording(DeleteCloudRecordingRequest.builder().sdkAppId(sdkAppId).taskId(taskId)
                        .build())
                .contextWrite(INTERACTIVE.asContext())
                .map(r -> Map.of("taskId", r.taskId(), "requestId", r.requestId()));
    }

    /** A recording's status as server-sent events, one per change, until it ends. */
    @GetMapping(path = "/api/recordings/{taskId}/status", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Map<String, String>>> recordingStatus(@PathVariable("taskId") String taskId) {
        PollOptions options = PollOptions.DEFAULTS.withInterval(Duration.ofMillis(500)).withTimeout(Duration.ofHours(1));
        return pollers.poll(TaskKind.CLOUD_RECORDING, sdkAppId, taskId, options)
                .map(update -> ServerSentEvent.builder(Map.of("taskId", update.taskId(), "status", update.status().value(),
                                "phase", update.status().phase().name()))
                        .event(update.status().isTerminal() ? "end" : "status").build());
    }
}
