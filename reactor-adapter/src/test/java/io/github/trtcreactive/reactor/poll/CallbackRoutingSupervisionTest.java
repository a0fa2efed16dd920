package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcEvent;
import io.github.trtcreactive.reactor.testing.Races;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The routing of callbacks to the poll loops: a listener that throws costs no one else an event; listeners come and go safely. */
class CallbackRoutingSupervisionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] taskEvent(String taskId, String user, long nowMs) {
        return ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + nowMs + ",\"EventInfo\":{\"RoomId\":\"r\","
                + "\"EventMsTs\":" + nowMs + ",\"UserId\":\"" + user + "\",\"TaskId\":\"" + taskId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void routing_whenAListenerThrows_goesOn_andTheTasksOtherListenersStillGetEveryEvent() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeBy(Duration.ofDays(1));
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().scheduler(time).build();
        List<BackgroundStatus> heard = new CopyOnWriteArrayList<>();
        CallbackFollowing following = new CallbackFollowing(callbacks, time, Duration.ofSeconds(30),
                Duration.ofMinutes(2), heard::add);
        List<String> routed = new CopyOnWriteArrayList<>();
        List<String> routedToTheOther = new CopyOnWriteArrayList<>();
        AtomicBoolean throwNext = new AtomicBoolean(true);
        assertThat(following.status().state()).isEqualTo(State.IDLE);
        String log = StandardError.during(() -> {
            following.listen("task-1", (TrtcEvent e) -> {
                if (throwNext.getAndSet(false)) {
                    throw new IllegalStateException("a listener's bug");
                }
                routed.add(e.userId());
            });
            following.listen("task-1", (TrtcEvent e) -> routedToTheOther.add(e.userId()));
            accept(callbacks, taskEvent("task-1", "first", System.currentTimeMillis()));
            time.advanceTimeBy(Duration.ofMillis(1));
            accept(callbacks, taskEvent("task-1", "second", System.currentTimeMillis()));
            time.advanceTimeBy(Duration.ofMillis(1));
        });

        assertThat(routedToTheOther).containsExactly("first", "second");
        assertThat(routed).as("the thrower gets the next event").containsExactly("second");
        assertThat(following.status().state()).isEqualTo(State.UP);
        assertThat(following.status().restarts()).isZero();
        assertThat(heard).isEmpty();
        assertThat(log).doesNotContain("WARN");

        callbacks.close();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(following.status().state()).as("the receiver's end is expected").isEqualTo(State.STOPPED);
        assertThat(following.status().restarts()).isZero();
    }

    @Test
    void listen_racingTheLastListenerOfTheTaskLeaving_isNeverLost() {
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().build();
        CallbackFollowing following = new CallbackFollowing(callbacks, Schedulers.parallel(), Duration.ofSeconds(30),
                Duration.ofMinutes(2), s -> { });
        try {
            for (int i = 0; i < 4_000; i++) {
                String task = "task-" + i;
                Disposable leaving = following.listen(task, e -> { });
                List<TrtcEvent> got = new CopyOnWriteArrayList<>();
                Consumer<TrtcEvent> joining = got::add;
                Disposable[] joined = new Disposable[1];
                Races.race(leaving::dispose, () -> joined[0] = following.listen(task, joining));
                assertThat(following.listenerCount(task)).as("round %d", i).isEqualTo(1);
                joined[0].dispose();
            }
        } finally {
            callbacks.close();
        }
    }

    private static void accept(TrtcCallbacks callbacks, byte[] body) {
        StepVerifier.create(callbacks.accept(Map.of(), body))
                .assertNext(reply -> assertThat(reply.status()).isEqualTo(200)).expectComplete().verify(WAIT);
    }
}
