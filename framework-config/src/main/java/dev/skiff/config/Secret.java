package dev.skiff.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
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

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a value.
     *
     * @param value the secret text
     * @return the secret
     */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** {@return the secret text; call it only where the value is used, never to print it} */
    public String reveal() {
        return value;
    }

    /** {@return true when the secret is the empty string} */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** {@return the mask, never the value} */
    @Override
    public String toString() {
        return MASK;
    }

    /** Compares in constant time, so the comparison does not reveal how much of a guess was right. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the value would tell something about it
    }
}
