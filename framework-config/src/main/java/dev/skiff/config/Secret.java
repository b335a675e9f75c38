package dev.skiff.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A configuration value that must never be printed: a password, a token, an API key.
 *
 * <p>{@code toString()} is masked, so the value does not leak through string concatenation, a
 * log line, a config dump or an error report. Reading it takes the explicitly named
 * {@link #reveal()}. Skiff's log output also redacts every bound secret's value wherever it
 * appears.
 *
 * {@snippet :
 * record ApiSettings(Secret token) {}
 *
 * Secret token = config.bind("api", ApiSettings.class).token();
 * request.header("Authorization", "Bearer " + token.reveal());
 * }
 */
public final class Secret {

    /** What every secret prints as. */
    public static final String MASK = dev.skiff.config.internal.UrlCredentials.MASK;

    private final String value;
    /** For a secret the configuration does not give: what to say when it is read. */
    private final ConfigProblem missing;

    private Secret(String value, ConfigProblem missing) {
        this.value = value;
        this.missing = missing;
    }

    /**
     * A secret bound without a value, for a process that may not need it: reading it throws a
     * {@link ConfigurationException} naming the setting.
     */
    static Secret missing(ConfigProblem problem) {
        return new Secret(null, Objects.requireNonNull(problem, "problem"));
    }

    /**
     * Wraps a value.
     *
     * @param value the secret text
     * @return the secret
     */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"), null);
    }

    /**
     * Returns the secret text; call it only where the value is used, never to print it.
     *
     * @return the text
     * @throws ConfigurationException when the configuration gives no value: a process that does
     *     not serve HTTP starts without the secrets its setup binds and only reading one needs it
     */
    public String reveal() {
        if (missing != null) {
            throw new ConfigurationException("A secret this process reads is not set", List.of(missing));
        }
        return value;
    }

    /**
     * Returns whether the secret is the empty string.
     *
     * @return true when empty
     * @throws ConfigurationException when the configuration gives no value, as {@link #reveal()}
     */
    public boolean isEmpty() {
        return reveal().isEmpty();
    }

    /** {@return the mask, never the value} */
    @Override
    public String toString() {
        return MASK;
    }

    /** Compares in constant time, so the comparison does not reveal how much of a guess was right. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Secret that) || missing != null || that.missing != null) {
            return this == other;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the value would tell something about it
    }
}
