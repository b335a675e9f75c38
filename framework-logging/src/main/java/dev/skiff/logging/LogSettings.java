package dev.skiff.logging;

import java.util.Objects;

/**
 * Logging settings, bound from the {@code log} configuration block.
 *
 * @param level the root level ({@code LOG_LEVEL}); an unknown level is a configuration problem
 *     rather than a silent default
 * @param format how events are written ({@code LOG_FORMAT})
 */
public record LogSettings(LogLevel level, LogFormat format) {

    /** Checks that both parts are present. */
    public LogSettings {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
    }
}
