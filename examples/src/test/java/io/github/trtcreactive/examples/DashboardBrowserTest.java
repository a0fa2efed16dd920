package io.github.trtcreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through chromedriver's
 * WebDriver protocol. Runs in the {@code browser} profile, which Maven activates where
 * {@code /usr/bin/chromedriver} exists; there, a missing browser is a failure, not a skip.
 * The screenshot lands in {@code examples/target/dashboard.png}.
 */
@Tag("browser")
class DashboardBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String STATE = "const d = window.dashboard; if (!d) { return null; }"
            + " return {scale: d.scale.length, quality: d.quality.length,"
            + " histories: Object.values(d.tasks).map(t => t.history.join(' -> ')),"
            + " canvasPoints: Number(document.getElementById('scale').dataset.points),"
            + " rows: document.querySelectorAll('#tasks tr[id^=task-]').length,"
            + " roomRows: document.querySelectorAll('#rooms tr[id^=room-]').length,"
            + " roomUsers: Object.values(d.rooms).reduce((n, r) => n + r.users.length, 0),"
            + " fromCallbacks: Object.values(d.tasks).filter(t => (t.sources || []).includes('callback')).length,"
            + " feed: document.getElementById('connection').textContent};";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Output output;
    private ExampleEnvironment environment;
    private LiveDashboard dashboard;
    private LiveDashboard.CallbackEndpoint callbacks;
    private Process driver;
    private URI driverUri;
    private String session;
    private Path profile;

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Chromium (Debian package chromium)").isExecutable();
        assertThat(Path.of(CHROMEDRIVER)).as("chromedriver (Debian package chromium-driver)").isExecutable();
        output = new Output();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        callbacks = LiveDashboard.CallbackEndpoint.start(null, null, meters);
        environment = ExampleEnvironment.resolve(Map.of(), output.console, "the dashboard", true,
                emulator -> callbacks.sendFrom(emulator.streamMediaLength(Duration.ofSeconds(20))),
                client -> LiveDashboard.observed(client, meters));
        dashboard = LiveDashboard.start(environment, output.console, 0, Duration.ofSeconds(1), List.of(),
                callbacks.callbacks(), meters);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER, "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "chromedriver.log").toFile())
                .start();
        driverUri = URI.create("http://127.0.0.1:" + port);
        awaitDriver();
        profile = Files.createTempDirectory("dashboard-chromium");
        ObjectNode options = JSON.createObjectNode().put("binary", CHROMIUM);
        options.putArray("args").add("--headless").add("--no-sandbox").add("--disable-gpu").add("--disable-quic")
                .add("--no-first-run").add("--disable-background-networking").add("--disable-component-update")
                .add("--disable-sync").add("--window-size=1280,900").add("--user-data-dir=" + profile);
        ObjectNode capabilities = JSON.createObjectNode();
        capabilities.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                .set("goog:chromeOptions", options);
        session = call("POST", "/session", capabilities).path("value").path("sessionId").asText();
        assertThat(session).as("WebDriver session").isNotEmpty();
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } finally {
            if (driver != null) {
                driver.destroy();
            }
            if (dashboard != null) {
                dashboard.close();
            }
            if (callbacks != null) {
                callbacks.close();
            }
            if (environment != null) {
                environment.close();
            }
            if (output != null) {
                output.console.close();
            }
        }
    }

    @Test
    void thePage_drawsArrivingPoints_andShowsATaskChangingStatus() throws Exception {
        call("POST", "/session/" + session + "/url", JSON.createObjectNode().put("url", dashboard.uri().toString()));

        JsonNode state = null;
        int firstSeen = -1; // points drawn when the page first had some: later ones arrived live
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            state = call("POST", "/session/" + session + "/execute/sync",
                    JSON.createObjectNode().put("script", STATE).set("args", JSON.createArrayNode())).path("value");
            int points = state.path("scale").asInt();
            if (firstSeen < 0 && points > 0) {
                firstSeen = points;
            }
            // Every condition asserted below, rows included (each task's row comes with its first poll).
            if (points >= 3 && points > firstSeen && firstSeen > 0 && changed(state)
                    && state.path("quality").asInt() >= 3 && state.path("rows").asInt() >= 4
                    && state.path("roomRows").asInt() >= 3 && state.path("fromCallbacks").asInt() >= 1) {
                break;
            }
            Thread.sleep(250); // the test thread, polling the browser
        }

        byte[] png = Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null)
                .path("value").asText());
        Files.write(Path.of("target", "dashboard.png"), png);
        assertThat(state).as("page state").isNotNull();
        assertThat(state.path("scale").asInt()).as("scale points drawn; state %s", state).isGreaterThanOrEqualTo(3)
                .as("a point arrived after the first ones; state %s", state).isGreaterThan(firstSeen);
        assertThat(state.path("quality").asInt()).as("quality points; state %s", state).isGreaterThanOrEqualTo(3);
        assertThat(state.path("canvasPoints").asInt()).isEqualTo(state.path("scale").asInt());
        assertThat(changed(state)).as("a task changed status; state %s", state).isTrue();
        assertThat(state.path("rows").asInt()).as("task rows; state %s", state).isGreaterThanOrEqualTo(4);
        assertThat(state.path("feed").asText()).isEqualTo("live");
        assertThat(state.path("roomRows").asInt()).as("the scenario's three rooms, from callbacks; state %s", state)
                .isGreaterThanOrEqualTo(3);
        assertThat(state.path("roomUsers").asInt()).as("users in them; state %s", state).isGreaterThanOrEqualTo(6);
        assertThat(state.path("fromCallbacks").asInt()).as("tasks with a status from a callback; state %s", state)
                .isGreaterThanOrEqualTo(1);

        // The page's metrics, as a Prometheus scraper reads them.
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics")).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern(
                "trtc_client_call_seconds_count\\{.*outcome=\"success\".*trtc_action=\"DescribeTRTCRealTimeScaleData\".*\\} [1-9]")
                .contains("trtc_poll_polls_total{").contains("trtc_callback_events_total{")
                .contains("trtc_ratelimit_wait_seconds_count{");
        assertThat(png).hasSizeGreaterThan(10_000);
    }

    private static boolean changed(JsonNode state) {
        for (JsonNode history : state.path("histories")) {
            if (history.asText().contains(" -> ")) {
                return true;
            }
        }
        return false;
    }

    private void awaitDriver() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromedriver did not start within 20 s; see examples/target/chromedriver.log");
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(driverUri.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new AssertionError("WebDriver " + method + " " + path + " answered " + response.statusCode() + ": "
                        + reply.path("value").path("message").asText());
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
