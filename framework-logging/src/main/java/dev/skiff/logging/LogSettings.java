package dev.skiff.logging;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Logging settings, bound from the {@code log} configuration block.
 *
 * @param level the root level: {@code trace}, {@code debug}, {@code info}, {@code warn},
 *     {@code error} or {@code off} ({@code LOG_LEVEL})
 * @param format how events are written ({@code LOG_FORMAT})
 */
public record LogSettings(String level, LogFormat format) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** Rejects an unknown level, so a typo is a configuration problem rather than a silent default. */
    public LogSettings {
        Objects.requireNonNull(format, "format");
        level = Objects.requireNonNull(level, "level").toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("expected a level (trace, debug, info, warn, error or off), got \""
                    + level + "\"");
        }
    }
}
