package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.internal.HttpServer;
import dev.skiff.internal.Metrics;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.ShutdownResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;

/**
 * A service started in this JVM by {@link Skiff#start}, for tests: where it listens, and how to
 * stop it through the same shutdown sequence SIGTERM runs.
 */
public final class RunningService implements AutoCloseable {

    private final Lifecycle lifecycle;
    private final HttpServer server;
    private final Metrics metrics;
    private final Configuration configuration;

    RunningService(Lifecycle lifecycle, HttpServer server, Metrics metrics, Configuration configuration) {
        this.lifecycle = lifecycle;
        this.server = server;
        this.metrics = metrics;
        this.configuration = configuration;
    }

    /** {@return the base URI of the application's routes, such as {@code http://127.0.0.1:41234}} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** {@return the base URI of the health endpoints, /metrics and /info: the main one unless MANAGEMENT_PORT is set} */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + server.managementPort());
    }

    /** {@return the service's state: READY once started, DRAINING and STOPPED during and after a stop} */
    public HealthState state() {
        return lifecycle.state();
    }

    /** {@return the metrics registry behind /metrics, the JVM's and the process's meters bound} */
    public MeterRegistry metrics() {
        return metrics.registryWithJvmMeters();
    }

    /** {@return the configuration the service was started with} */
    public Configuration configuration() {
        return configuration;
    }

    /**
     * Stops the service as SIGTERM would: readiness down, the drain, HTTP drained, components
     * stopped in reverse. Calling it again returns the same result.
     *
     * @return how the shutdown ended
     */
    public ShutdownResult stop() {
        ShutdownResult result = lifecycle.shutdown();
        metrics.close();
        return result;
    }

    /** Stops the service; see {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
