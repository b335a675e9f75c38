package dev.skiff;

import dev.skiff.http.internal.ManagementEndpoints;

/**
 * The paths Skiff serves itself, on the main port or on {@code MANAGEMENT_PORT} when it is set:
 * what deployment manifests point probes and scrapers at.
 */
public final class Endpoints {

    /** Startup probe: 503 while starting, then 200. */
    public static final String STARTED = ManagementEndpoints.STARTED;
    /** Liveness probe: 200 unless the process itself is broken; a failing database never fails it. */
    public static final String LIVE = ManagementEndpoints.LIVE;
    /** Readiness probe: 200 only when started, every readiness check passes and not shutting down. */
    public static final String READY = ManagementEndpoints.READY;
    /** Prometheus metrics in text format. */
    public static final String METRICS = ManagementEndpoints.METRICS;
    /** Service name, version, commit, build and start time, uptime, Java version. */
    public static final String INFO = ManagementEndpoints.INFO;

    private Endpoints() {}
}
