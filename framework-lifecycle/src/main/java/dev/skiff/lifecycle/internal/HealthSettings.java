package dev.skiff.lifecycle.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How health checks run, bound from the {@code health} configuration block.
 *
 * @param checkTimeout the longest one check may run before it counts as DOWN
 *     ({@code HEALTH_CHECK_TIMEOUT})
 * @param cacheTtl how long a probe's answer is reused ({@code HEALTH_CACHE_TTL}); 0 for never
 */
public record HealthSettings(Duration checkTimeout, Duration cacheTtl) {

    /** The defaults: 800 ms per check, answers reused for 1 s. */
    public static final HealthSettings DEFAULTS = new HealthSettings(Duration.ofMillis(800), Duration.ofSeconds(1));

    /** Checks that the timeout is positive and the cache time not negative. */
    public HealthSettings {
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (checkTimeout.isZero() || checkTimeout.isNegative()) {
            throw new IllegalArgumentException("check-timeout must be more than 0s, got " + checkTimeout);
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cache-ttl must be 0s or more, got " + cacheTtl);
        }
    }
}
