package dev.skiff.config.internal;

import java.util.Locale;
import java.util.Map;

/** Skiff's one rule from configuration keys to environment variable names, and its aliases. */
public final class EnvNames {

    /** Twelve-factor names that platforms set, mapped to the keys they stand for. */
    public static final Map<String, String> ALIASES = Map.of(
            "PORT", "http.port",
            "HOST", "http.host",
            "DATABASE_URL", "database.url",
            "LOG_LEVEL", "log.level",
            "LOG_FORMAT", "log.format",
            "MANAGEMENT_PORT", "management.port");

    private EnvNames() {}

    /** {@return the env name of a key: upper case, {@code .} and {@code -} become {@code _}} */
    public static String of(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** {@return the alias that sets a key, or the rule's name where the key has no alias} */
    public static String preferred(String key) {
        for (var alias : ALIASES.entrySet()) {
            if (alias.getValue().equals(key)) {
                return alias.getKey();
            }
        }
        return of(key);
    }
}
