package dev.skiff.config.elsewhere;

import java.time.Duration;

/** Records outside Skiff's package, kept to their own package, as an application may write them. */
public final class Elsewhere {

    private Elsewhere() {}

    /** {@return a settings record's class that only its package can name} */
    public static Class<? extends Record> limits() {
        return Limits.class;
    }
}

/** A settings record with a check of its own. */
record Limits(int maxItems, long maxBytes, boolean strict, Duration timeout, String name) {

    Limits {
        if (maxItems > 100) {
            throw new IllegalArgumentException("max-items must be at most 100, was " + maxItems);
        }
    }
}
