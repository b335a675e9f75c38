package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.Handler;
import dev.skiff.internal.Routes;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
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
    private final Routes routes = new Routes();

    App(Configuration configuration, Lifecycle lifecycle) {
        this.configuration = configuration;
        this.lifecycle = lifecycle;
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
     * @param path an exact path, such as {@code /hello}
     * @param handler what answers
     * @return this app
     */
    public App get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /**
     * Serves {@code POST} requests for a path.
     *
     * @param path an exact path
     * @param handler what answers
     * @return this app
     */
    public App post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * Serves requests with a method for a path.
     *
     * @param method an HTTP method, such as {@code PUT}
     * @param path an exact path
     * @param handler what answers
     * @return this app
     */
    public App route(String method, String path, Handler handler) {
        routes.add(Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"),
                Objects.requireNonNull(handler, "handler"));
        return this;
    }

    Routes routes() {
        return routes;
    }
}
