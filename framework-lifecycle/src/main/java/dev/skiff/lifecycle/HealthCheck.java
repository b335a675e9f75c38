package dev.skiff.lifecycle;

/**
 * One check of a service's health: returning is UP, throwing is DOWN with the exception's message.
 *
 * <p>A lambda is enough: {@code lifecycle.readinessCheck("database", () -> pool.ping())}. Checks
 * run concurrently, each bounded by {@code health.check-timeout}, and their answers are reused for
 * {@code health.cache-ttl}.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Checks; returns when healthy.
     *
     * @throws Exception when not healthy; its message is shown in the probe's answer
     */
    void check() throws Exception;
}
