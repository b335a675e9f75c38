package dev.skiff;

import dev.skiff.config.ConfigException;
import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.http.Handler;
import dev.skiff.http.internal.Routes;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.Lifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

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

    /** Commands the launcher itself answers; an application's own may not take these names. */
    static final Set<String> BUILT_IN = Set.of("serve", "check", "config", "help", "--help", "-h");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** A one-off command or a process type, as {@code --help} lists it. */
    record Described<T>(String description, T value) {}

    /** What the application set up, shared by the views of its groups. */
    static final class Parts {
        final List<Component> components = new ArrayList<>();
        final Map<String, HealthCheck> readiness = new LinkedHashMap<>();
        final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
        final List<Consumer<HealthState>> listeners = new ArrayList<>();
        final Routes routes = new Routes();
        final Map<String, Described<Command>> commands = new LinkedHashMap<>();
        final Map<String, Described<Consumer<App>>> processes = new LinkedHashMap<>();
        /** Whether setup asked for the database; without DATABASE_URL the service then does not start. */
        boolean databaseWanted;
        /** What database() hands out without DATABASE_URL, so setup can finish and say so in one report. */
        final DataSource unconfigured = new dev.skiff.jdbc.internal.PooledDataSource();

        /** Puts what was set up into the lifecycle that runs it. */
        void registerInto(Lifecycle lifecycle) {
            components.forEach(lifecycle::register);
            readiness.forEach(lifecycle::readinessCheck);
            liveness.forEach(lifecycle::livenessCheck);
            listeners.forEach(lifecycle::onStateChange);
        }
    }

    private final Configuration configuration;
    private final MeterRegistry metrics;
    private final DataSource database;
    private final Parts parts;
    private final String prefix;
    private final String process;

    App(Configuration configuration, MeterRegistry metrics, DataSource database, String process) {
        this(configuration, metrics, database, new Parts(), "", process);
    }

    private App(Configuration configuration, MeterRegistry metrics, DataSource database, Parts parts, String prefix,
            String process) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.database = database;
        this.parts = parts;
        this.prefix = prefix;
        this.process = process;
    }

    Parts parts() {
        return parts;
    }

    /**
     * Returns the pooled database behind {@code DATABASE_URL}. It can be held from setup on and
     * hands out connections once the service has started (or while a command runs). When the
     * database is unreachable, a request that needs a connection fails with 503 after
     * {@code database.connection-timeout}. A service that asks for it without {@code DATABASE_URL}
     * set does not start: it exits 78 with the configuration report, naming {@code DATABASE_URL};
     * {@code --help} and {@code config} still answer.
     *
     * @return the data source
     */
    public DataSource database() {
        if (database == null) {
            parts.databaseWanted = true;
            return parts.unconfigured;
        }
        return database;
    }

    /** {@return the problem of a service that needs a database and has no DATABASE_URL} */
    static ConfigProblem missingDatabase() {
        return new ConfigProblem("database.url", "DATABASE_URL", "not set",
                "the service uses a database and none is configured: set DATABASE_URL to"
                        + " postgres://user:password@host:5432/database or a jdbc: URL");
    }

    /**
     * Adds a one-off admin command: {@code java -jar app.jar <name> [args]} runs it with the same
     * configuration, logging and database pool as the service, without HTTP or the components, and
     * exits with the status it returns. SIGTERM interrupts it.
     *
     * @param name the command's name: lower case letters, digits and dashes, such as {@code migrate}
     * @param description one line for {@code --help}
     * @param command what runs
     * @return this app
     */
    public App command(String name, String description, Command command) {
        checkName(name);
        parts.commands.put(name, new Described<>(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(command, "command")));
        return this;
    }

    /**
     * Adds a long-running process type besides {@code serve}, such as a queue {@code worker}:
     * {@code java -jar app.jar <name>} runs the components and checks that {@code setup} adds, with
     * the health endpoints and {@code /metrics} on {@code MANAGEMENT_PORT} (else {@code PORT}) and
     * no routes of its own. The components added to this app itself belong to {@code serve}.
     *
     * @param name the process type's name, such as {@code worker}
     * @param description one line for {@code --help}
     * @param setup adds the process's components and checks
     * @return this app
     */
    public App process(String name, String description, Consumer<App> setup) {
        checkName(name);
        parts.processes.put(name, new Described<>(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(setup, "setup")));
        return this;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("a command or process type needs a name of lower case letters, digits"
                    + " and dashes other than " + new java.util.TreeSet<>(BUILT_IN) + ", got \"" + name + "\"");
        }
        if (parts.commands.containsKey(name) || parts.processes.containsKey(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is added twice as a command or process type");
        }
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
        group.accept(new App(configuration, metrics, database, parts, this.prefix + prefix, process));
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
        parts.routes.before(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Runs {@code filter} after the handler of every route, even when the handler failed.
     *
     * @param filter the filter
     * @return this app
     */
    public App after(Handler filter) {
        parts.routes.after(Objects.requireNonNull(filter, "filter"));
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
        parts.components.add(Objects.requireNonNull(component, "component"));
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
        parts.readiness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
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
        parts.liveness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
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
        parts.listeners.add(Objects.requireNonNull(listener, "listener"));
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
        if (process != null) {
            throw new IllegalStateException("the process type " + process + " serves no routes of its own; add "
                    + method + " " + path + " to the service (serve) instead");
        }
        String full = prefix + path;
        parts.routes.add(method, full.isEmpty() ? "/" : full, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    Routes routes() {
        return parts.routes;
    }
}
