package io.github.trtcreactive.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseSplitterTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsCutAnywhere_comeOutWhole() {
        byte[] stream = utf8("data: {\"a\":1}\n\ndata: {\"b\":\"é€\"}\n\n: a comment\n\ndata: line1\ndata: line2\r\n\r\n");
        for (int cut = 1; cut < stream.length; cut++) {
            SseSplitter splitter = new SseSplitter(1 << 20);
            List<String> events = new ArrayList<>(splitter.feed(java.util.Arrays.copyOfRange(stream, 0, cut)));
            events.addAll(splitter.feed(java.util.Arrays.copyOfRange(stream, cut, stream.length)));

            assertThat(events).as("cut at byte %d", cut)
                    .containsExactly("{\"a\":1}", "{\"b\":\"é€\"}", "line1\nline2");
        }
    }

    @Test
    void anUnfinishedEvent_waitsForItsBlankLine() {
        SseSplitter splitter = new SseSplitter(1 << 20);

        assertThat(splitter.feed(utf8("data: {\"partial\""))).isEmpty();
        assertThat(splitter.feed(utf8(":true}\n"))).isEmpty();
        assertThat(splitter.feed(utf8("\n"))).containsExactly("{\"partial\":true}");
    }

    @Test
    void aLargeEventInSmallChunks_comesOutWhole() {
        String payload = "x".repeat(4 * 1024 * 1024);
        byte[] stream = utf8("data: " + payload + "\n\n");
        SseSplitter splitter = new SseSplitter(8 * 1024 * 1024);
        List<String> events = new ArrayList<>();
        for (int from = 0; from < stream.length; from += 1024) {
            events.addAll(splitter.feed(java.util.Arrays.copyOfRange(stream, from, Math.min(stream.length, from + 1024))));
        }

        assertThat(events).singleElement().satisfies(e -> assertThat(e).isEqualTo(payload));
        assertThat(splitter.work()).as("bytes copied or scanned for %d received: linear, not quadratic", stream.length)
                .isLessThan(6L * stream.length);
    }

    @Test
    void anEventOverTheCap_failsClearly_evenWithoutItsEnd() {
        SseSplitter splitter = new SseSplitter(1000);

        assertThat(splitter.feed(utf8("data: small\n\n"))).containsExactly("small");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                splitter.feed(utf8("data: " + "y".repeat(100)));
            }
        }).isInstanceOf(SseSplitter.EventTooLargeException.class).hasMessageContaining("exceeds 1000 bytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SseSplitter(100)
                        .feed(utf8("data: " + "z".repeat(200) + "\n\n")))
                .as("a whole event in one chunk").isInstanceOf(SseSplitter.EventTooLargeException.class);
    }
}
