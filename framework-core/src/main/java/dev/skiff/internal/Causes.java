package dev.skiff.internal;

import dev.skiff.config.ConfigurationException;

/** Where a failure comes from, however deep it was wrapped: one walk of the cause chain. */
public final class Causes {

    private Causes() {}

    /**
     * {@return the configuration problem a failure comes from — a {@code Secret} read and not set,
     * a late bind's problem — or null}
     *
     * @param failure what was thrown
     */
    public static ConfigurationException configuration(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConfigurationException configuration) {
                return configuration;
            }
        }
        return null;
    }
}
