package io.github.trtcreactive.reactor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.reactor.BackgroundStatus;
import io.github.trtcreactive.reactor.BackgroundStatus.State;
import io.github.trtcreactive.reactor.callback.TrtcCallbacks;
import io.github.trtcreactive.reactor.callback.TrtcEvent;
import io.github.trtcreactive.reactor.testing.StandardError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The routing of callbacks to the poll loops survives a listener that throws: it subscribes again, logged once. */
class CallbackRoutingSupervisionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] taskEvent(String taskId, String user, long nowMs) {
        return ("{\"EventGroupId\":1,\"EventType\":103,\"CallbackTs\":" + nowMs + ",\"EventInfo\":{\"RoomId\":\"r\","
                + "\"EventMsTs\":" + nowMs + ",\"UserId\":\"" + user + "\",\"TaskId\":\"" + taskId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void routing_whenAListenerThrows_subscribesAgain_warnsOnce_andRoutesLaterEvents() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        time.advanceTimeBy(Duration.ofDays(1));
        TrtcCallbacks callbacks = TrtcCallbacks.builder().unsigned().scheduler(time).build();
        List<BackgroundStatus> heard = new CopyOnWriteArrayList<>();
        CallbackFollowing following = new CallbackFollowing(callbacks, time, Duration.ofSeconds(30),
                Duration.ofMinutes(2), heard::add);
        List<String> routed = new CopyOnWriteArrayList<>();
        AtomicBoolean throwNext = new AtomicBoolean(true);
        assertThat(following.status().state()).isEqualTo(State.IDLE);
        String log = StandardError.during(() -> {
            following.listen("task-1", (TrtcEvent e) -> {
                if (throwNext.getAndSet(false)) {
                    throw new IllegalStateException("a listener's bug");
                }
                routed.add(e.userId());
            });
            accept(callbacks, taskEvent("task-1", "first", System.currentTimeMillis()));
            time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(following.status().state()).isEqualTo(State.RESTARTING);
            assertThat(following.status().lastError()).contains(IllegalStateException.class.getName());

            // Sent while the routing waits to start again: the receiver keeps it for its next subscriber.
            accept(callbacks, taskEvent("task-1", "second", System.currentTimeMillis()));
            time.advanceTimeBy(Duration.ofMillis(200));
            assertThat(routed).containsExactly("second");
            assertThat(following.status().state()).isEqualTo(State.UP);
            assertThat(following.status().restarts()).isEqualTo(1);
        });
        assertThat(heard).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("pollers.callback-routing"));
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("pollers.callback-routing")).count())
                .isEqualTo(1);

        callbacks.close();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(following.status().state()).as("the receiver's end is expected").isEqualTo(State.STOPPED);
        assertThat(following.status().restarts()).isEqualTo(1);
    }

    private static void accept(TrtcCallbacks callbacks, byte[] body) {
        StepVerifier.create(callbacks.accept(Map.of(), body))
                .assertNext(reply -> assertThat(reply.status()).isEqualTo(200)).expectComplete().verify(WAIT);
    }
}
