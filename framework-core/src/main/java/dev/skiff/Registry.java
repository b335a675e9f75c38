package dev.skiff;

import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.config.launch.internal.Binding;
import dev.skiff.config.ConfigurationException;
import dev.skiff.http.ServiceClient;
import dev.skiff.http.internal.JsonCodec;
import dev.skiff.http.client.internal.BackingServiceUnavailable;
import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.client.internal.OutboundClient;
import dev.skiff.http.client.internal.OutboundSettings;
import dev.skiff.http.client.internal.UnconfiguredClient;
import dev.skiff.internal.Tracing;
import dev.skiff.internal.UnconfiguredDataSource;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.modules.internal.BackingService;
import dev.skiff.modules.internal.ModuleSupport;
import dev.skiff.modules.internal.Outage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What one process (the service, a process type, or a command) registered while it was set up,
 * its modules' included: the one place registrations are kept until {@link #registerInto} hands
 * them to the lifecycle that runs them. {@link App} hands its own registrations here.
 */
final class Registry implements Components, ModuleSupport {

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** What the registry needs of the process it belongs to. */
    record Process(Configuration configuration, MeterRegistry metrics, List<Duration> latencyBuckets,
                   Supplier<Tracing> tracing, Duration startupMaxWait, Duration checkTimeout,
                   Consumer<String> fatal, JsonCodec json) {}

    private final Process process;
    private final Map<String, ServiceClient> clients = new LinkedHashMap<>();
    /** Problems a module's install found: always reported, as the framework's own blocks' are. */
    private final List<ConfigProblem> moduleProblems = new ArrayList<>();
    /** Problems found when a backing service was asked for: reported when the process uses them. */
    private final Set<ConfigProblem> usageProblems = new LinkedHashSet<>();
    private final List<Component> moduleComponents = new ArrayList<>();
    private final List<Component> components = new ArrayList<>();
    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();
    private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
    private final List<Consumer<HealthState>> listeners = new ArrayList<>();
    private final Map<String, BackingService> backingServices = new LinkedHashMap<>();
    private Supplier<DataSource> database;
    /** A command added before the app could take it (by a module found on the class path). */
    record PendingCommand(String name, String description, Command command) {}
    private final List<PendingCommand> pendingCommands = new ArrayList<>();
    private Consumer<PendingCommand> commandSink;
    /** Whether this is the service's registry: a process type's takes no command. */
    private final boolean takesCommands;
    private int installing;
    private final Set<String> taskNames = new java.util.HashSet<>();
    private boolean aModuleFailed;
    private volatile boolean oneOff;
    /** Set once setup has returned: what is added later would be silently ignored, so it is refused. */
    private boolean sealed;

    /**
     * What the modules found on the class path added: installed once, for the service, and shared
     * by every process type, so that what the application's setup made of them (its data source)
     * is the one that starts whichever process runs.
     */
    private record Shared(List<Component> components, Map<String, HealthCheck> readiness,
                          Map<String, HealthCheck> liveness, List<Consumer<HealthState>> listeners,
                          Map<String, BackingService> services, Supplier<DataSource> database,
                          List<ConfigProblem> problems, boolean failed) {}

    private final Shared shared;

    /**
     * The service's registry.
     *
     * @param modules the modules every process has, the framework's found on the class path;
     *     installed first
     */
    Registry(Process process, List<Module> modules) {
        this.process = process;
        this.takesCommands = true;
        for (Module module : modules) {
            module(module);
        }
        this.shared = new Shared(List.copyOf(moduleComponents), new LinkedHashMap<>(readiness), new LinkedHashMap<>(liveness),
                List.copyOf(listeners), new LinkedHashMap<>(backingServices), database, List.copyOf(moduleProblems),
                aModuleFailed);
    }

    /**
     * A process type's registry: the modules the service found on the class path, as installed for
     * it, and nothing else yet.
     *
     * @param service the service's registry
     */
    Registry(Process process, Registry service) {
        this.process = process;
        this.takesCommands = false;
        this.shared = service.shared;
        moduleComponents.addAll(shared.components());
        readiness.putAll(shared.readiness());
        liveness.putAll(shared.liveness());
        listeners.addAll(shared.listeners());
        backingServices.putAll(shared.services());
        database = shared.database();
        aModuleFailed = shared.failed();
    }

    @Override
    public Configuration configuration() {
        // A module's install binds strictly: its problems join the report through module()'s catch.
        return installing > 0 ? Binding.strict(process.configuration()) : process.configuration();
    }

