package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.config.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LOG_REDACT is a list: it splits on commas, so a pattern that holds one is written in a JSON array. */
class LogRedactSettingTest {

    @Test
    void aPatternWithACommaSplitByTheListIsReportedWithTheWayToWriteIt() {
        var report = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> Skiff.start(Map.of("PORT", "0", "LOG_REDACT", "\\d{2,4}"), app -> { }));

        assertThat(report.getMessage()).contains("redact holds an invalid regular expression, \\d{2")
                .contains("goes in a JSON array: LOG_REDACT='[\"\\\\d{2,4}\"]'");
    }

    @Test
    void anEmptyPatternWouldMaskEverythingAndIsRefused() {
        var report = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> Skiff.start(Map.of("PORT", "0", "LOG_REDACT", "secret-[0-9]+,"), app -> { }));

        assertThat(report.getMessage()).contains("redact holds an empty pattern");
    }

    @Test
    void aJsonArrayKeepsItsPatternsWhole() {
        RunningService service = Skiff.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "LOG_REDACT", "[\"\\\\d{2,4}\", \"card-[0-9]{4}\"]"), app -> { });
        // Split on its commas, \d{2 would not compile and the service would not start.
        assertThat(service.configuration().describe()).contains("\\d{2,4}");
        service.stop();
    }
}
