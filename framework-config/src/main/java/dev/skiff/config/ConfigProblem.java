package dev.skiff.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration, described for the person who has to fix it.
 *
 * @param key the configuration key, such as {@code http.port}; empty for a problem with a file
 *     itself, such as a line of {@code .env} that cannot be read
 * @param envVar the environment variables that set the key, such as {@code HTTP_PORT}; empty
 *     where no variable does
 * @param origin where the offending value came from ({@code env var PORT},
 *     {@code application.conf: 12}), or {@code not set} when the value is missing
 * @param message what was wrong and what was expected
 */
public record ConfigProblem(String key, String envVar, String origin, String message) {

    /** How the problem of a key no setting reads begins: its fix is to remove or rename it, not to set it. */
    static final String UNREAD = "no setting reads this key";

    /** Checks that every part is present. */
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(envVar, "envVar");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
    }

    /** {@return the problem as the lines of a report: the key, what was wrong, where from, what to do} */
    @Override
    public String toString() {
        if (key.isEmpty()) {
            return origin + ": " + message;
        }
        String fix = message.startsWith(UNREAD) ? "remove " + key + " from " + origin + ", or correct its name"
                : envVar.isEmpty() ? "change " + key + " in application.conf"
                // A secret belongs in the environment or a mounted file, never in a file of the build.
                : SecretKeys.looksSecret(key) && envVar.matches("[A-Z0-9_]+")
                ? "set " + envVar + ", or " + envVar + SecretFiles.SUFFIX + " naming a file that holds it"
                : "set " + envVar + " (or " + key + " in application.conf)";
        return key + ": " + message + "\n"
                + "    from: " + origin + "\n"
                + "    to fix: " + fix;
    }
}