    @Override
    public MeterRegistry metrics() {
        return process.metrics();
    }

    @Override
    public DataSource database() {
        if (database == null) {
            if (!aModuleFailed) {
                usageProblems.add(new ConfigProblem("database", "DATABASE_URL", "the class path",
                        "the service uses a database and no module provides one: add the dependency"
                                + " dev.skiff:framework-jdbc"));
            }
            return new UnconfiguredDataSource();
        }
        try {
            return database.get();
        } catch (ConfigurationException e) {
            usageProblems.addAll(e.problems());
            return new UnconfiguredDataSource();
        }
    }

    @Override
    public ServiceClient http(String name) {
        checkOpen("the client of " + name);
        if (name == null || !SERVICE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a backing service's name is lower case letters, digits and dashes, such"
                    + " as payments (read from PAYMENTS_URL), got " + name);
        }
        return clients.computeIfAbsent(name, this::newClient);
    }

    /** {@return the application's JSON mapper, shared by its routes and clients} */
    JsonCodec json() {
        return process.json();
    }

    /** A client joins as a module would: its component, and the backing service it reaches. */
    private ServiceClient newClient(String name) {
        OutboundSettings settings;
        try {
            settings = Binding.strict(process.configuration()).bind(name, OutboundSettings.class);
        } catch (ConfigurationException e) {
            usageProblems.addAll(e.problems());
            return new UnconfiguredClient(name);
        }
        var client = new OutboundClient(name, settings, process.metrics(), process.latencyBuckets(), process.tracing(),
                process.checkTimeout(), process.json());
        installing++;
        try {
            component(client.component());
        } finally {
            installing--;
        }
        backingService(new BackingService("http " + name, () -> reach(client, name), BackingServiceUnavailable.mapping(name),
                failure -> BackingServiceUnavailable.find(failure).filter(call -> call.service().equals(name))
                        .map(call -> new Lifecycle.Wait(process.startupMaxWait(), "startup.max-wait"))));
        return client;
    }

    /** Tries a client's service once, for the {@code check} command, saying what to do when it does not answer. */
    private static String reach(OutboundClient client, String name) throws Exception {
        try {
            return client.reach();
        } catch (java.io.IOException | RuntimeException e) {
            throw new java.io.IOException(client.url() + " did not answer: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + "; check that it runs and that "
                    + Configuration.envName(name + ".url") + " names it", e);
        }
    }

    @Override
    public void module(Module module) {
        Objects.requireNonNull(module, "module");
        checkOpen("the module " + module.name());
        installing++;
        try {
            module.install(this);
        } catch (ConfigurationException e) {
            aModuleFailed = true;
            moduleProblems.addAll(e.problems());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the module " + module.name() + " (" + module.getClass().getName()
                    + ") failed to install: " + e, e);
        } finally {
            installing--;
        }
    }

    @Override
    public Registry command(String name, String description, Command command) {
        checkOpen("the command " + name);
        if (!takesCommands) {
            if (installing > 0) {
                return this; // a module's command, in a process type: the service's own install adds it
            }
            throw new IllegalStateException("the command " + name + " was added to a process type, which runs no"
                    + " command: add it in the application's setup (app.command), or from a module added with"
                    + " app.module");
        }
        var pending = new PendingCommand(name, description, command);
        if (commandSink == null) {
            pendingCommands.add(pending);
        } else {
            commandSink.accept(pending);
        }
        return this;
    }

    /** Hands the commands added so far, and every later one, to the app that keeps them. */
    void commandsTo(Consumer<PendingCommand> sink) {
        pendingCommands.forEach(sink);
        pendingCommands.clear();
        commandSink = sink;
    }

    @Override
    public void backingService(String name, HealthCheck check, java.util.function.Predicate<Throwable> unavailable) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(unavailable, "unavailable");
        checkOpen("the backing service " + name);
        var outage = new Outage(name, check, unavailable, process.checkTimeout());
        backingService(new BackingService(name, () -> {
            check.check();
            return "answered";
        }, outage, failure -> outage.owns(failure)
                ? Optional.of(new Lifecycle.Wait(process.startupMaxWait(), "startup.max-wait")) : Optional.empty()));
        listeners.add(state -> {
            if (state == HealthState.DRAINING || state == HealthState.STOPPED) {
                outage.stop();
            }
        });
    }

    @Override
    public void backingService(BackingService service) {
        checkOpen("the backing service " + service.name());
        if (backingServices.putIfAbsent(service.name(), service) != null) {
            throw new IllegalArgumentException("the backing service \"" + service.name() + "\" is declared twice");
        }
    }

    @Override
    public void provideDatabase(Supplier<DataSource> provided) {
        checkOpen("a database");
        if (database != null) {
            throw new IllegalStateException("two modules provide the database: keep one framework-jdbc on the class path");
        }
        database = Objects.requireNonNull(provided, "database");
    }

    @Override
    public Tracing tracing() {
        return process.tracing().get();
    }

    @Override
    public boolean oneOff() {
        return oneOff;
    }

    /** Marks the process as a one-off command's: backing services must answer at once. */
    void runsOneOff() {
        oneOff = true;
    }

    @Override
    public void fatal(String reason) {
        process.fatal().accept(reason);
    }

    /** {@return the backing services declared, in order} */
    List<BackingService> backingServices() {
        return List.copyOf(backingServices.values());
    }

    /** {@return how the HTTP server answers the backing services' failures, asked in order} */
    List<FailureMapping> failureMappings() {
        return backingServices.values().stream().map(BackingService::answers).toList();
    }

    /** {@return how long a start that failed may wait, per the backing service the failure is of} */
    Optional<Lifecycle.Wait> startWait(Throwable failure) {
        for (BackingService service : backingServices.values()) {
            Optional<Lifecycle.Wait> wait = service.startWait().apply(failure);
            if (wait.isPresent()) {
                return wait;
            }
        }
        return Optional.empty();
    }

    /** {@return the components the modules added: what a one-off command runs with} */
    List<Component> moduleComponents() {
        return Collections.unmodifiableList(moduleComponents);
    }

    /** {@return the problems the installs of the modules this process added itself found} */
    List<ConfigProblem> moduleProblems() {
        return List.copyOf(moduleProblems);
    }

    /**
     * {@return the problems to report when the process uses backing services: every client's
     * missing or bad settings, and the database asked for and not configured}
     */
    List<ConfigProblem> usageProblems() {
        return List.copyOf(usageProblems);
    }

    /** Refuses every later registration. */
    void seal() {
        sealed = true;
    }

    /** Throws when setup has returned already. */
    void checkOpen(String what) {
        if (sealed) {
            throw new IllegalStateException(what + " was added after setup returned, where it would be ignored: add it"
                    + " during setup, and in a process type's setup to the Components it receives");
        }
    }

    @Override
    public void component(Component component) {
        checkOpen("the component " + (component == null ? null : component.name()));
        (installing > 0 ? moduleComponents : components).add(Objects.requireNonNull(component, "component"));
    }

    @Override
    public void every(String name, java.time.Duration interval, Task task) {
        checkOpen("the task " + name);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        if (interval == null || interval.compareTo(java.time.Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("the task " + name + " needs an interval of 1 ms or more, got " + interval);
        }
        if (!taskNames.add(name)) {
            throw new IllegalArgumentException("a task named " + name + " is added already: give each task a name of its"
                    + " own (it names its component, its log lines and its series of scheduled.task.runs)");
        }
        var every = new dev.skiff.internal.Every(name, interval, task, process.metrics(), process.fatal());
        component(every);
        onStateChange(every::onStateChange);
    }

    @Override
    public void readinessCheck(String name, HealthCheck check) {
        checkOpen("the readiness check " + name);
        readiness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
    }

    @Override
    public void livenessCheck(String name, HealthCheck check) {
        checkOpen("the liveness check " + name);
        liveness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
    }

    @Override
    public void onStateChange(Consumer<HealthState> listener) {
        checkOpen("a state listener");
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Puts what was registered into the lifecycle that runs it: the modules' components first. */
    void registerInto(Lifecycle lifecycle) {
        // Loops, not forEach with method references: each reference is a class made at startup.
        for (Component component : moduleComponents) {
            lifecycle.register(component);
        }
        for (Component component : components) {
            lifecycle.register(component);
        }
        for (var check : readiness.entrySet()) {
            lifecycle.readinessCheck(check.getKey(), check.getValue());
        }
        for (var check : liveness.entrySet()) {
            lifecycle.livenessCheck(check.getKey(), check.getValue());
        }
        for (Consumer<HealthState> listener : listeners) {
            lifecycle.onStateChange(listener);
        }
    }
}
