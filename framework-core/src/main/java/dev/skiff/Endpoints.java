package dev.skiff;

/**
 * The paths Skiff serves itself, on the main port or on {@code MANAGEMENT_PORT} when it is set:
 * what deployment manifests point probes and scrapers at.
 */
public final class Endpoints {

    /** Startup probe: 503 while starting, then 200. */
    public static final String STARTED = "/health/started";
    /** Liveness probe: 200 unless the process itself is broken; a failing database never fails it. */
    public static final String LIVE = "/health/live";
    /** Readiness probe: 200 only when started, every readiness check passes and not shutting down. */
    public static final String READY = "/health/ready";
    /** Prometheus metrics in text format. */
    public static final String METRICS = "/metrics";
    /** Service name, version, commit, build and start time, uptime, Java version. */
    public static final String INFO = "/info";

    private Endpoints() {}
}
