package dev.skiff.lifecycle;

/**
 * One check of a service's health: returning is UP, throwing is DOWN with the exception's message.
 *
 * <p>A lambda is enough: {@code app.readinessCheck("database", () -> pool.ping())}. Checks
 * run concurrently, each bounded by {@code health.check-timeout}, and their answers are reused for
 * {@code health.cache-ttl}.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Checks; returns when healthy.
     *
     * @throws Exception when not healthy; its message is logged (a warning when the check goes
     *     down), while the probe's answer says only {@code failed}: a client sees no detail
     */
    void check() throws Exception;
}
