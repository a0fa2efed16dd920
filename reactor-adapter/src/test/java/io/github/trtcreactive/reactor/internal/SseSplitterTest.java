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
            SseSplitter splitter = new SseSplitter();
            List<String> events = new ArrayList<>(splitter.feed(java.util.Arrays.copyOfRange(stream, 0, cut)));
            events.addAll(splitter.feed(java.util.Arrays.copyOfRange(stream, cut, stream.length)));

            assertThat(events).as("cut at byte %d", cut)
                    .containsExactly("{\"a\":1}", "{\"b\":\"é€\"}", "line1\nline2");
        }
    }

    @Test
    void anUnfinishedEvent_waitsForItsBlankLine() {
        SseSplitter splitter = new SseSplitter();

        assertThat(splitter.feed(utf8("data: {\"partial\""))).isEmpty();
        assertThat(splitter.feed(utf8(":true}\n"))).isEmpty();
        assertThat(splitter.feed(utf8("\n"))).containsExactly("{\"partial\":true}");
    }
}
