package dev.skiff.lifecycle.internal;

/** Whether a probe or a check passes. */
public enum HealthStatus {
    /** It passes. */
    UP,
    /** It fails. */
    DOWN
}
