package dev.skiff.logging.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Logging settings, bound from the {@code log} configuration block.
 *
 * @param level the root level ({@code LOG_LEVEL}); an unknown level is a configuration problem
 *     rather than a silent default
 * @param format how events are written ({@code LOG_FORMAT})
 * @param levels levels of single loggers by name ({@code LOG_LEVELS="com.example=debug"})
 * @param redact regular expressions whose matches are masked in every line ({@code LOG_REDACT})
 * @param maxFieldLength the longest a single field may be, in characters
 *     ({@code LOG_MAX_FIELD_LENGTH})
 * @param gcpProject the Google Cloud project whose traces {@link LogFormat#GCP} lines link to
 *     ({@code GOOGLE_CLOUD_PROJECT}); without it the trace field holds the bare trace id
 */
public record LogSettings(LogLevel level, LogFormat format, Map<String, LogLevel> levels, List<String> redact,
                          int maxFieldLength, Optional<String> gcpProject) {

    /** Checks every part, and that every redaction pattern compiles. */
    public LogSettings {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(gcpProject, "gcpProject");
        levels = Map.copyOf(levels);
        redact = List.copyOf(redact);
        for (String pattern : redact) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("redact holds an empty pattern, which would mask every line whole;"
                        + " remove the empty item (a doubled or trailing comma in LOG_REDACT)");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("redact holds an invalid regular expression, " + pattern + ": "
                        + e.getDescription() + " near index " + e.getIndex() + (pattern.isEmpty() || pattern.contains("{")
                        || pattern.contains("}") ? "; LOG_REDACT splits on commas, so a pattern with a comma, such as"
                        + " \\d{2,4}, goes in a JSON array: LOG_REDACT='[\"\\\\d{2,4}\"]'" : ""), e);
            }
        }
        if (maxFieldLength < 256) {
            throw new IllegalArgumentException("max-field-length must be at least 256 characters, got " + maxFieldLength);
        }
    }
}
