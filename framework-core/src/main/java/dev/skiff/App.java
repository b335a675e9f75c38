package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.Handler;
import dev.skiff.internal.Routes;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import dev.skiff.lifecycle.Lifecycle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a service sets up before it starts: its routes and its components, with its configuration
 * at hand.
 *
 * {@snippet :
 * Skiff.run(args, app -> {
 *     var settings = app.configuration().bind("notes", NotesSettings.class);
 *     app.component(Component.named("purge", purger::start));
 *     app.get("/hello", ctx -> ctx.json(Map.of("message", "Hello")));
 * });
 * }
 */
public final class App {

    private final Configuration configuration;
    private final Lifecycle lifecycle;
    private final Routes routes;
    private final MeterRegistry metrics;
    private final String prefix;

    App(Configuration configuration, Lifecycle lifecycle, MeterRegistry metrics) {
        this(configuration, lifecycle, new Routes(), metrics, "");
    }

    private App(Configuration configuration, Lifecycle lifecycle, Routes routes, MeterRegistry metrics, String prefix) {
        this.configuration = configuration;
        this.lifecycle = lifecycle;
        this.routes = routes;
        this.metrics = metrics;
        this.prefix = prefix;
    }

    /**
     * Returns the metrics registry behind {@code /metrics}, for the application's own counters,
     * timers and gauges.
     *
     * @return the registry
     */
    public MeterRegistry metrics() {
        return metrics;
    }

    /**
     * Adds routes that share a path prefix:
     * {@code app.group("/notes", notes -> notes.get("/{id}", get).post("", create))}.
     *
     * @param prefix the shared start of the paths, such as {@code /api/notes}
     * @param group adds the routes, with paths relative to the prefix
     * @return this app
     */
    public App group(String prefix, Consumer<App> group) {
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("a group's prefix starts with '/' and does not end with one, got \""
                    + prefix + "\"");
        }
        group.accept(new App(configuration, lifecycle, routes, metrics, this.prefix + prefix));
        return this;
    }

    /**
     * Runs {@code filter} before the handler of every route, such as an authentication check; a
     * filter that throws {@link dev.skiff.http.HttpException} or sends a response ends the request.
     *
     * @param filter the filter
     * @return this app
     */
    public App before(Handler filter) {
        routes.before(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Runs {@code filter} after the handler of every route, even when the handler failed.
     *
     * @param filter the filter
     * @return this app
     */
    public App after(Handler filter) {
        routes.after(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** {@return the loaded configuration, to bind the service's own settings} */
    public Configuration configuration() {
        return configuration;
    }

    /**
     * Adds a component; components start in the order added, before the HTTP server, and stop
     * in reverse, after it.
     *
     * @param component the component
     * @return this app
     */
    public App component(Component component) {
        lifecycle.register(component);
        return this;
    }

    /**
     * Adds a check that readiness requires, such as a database ping; while it fails,
     * {@code /health/ready} answers 503 and load balancers route elsewhere.
     *
     * @param name the check's name in the probe's answer
     * @param check returns when healthy, throws when not
     * @return this app
     */
    public App readinessCheck(String name, HealthCheck check) {
        lifecycle.readinessCheck(name, check);
        return this;
    }

    /**
     * Adds a check that liveness requires; only for what a restart fixes, never a backing service.
     *
     * @param name the check's name in the probe's answer
     * @param check returns when healthy, throws when not
     * @return this app
     */
    public App livenessCheck(String name, HealthCheck check) {
        lifecycle.livenessCheck(name, check);
        return this;
    }

    /**
     * Calls {@code listener} on every change of the service's state, such as
     * {@link HealthState#DRAINING} at the start of shutdown: the moment to stop taking new work.
     *
     * @param listener told the new state
     * @return this app
     */
    public App onStateChange(Consumer<HealthState> listener) {
        lifecycle.onStateChange(listener);
        return this;
    }

    /**
     * Serves {@code GET} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return this app
     */
    public App get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /**
     * Serves {@code POST} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return this app
     */
    public App post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * Serves {@code PUT} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return this app
     */
    public App put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /**
     * Serves {@code PATCH} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return this app
     */
    public App patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    /**
     * Serves {@code DELETE} requests for a path.
     *
     * @param path a path, with parameters such as {@code /notes/{id}}
     * @param handler what answers
     * @return this app
     */
    public App delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /**
     * Serves requests with a method for a path. A {@code GET} route answers {@code HEAD} too.
     *
     * @param method an HTTP method, such as {@code PUT}
     * @param path a path, with parameters such as {@code /notes/{id}}; relative to the group's prefix
     * @param handler what answers
     * @return this app
     */
    public App route(String method, String path, Handler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        String full = prefix + path;
        routes.add(method, full.isEmpty() ? "/" : full, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    Routes routes() {
        return routes;
    }
}
