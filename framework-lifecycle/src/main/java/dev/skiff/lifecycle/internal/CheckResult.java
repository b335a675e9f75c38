package dev.skiff.lifecycle.internal;

import java.util.Objects;

/**
 * The answer of one health check, as probes show it.
 *
 * @param status UP or DOWN
 * @param durationMs how long the check ran, in milliseconds
 * @param error why it is DOWN, in words safe for a public probe ({@code failed}, or that it timed
 *     out): what the check threw is logged when it goes down, never shown here; null when UP
 */
public record CheckResult(HealthStatus status, long durationMs, String error) {

    /** Checks that a DOWN result says why. */
    public CheckResult {
        Objects.requireNonNull(status, "status");
        if (status == HealthStatus.DOWN && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a DOWN check says why");
        }
    }
}
