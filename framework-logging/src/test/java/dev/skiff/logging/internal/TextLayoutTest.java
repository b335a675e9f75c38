package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class TextLayoutTest {

    private final LoggerContext context = newContext();

    private static LoggerContext newContext() {
        var context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }
    private final Redactor redactor = new Redactor(() -> Set.of("hunter22"), List.of(), 4096);

    private String layout(LoggingEvent event, boolean colour) {
        var layout = new TextLayout(redactor, colour, java.time.ZoneOffset.UTC);
        layout.setContext(context);
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void writesOneAlignedLineWithContextKeyValuesAndTheErrorChain() {
        var event = new LoggingEvent("t", context.getLogger("dev.skiff.lifecycle.Lifecycle"), Level.INFO,
                "started {}\nnext line", new IllegalStateException("outer", new java.io.IOException("inner")),
                new Object[] {"http"});
        event.setThreadName("main");
        event.setMDCPropertyMap(Map.of("request_id", "r-1"));
        event.setKeyValuePairs(List.of(new KeyValuePair("password", "hunter22")));

        String line = layout(event, false);

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n")
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] dev.skiff.lifecycle.Lifecycle - started http\\\\nnext line"
                        + " request_id=r-1 password=\\*{6} \\| error: java.lang.IllegalStateException: outer \\(at .*\\)"
                        + " \\| caused by: java.io.IOException: inner \\(at .*\\)");
    }

    @Test
    void coloursTheLevelOnlyWhenAskedTo() {
        var event = new LoggingEvent("t", context.getLogger("x"), Level.WARN, "careful", null, null);

        assertThat(layout(event, true)).contains("\u001b[33mWARN \u001b[0m");
        assertThat(layout(event, false)).doesNotContain("\u001b[");
    }

    @Test
    void theDocumentedExampleIsWhatTheLayoutWrites() throws Exception {
        var event = new LoggingEvent("t", context.getLogger("com.example.notes.NotesApi"), Level.INFO,
                "created note {}", null, new Object[] {42});
        event.setThreadName("skiff-request");
        event.setTimeStamp(1_764_172_800_123L);
        event.setMDCPropertyMap(Map.of("request_id", "3f1c7a52"));
        event.setKeyValuePairs(List.of(new KeyValuePair("note.id", 42)));

        String documented;
        try (var in = getClass().getResourceAsStream("/examples/event.txt")) {
            documented = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(layout(event, false)).isEqualTo(documented.replace("\n", System.lineSeparator()));
    }
}
