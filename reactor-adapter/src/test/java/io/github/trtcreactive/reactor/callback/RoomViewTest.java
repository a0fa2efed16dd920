package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The room view from room and media events, in and out of order. */
class RoomViewTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TrtcEvent event(int group, int type, Object room, String user, long ms) {
        String roomJson = room instanceof String s ? "\"" + s + "\"" : room.toString();
        String body = "{\"EventGroupId\":" + group + ",\"EventType\":" + type + ",\"CallbackTs\":" + ms
                + ",\"EventInfo\":{\"RoomId\":" + roomJson + ",\"EventMsTs\":" + ms
                + (user == null ? "" : ",\"UserId\":\"" + user + "\"") + "}}";
        return new TrtcEvent(CallbackEvent.parse(body.getBytes(StandardCharsets.UTF_8), 1, Instant.EPOCH));
    }

    @Test
    void whoIsInARoomAndWhatTheySend_followTheEvents_andALateEventIsIgnored() {
        Sinks.Many<TrtcEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        RoomView view = RoomView.of(events.asFlux());

        StepVerifier.create(view.snapshots())
                .then(() -> {
                    events.tryEmitNext(event(1, 101, 42, "alice", 1000));
                    events.tryEmitNext(event(1, 103, 42, "alice", 1000));
                    events.tryEmitNext(event(2, 201, 42, "alice", 1001));
                    events.tryEmitNext(event(2, 203, 42, "alice", 1002));
                    events.tryEmitNext(event(1, 103, "42", "bob", 1003)); // the same room, sent as a string
                })
                .expectNextCount(4)
                .assertNext(r -> {
                    assertThat(r.roomId()).isEqualTo("42");
                    assertThat(r.users()).containsExactly("alice", "bob");
                    assertThat(r.sendingVideo()).containsExactly("alice");
                    assertThat(r.sendingAudio()).containsExactly("alice");
                    assertThat(r.updatedAt()).isEqualTo(Instant.ofEpochMilli(1003));
                })
                .then(() -> {
                    events.tryEmitNext(event(1, 104, 42, "alice", 2000)); // leaving ends her streams too
                    events.tryEmitNext(event(2, 201, 42, "alice", 1500)); // late: older than her exit
                    events.tryEmitNext(event(3, 301, 42, "robot", 2100)); // not a room or media event
                })
                .assertNext(r -> {
                    assertThat(r.users()).containsExactly("bob");
                    assertThat(r.sendingVideo()).isEmpty();
                    assertThat(r.sendingAudio()).isEmpty();
                })
                .then(() -> assertThat(view.current()).containsOnlyKeys("42"))
                .then(() -> events.tryEmitNext(event(1, 102, 42, null, 3000)))
                .assertNext(r -> assertThat(r.isEmpty()).isTrue())
                .then(() -> assertThat(view.current()).isEmpty())
                .then(() -> events.tryEmitNext(event(1, 103, 7, "zoe", 4000)))
                .expectNextCount(1)
                .thenCancel()
                .verify(WAIT);

        // A page that opens later first gets every room as it is now.
        StepVerifier.create(view.snapshots())
                .assertNext(r -> assertThat(r.users()).containsExactly("zoe"))
                .then(view::close)
                .expectComplete()
                .verify(WAIT);
    }
}
