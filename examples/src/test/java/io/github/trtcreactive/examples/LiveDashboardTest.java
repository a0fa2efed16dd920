package io.github.trtcreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** The dashboard's server and its event stream, over real sockets, with the emulator's scenario. */
class LiveDashboardTest {

    private static final Pattern TASK = Pattern.compile("event: task\\ndata: \\{\"id\":\"([^\"]+)\",\"kind\":\"[^\"]+\","
            + "\"status\":\"([^\"]+)\"");

    private Output output;
    private ExampleEnvironment environment;
    private LiveDashboard dashboard;

    @BeforeEach
    void start() {
        output = new Output();
        environment = ExampleEnvironment.resolve(Map.of(), output.console, "the dashboard", true,
                emulator -> emulator.streamMediaLength(Duration.ofSeconds(20)), client -> client);
        dashboard = LiveDashboard.start(environment, output.console, 0, Duration.ofSeconds(1), List.of());
    }

    @AfterEach
    void stop() {
        dashboard.close();
        environment.close();
        output.console.close();
    }

    /** Whether some task was reported with two different statuses. */
    static boolean aTaskChangedStatus(String events) {
        Map<String, String> first = new java.util.HashMap<>();
        Matcher m = TASK.matcher(events);
        while (m.find()) {
            String earlier = first.putIfAbsent(m.group(1), m.group(2));
            if (earlier != null && !earlier.equals(m.group(2))) {
                return true;
            }
        }
        return false;
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void events_carryMetricPointsAndLiveTaskStatus() {
        HttpClient http = HttpClient.create().baseUrl(dashboard.uri().toString());

        StepVerifier.create(http.get().uri("/events")
                        .response((response, body) -> {
                            assertThat(response.responseHeaders().get("Content-Type")).startsWith("text/event-stream");
                            return body.asString();
                        })
                        .scan("", String::concat)
                        .filter(text -> count(text, "event: scale") >= 3 && count(text, "event: quality") >= 3
                                && aTaskChangedStatus(text))
                        .next())
                .assertNext(text -> assertThat(text).contains("\"values\":{\"userCount\":"))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void thePage_andItsScript_loadNothingFromElsewhere() {
        HttpClient http = HttpClient.create().baseUrl(dashboard.uri().toString());

        StepVerifier.create(http.get().uri("/").responseContent().aggregate().asString()
                        .zipWith(http.get().uri("/dashboard.js").responseContent().aggregate().asString()))
                .assertNext(pageAndScript -> {
                    assertThat(pageAndScript.getT1()).contains("<script src=\"/dashboard.js\"></script>");
                    assertThat(pageAndScript.getT1() + pageAndScript.getT2()).doesNotContain("http:", "https:", "//cdn");
                    assertThat(pageAndScript.getT2()).contains("new EventSource('/events')");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(output.text()).contains("Dashboard at " + dashboard.uri());
    }

    @Test
    void taskOption_isCheckedAndNamesTheKinds() {
        assertThat(LiveDashboard.parseTask("cloud-recording:abc")).isEqualTo(new LiveDashboard.Tracked(
                "cloud-recording", "abc"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LiveDashboard.parseTask("recording:abc"))
                .isInstanceOf(ExampleConfigException.class)
                .hasMessageContaining("--task must be KIND:TASKID with KIND one of [ai-conversation");
    }

    @Test
    void track_fromManyThreadsAtOnce_keepsEveryTask() throws Exception {
        int threads = 8;
        int each = 250;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> starters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread starter = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    dashboard.track(new LiveDashboard.Tracked("web-record", "t" + thread + "-" + i));
                }
            });
            starter.start();
            starters.add(starter);
        }
        go.countDown();
        for (Thread starter : starters) {
            starter.join(30_000);
        }
        StepVerifier.create(dashboard.trackedTasks().filter(t -> t.taskId().startsWith("t")).take(threads * each)
                        .map(LiveDashboard.Tracked::taskId).distinct().count())
                .expectNext((long) threads * each)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }
}
