package io.github.trtcreactive.reactor.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.callback.CallbackEvent;
import io.github.trtcreactive.core.error.TrtcClientClosedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
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

    @Test
    void aSlowSubscriber_getsEachRoomsLatestState_notEveryChange() {
        Sinks.Many<TrtcEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        RoomView view = RoomView.of(events.asFlux());
        StepVerifier.create(view.snapshots(), 0)
                .then(() -> {
                    for (int i = 0; i < 3000; i++) {
                        events.tryEmitNext(event(1, 103, "room-" + (i % 3), "user-" + i, 1000 + i));
                    }
                })
                .thenRequest(10)
                .recordWith(ArrayList::new)
                .expectNextCount(3)
                .consumeRecordedWith(rooms -> assertThat(rooms).extracting(r -> r.users().size())
                        .as("each room once, as it is now").containsExactly(1000, 1000, 1000))
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> events.tryEmitNext(event(1, 104, "room-1", "user-1", 9000)))
                .assertNext(r -> assertThat(r.users()).hasSize(999))
                .thenCancel()
                .verify(WAIT);
        view.close();
    }

    @Test
    void usersWhoLeft_andEmptyRooms_areForgotten_onceTheEventsMovePastThem() {
        Sinks.Many<TrtcEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        RoomView view = RoomView.of(events.asFlux());
        long t = 1_000_000;
        for (int room = 0; room < 1000; room++) {
            events.tryEmitNext(event(1, 103, "r" + room, "u" + room, t + room));
            events.tryEmitNext(event(1, 104, "r" + room, "u" + room, t + room + 1));
        }
        events.tryEmitNext(event(1, 103, "busy", "stays", t));
        for (int user = 0; user < 20_000; user++) { // a crowd passing through one room within the window
            events.tryEmitNext(event(1, 103, "busy", "p" + user, t + 5000 + user));
            events.tryEmitNext(event(1, 104, "busy", "p" + user, t + 5000 + user));
        }
        assertThat(view.roomCount()).isEqualTo(1001);
        assertThat(view.rememberedUserCount()).as("departed users kept per room at most")
                .isLessThanOrEqualTo(1000 + 1 + RoomView.MAX_DEPARTED);
        // A late entry of a user who left within the window is still recognised as late.
        events.tryEmitNext(event(1, 103, "r5", "u5", t + 5));
        assertThat(view.current()).doesNotContainKey("r5");

        long later = t + RoomView.FORGET_AFTER.toMillis() + 60_000;
        for (int i = 0; i < 200; i++) { // the events move on
            events.tryEmitNext(event(1, 103, "next" + i, "n" + i, later + i));
        }
        assertThat(view.roomCount()).as("empty rooms forgotten, the busy room and the new ones kept").isEqualTo(201);
        assertThat(view.current()).containsKey("busy");
        events.tryEmitNext(event(1, 101, "busy", null, later + 1000));
        assertThat(view.rememberedUserCount()).as("the crowd forgotten, who stays and the new users kept")
                .isEqualTo(1 + 200);
        view.close();
    }

    @Test
    void subscribers_runOutsideTheViewsLock() {
        Sinks.Many<TrtcEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        RoomView view = RoomView.of(events.asFlux());
        List<Integer> seenFromAnotherThread = new CopyOnWriteArrayList<>();
        view.changes().subscribe(room -> {
            // Another thread reads the view while this subscriber runs: under the lock it would wait forever.
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> view.current().size());
            seenFromAnotherThread.add(read.orTimeout(5, TimeUnit.SECONDS).join());
        });
        events.tryEmitNext(event(1, 103, "a", "x", 1000));
        events.tryEmitNext(event(1, 103, "b", "y", 1001));
        assertThat(seenFromAnotherThread).containsExactly(1, 2);
        view.close();
    }

    @Test
    void aSnapshotsSubscriberThatMeetsAClose_isToldItIsClosed_neverCompletedAsIfItWereIn() throws Exception {
        for (int round = 0; round < 25; round++) {
            RoomView view = RoomView.of(Flux.never());
            CompletableFuture<Throwable> outcome = new CompletableFuture<>(); // the error; null when completed
            Thread subscriber = new Thread(() -> view.snapshots()
                    .subscribe(r -> { }, outcome::complete, () -> outcome.complete(null)));
            Thread closer = new Thread(view::close);
            boolean closedWhileSubscribing;
            synchronized (view) { // the view's lock: the subscriber waits at it, past any check made before it
                subscriber.start();
                awaitState(subscriber, Thread.State.BLOCKED);
                closer.start();
                closer.join(50); // a close that does not need the lock ends at once
                closedWhileSubscribing = !closer.isAlive();
            }
            closer.join(5_000);
            subscriber.join(5_000);

            Throwable error = outcome.get(5, TimeUnit.SECONDS);
            if (closedWhileSubscribing) {
                assertThat(error).as("round %d: subscribed as close() ended", round)
                        .isInstanceOf(TrtcClientClosedException.class);
            } else {
                // close() waited for the lock: the subscriber may have got in first (then it completes with
                // the changes) or come after the close (then it is told so).
                assertThat(error == null || error instanceof TrtcClientClosedException).as("round %d", round).isTrue();
            }
            StepVerifier.create(view.snapshots()).expectError(TrtcClientClosedException.class).verify(WAIT);
        }
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != state) {
            if (System.nanoTime() > give) {
                throw new AssertionError(thread + " never " + state + ", is " + thread.getState());
            }
            Thread.sleep(1);
        }
    }
}
