package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.ServiceClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import dev.skiff.http.internal.RouteTable;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The application being set up: its routes ({@link Routes}), its components ({@link Components}),
 * and the other ways the same jar runs: one-off commands and process types.
 *
 * {@snippet :
 * Skiff.run(args, app -> {
 *     var settings = app.configuration().bind("notes", NotesSettings.class);
 *     app.component(Component.named("purge", purger::start));
 *     app.get("/hello", ctx -> ctx.json(Map.of("message", "Hello")));
 *     app.command("migrate", "apply pending migrations", migrations::run);
 * });
 * }
 */
public final class App implements Routes, Components {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** A one-off command or a process type, as {@code --help} lists it. */
    record Described<T>(String description, T value) {}

    private final Registry registry;
    private final RouteTable routes = new RouteTable();
    private final Map<String, Described<Command>> commands = new LinkedHashMap<>();
    private final Map<String, Described<Consumer<Components>>> processes = new LinkedHashMap<>();

    App(Registry registry) {
        this.registry = registry;
        routes.json(registry.json());
        registry.commandsTo(command -> command(command.name(), command.description(), command.command()));
    }

    Registry registry() {
        return registry;
    }

    /** Ends setup: the routes are resolved, and a later registration (from a process type's setup) is refused. */
    void seal() {
        registry.seal();
        routes.freeze();
    }

    RouteTable routeTable() {
        return routes;
    }

    Map<String, Described<Command>> commands() {
        return commands;
    }

    Map<String, Described<Consumer<Components>>> processes() {
        return processes;
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
    @Override
    public App command(String name, String description, Command command) {
        registry.checkOpen("the command " + name);
        checkName(name);
        commands.put(name, new Described<>(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(command, "command")));
        return this;
    }

    /**
     * Adds a long-running process type besides {@code serve}, such as a queue {@code worker}:
     * {@code java -jar app.jar <name>} runs the components and checks that {@code setup} adds, with
     * the health endpoints and {@code /metrics} on {@code MANAGEMENT_PORT} (else {@code PORT}). A
     * process type serves no routes: {@code setup} receives {@link Components} only. The
     * components added to this app itself belong to {@code serve}. Every process type's
     * {@code setup} runs at every start, so that the secrets it binds are known whichever process
     * runs: it registers and binds, and starts nothing.
     *
     * @param name the process type's name, such as {@code worker}
     * @param description one line for {@code --help}
     * @param setup adds the process's components and checks
     * @return this app
     */
    public App process(String name, String description, Consumer<Components> setup) {
        registry.checkOpen("the process type " + name);
        checkName(name);
        processes.put(name, new Described<>(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(setup, "setup")));
        return this;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || Invocation.BuiltIn.named(name).isPresent()) {
            throw new IllegalArgumentException("a command or process type needs a name of lower case letters, digits"
                    + " and dashes other than " + Invocation.BuiltIn.reserved() + ", got \"" + name + "\"");
        }
        if (commands.containsKey(name) || processes.containsKey(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is added twice as a command or process type");
        }
    }

    // Components

    @Override
    public Configuration configuration() {
        return registry.configuration();
    }

    @Override
    public MeterRegistry metrics() {
        return registry.metrics();
    }

    @Override
    public DataSource database() {
        return registry.database();
    }

    @Override
    public ServiceClient http(String name) {
        return registry.http(name);
    }

    @Override
    public void module(Module module) {
        registry.module(module);
    }

    @Override
    public void backingService(String name, HealthCheck check, java.util.function.Predicate<Throwable> unavailable) {
        registry.backingService(name, check, unavailable);
    }

    @Override
    public void component(Component component) {
        registry.component(component);
    }

    @Override
    public void every(String name, java.time.Duration interval, Task task) {
        registry.every(name, interval, task);
    }

    @Override
    public void readinessCheck(String name, HealthCheck check) {
        registry.readinessCheck(name, check);
    }

    @Override
    public void livenessCheck(String name, HealthCheck check) {
        registry.livenessCheck(name, check);
    }

    @Override
    public void onStateChange(Consumer<HealthState> listener) {
        registry.onStateChange(listener);
    }

    // Routes: the application's own scope, whose filters run around every route

    @Override
    public App get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    @Override
    public App post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    @Override
    public App put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    @Override
    public App patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    @Override
    public App delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    @Override
    public App route(String method, String path, Handler handler) {
        registry.checkOpen("the route " + method + " " + path);
        RouteGroup.add(routes, routes.root(), "", method, path, handler);
        return this;
    }

    /**
     * Runs {@code filter} before the handler of every route, the routes of every group included.
     *
     * @param filter the filter
     * @return this app
     */
    @Override
    public App before(Handler filter) {
        registry.checkOpen("a before filter");
        routes.root().before(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Runs {@code filter} after the handler of every route, the routes of every group included.
     *
     * @param filter the filter
     * @return this app
     */
    @Override
    public App after(Handler filter) {
        registry.checkOpen("an after filter");
        routes.root().after(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    @Override
    public App group(String prefix, Consumer<Routes> group) {
        registry.checkOpen("the group " + prefix);
        RouteGroup.nest(routes, routes.root(), "", prefix, group);
        return this;
    }

    @Override
    public App staticFiles(String path, String location) {
        registry.checkOpen("the static files of " + location);
        RouteGroup.files(routes, routes.root(), "", path, location);
        return this;
    }

    /**
     * Answers an exception of a type thrown by any route's handler or filter, the routes of every
     * group included, unless a group maps it itself; see {@link Routes#exception}.
     *
     * @param type the exception's type; its subtypes too
     * @param answer makes the answer from the exception
     * @param <E> the type
     * @return this app
     */
    @Override
    public <E extends Throwable> App exception(Class<E> type, Function<? super E, ? extends HttpException> answer) {
        registry.checkOpen("the exception mapping of " + type);
        routes.root().exception(Objects.requireNonNull(type, "type"), Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /**
     * Configures the application's JSON mapper: the one {@code ctx.json}, {@code ctx.bodyAs},
     * problem members and the {@link #http service clients} use. It starts from Skiff's defaults
     * ({@code java.time} values as ISO-8601 text such as {@code "PT30M"}, absent values left out,
     * unknown properties an error) and is made once, after setup; keep no reference to it.
     *
     * {@snippet :
     * app.json(mapper -> mapper
     *         .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
     *         .registerModule(new MoneyModule()));
     * }
     *
     * @param configure changes the mapper: modules, naming, features
     * @return this app
     */
    public App json(Consumer<ObjectMapper> configure) {
        registry.checkOpen("the JSON mapper's configuration");
        routes.json().configure(configure);
        return this;
    }
}
