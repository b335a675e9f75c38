package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.HealthState;
import java.util.Map;

/**
 * A probe's answer: overall status, the lifecycle state, and every check's result. Serialized as
 * the probe's JSON body, such as {@code {"status":"UP","state":"READY","checks":{}}}.
 *
 * @param status UP only when the probe passes
 * @param state where the service is in its life
 * @param checks each check's result by name
 */
public record HealthReport(HealthStatus status, HealthState state, Map<String, CheckResult> checks) {

    /** Copies the checks. */
    public HealthReport {
        checks = Map.copyOf(checks);
    }

    /** {@return true when the probe passes} */
    public boolean up() {
        return status == HealthStatus.UP;
    }
}
