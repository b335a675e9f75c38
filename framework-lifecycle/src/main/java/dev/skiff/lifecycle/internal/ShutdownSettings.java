package dev.skiff.lifecycle.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a service shuts down, bound from the {@code shutdown} configuration block.
 *
 * @param drainDelay with a fixed drain, how long to keep serving after readiness goes down
 *     ({@code SHUTDOWN_DRAIN_DELAY}); with a traffic-aware drain, the least it keeps serving (the
 *     platform's floor: Kubernetes removes endpoints whatever readiness says)
 * @param timeout the budget for the whole shutdown, drain included ({@code SHUTDOWN_TIMEOUT})
 * @param trafficAware whether the drain ends when the parties routing here have noticed, rather
 *     than after a fixed delay
 */
public record ShutdownSettings(Duration drainDelay, Duration timeout, boolean trafficAware) {

    /** A fixed drain delay. */
    public ShutdownSettings(Duration drainDelay, Duration timeout) {
        this(drainDelay, timeout, false);
    }

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

    /**
     * {@return the longest the drain may take: the fixed delay; or, traffic-aware, four fifths of
     * the budget (the rest kept for the requests in flight and the components: at least a second,
     * or half of a budget under 2 s), never less than the floor}
     */
    public Duration maxDrain() {
        if (!trafficAware) {
            return drainDelay;
        }
        Duration fifth = StopSequence.share(timeout, 5);
        Duration half = StopSequence.share(timeout, 2);
        Duration least = half.compareTo(Duration.ofSeconds(1)) < 0 ? half : Duration.ofSeconds(1);
        Duration max = timeout.minus(fifth.compareTo(least) < 0 ? least : fifth);
        return max.compareTo(drainDelay) < 0 ? drainDelay : max;
    }
}
