package dev.skiff.lifecycle.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a service shuts down, bound from the {@code shutdown} configuration block.
 *
 * @param drainDelay how long to keep serving after readiness goes down, so load balancers stop
 *     routing here first ({@code SHUTDOWN_DRAIN_DELAY})
 * @param timeout the budget for the whole shutdown, drain delay included ({@code SHUTDOWN_TIMEOUT})
 */
public record ShutdownSettings(Duration drainDelay, Duration timeout) {

    /** Checks that the drain delay fits inside the budget. */
    public ShutdownSettings {
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(timeout, "timeout");
        if (drainDelay.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("drain-delay must be 0s or more and timeout more than 0s");
        }
        if (drainDelay.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("drain-delay (" + drainDelay.toMillis()
                    + " ms) must be shorter than timeout (" + timeout.toMillis()
                    + " ms), which bounds the whole shutdown");
        }
    }
}
