package dev.skiff.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration, described for the person who has to fix it.
 *
 * @param key the configuration key, such as {@code http.port}
 * @param envVar the environment variable that sets the key, such as {@code HTTP_PORT}
 * @param origin where the offending value came from ({@code env var PORT},
 *     {@code application.conf: 12}), or {@code not set} when the value is missing
 * @param message what was wrong and what was expected
 */
public record ConfigProblem(String key, String envVar, String origin, String message) {

    /** Checks that every part is present. */
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(envVar, "envVar");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
    }

    /** Renders the problem as the lines of a report: the key, what was wrong, where from, what to do. */
    @Override
    public String toString() {
        return key + ": " + message + "\n"
                + "    from: " + origin + "\n"
                + "    to fix: set " + envVar + " (or " + key + " in application.conf)";
    }
}
