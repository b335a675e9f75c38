package dev.skiff;

import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.config.ConfigurationException;
import dev.skiff.config.internal.Constructors;
import dev.skiff.config.launch.internal.Binding;
import dev.skiff.http.client.internal.OutboundSettings;
import dev.skiff.internal.BuildInfo;
import dev.skiff.http.internal.JsonCodec;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.MetricsSettings;
import dev.skiff.internal.Platform;
import dev.skiff.internal.Tracing;
import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import dev.skiff.logging.internal.LogSettings;
import dev.skiff.logging.internal.Logging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ServiceLoader;

/**
 * Everything before the first component starts, the same for {@code main} and for tests: load the
 * configuration, bind the framework's blocks, configure logging, let the application set itself
 * up, and report every configuration problem — the framework's and the application's — at once.
 */
final class Startup {

    static {
        // The records bound at every start, made through references the JDK's AOT cache links (Constructors).
        Constructors.register(CoreSettings.Service.class, CoreSettings.Service::new);
        Constructors.register(CoreSettings.Http.class, CoreSettings.Http::new);
        Constructors.register(CoreSettings.Cors.class, CoreSettings.Cors::new);
        Constructors.register(CoreSettings.Management.class, CoreSettings.Management::new);
        Constructors.register(CoreSettings.Startup.class, CoreSettings.Startup::new);
        Constructors.register(CoreSettings.Shutdown.class, CoreSettings.Shutdown::new);
        Constructors.register(LogSettings.class, LogSettings::new);
        Constructors.register(HealthSettings.class, HealthSettings::new);
        Constructors.register(MetricsSettings.class, MetricsSettings::new);
        Constructors.register(OutboundSettings.class, OutboundSettings::new);
    }

    /** What setup produced: a service ready to run, or the problems that keep it from running. */
    sealed interface Prepared {

        /** {@return what the command line asks for} */
        Invocation invocation();

        /** {@return the application as set up: its commands and process types, for the usage text} */
        App app();
    }

    /**
     * A valid configuration: the service, every part of it present.
     *
     * @param service the service, to run
     * @param invocation what the command line asks of it
     */
    record Ready(Service service, Invocation invocation) implements Prepared {

        @Override
        public App app() {
            return service.app();
        }
    }

    /**
     * Configuration problems: what the report needs, and nothing that could be run.
     *
     * @param app the application as set up, for the usage text
     * @param configuration what was loaded, for {@code config} to print beside the report
     * @param invocation what the command line asks for
     * @param problems every problem found, the framework's and the application's
     */
    record Invalid(App app, Configuration configuration, Invocation invocation, List<ConfigProblem> problems)
            implements Prepared {}

    /**
     * A service set up and not yet started: what the launcher runs.
     *
     * @param registry what the process that runs registered: the application's, or its process type's
     */
    record Service(Configuration configuration, CoreSettings settings, HealthSettings health, ShutdownSettings shutdown,
                   Platform platform, Identity identity, Ending ending, Metrics metrics, App app,
                   Registry registry, Tracing tracing, List<ConfigProblem> unsetSecrets, List<String> unreadBlocks) {

        /** {@return what {@code /info} shows} */
        Map<String, Object> info() {
            var info = new LinkedHashMap<String, Object>();
            info.put("service", identity.fields());
            BuildInfo build = identity.app();
            info.put("build", Map.of("version", build.version(), "commit", build.commit(), "time", build.buildTime()));
            info.put("skiff", Map.of("version", identity.skiff().version()));
            info.put("java", Map.of("version", Runtime.version().toString(),
                    "vendor", System.getProperty("java.vendor", "")));
            return Map.copyOf(info);
        }
    }

    /** Who the service is: its name, its build and Skiff's, and the fields every log event carries. */
    record Identity(String name, BuildInfo app, BuildInfo skiff, Map<String, String> fields) {}

    private Startup() {}

    /**
     * Loads, binds and sets up: the setup of the application, then of each of its process types
     * (those that do not run now only so that the secrets they bind are known before anything is
     * printed). Problems are collected, not thrown: what the invocation makes of them is the
     * launcher's decision ({@code --help} still answers, {@code config} still prints).
     *
     * <p>Every bind's problems are collected, not thrown, so that setup goes on and one report
     * names them all. The secrets the application's setup binds are required when
     * {@code everySecret} (it serves HTTP, or checks the configuration for that); otherwise one
     * that is not set is left to the code that reads it, which fails naming it: a process type or
     * command needs only the secrets it reads. A process type's own setup needs all of its own.
     *
     * @param invocation what the command line asks for, given the application's names
     * @param everySecret whether the secrets the application's setup binds are required now
     * @param printsResult whether the command line's stdout is a command's result (its log then
     *     goes to stderr), or null when only setup tells (a name that is a command or a process type)
     * @param ownsProcess whether this is {@code main} (true) or a test sharing the JVM
     */
    static Prepared setUp(Class<?> application, Map<String, String> env, Map<String, String> systemProperties,
            Path workingDirectory, Consumer<App> setup, Function<App, Invocation> invocation, boolean everySecret,
            Boolean printsResult, boolean ownsProcess) {
        Configuration configuration = Configuration.load(env, systemProperties, workingDirectory);
        List<ConfigProblem> problems = new ArrayList<>();
        var settings = new CoreSettings(
                bind(configuration, "service", CoreSettings.Service.class, problems),
                bind(configuration, "http", CoreSettings.Http.class, problems),
                bind(configuration, "management", CoreSettings.Management.class, problems),
                bind(configuration, "startup", CoreSettings.Startup.class, problems),
                bind(configuration, "shutdown", CoreSettings.Shutdown.class, problems));
        LogSettings logSettings = bind(configuration, "log", LogSettings.class, problems);
        HealthSettings health = bind(configuration, "health", HealthSettings.class, problems);
        MetricsSettings metricsSettings = bind(configuration, "metrics", MetricsSettings.class, problems);
        Platform platform = platform(env, settings.shutdown(), problems);
        ShutdownSettings shutdown = settings.shutdown() == null || platform == null ? null
                : shutdownSettings(settings.shutdown(), platform, problems);
        Identity identity = identity(application, settings.service(), env);
        if (problems.isEmpty()) {
            Logging.configure(logSettings, identity.fields(), configuration::secretValues);
            if (ownsProcess && printsResult == null) {
                // Until the command line is read with the application's names: a command's stdout is
                // its result, and its log goes to stderr; a process type logs to stdout.
                Logging.hold();
            } else if (ownsProcess && printsResult) {
                Logging.release(true);
            }
        } else if (ownsProcess) {
            // The process will print its report and stop: nothing the setup logs may reach stdout,
            // where it could not be redacted as configured. (A test's JVM keeps its logging.)
            Logging.silence();
        }

        // The application is set up even when the framework's blocks have problems, so that the one
        // report holds its own too; nothing has started, and nothing starts before the report is empty.
        var ending = new Ending();
        var metrics = new Metrics(ending::activeRequests,
                metricsSettings == null ? MetricsSettings.DEFAULTS : metricsSettings);
        // Set once the invocation is known to run the service; calls made before that are not traced.
        var tracing = new AtomicReference<>(Tracing.NONE);
        Duration maxWait = settings.startup() == null ? Duration.ofMinutes(2) : settings.startup().maxWait();
        Duration checkTimeout = (health == null ? HealthSettings.DEFAULTS : health).checkTimeout();
        List<Module> modules = frameworkModules();
        // One JSON mapper for the application's routes and clients, whichever process runs.
        var json = new JsonCodec();
        var bindProblems = new ArrayList<ConfigProblem>();
        // Where a setup stopped, after problems: said last in the report, after everything found.
        var stoppedEarly = new ArrayList<ConfigProblem>();
        var unsetSecrets = new ArrayList<ConfigProblem>();
        var views = new ArrayList<Configuration>();
        views.add(Binding.collecting(configuration, !everySecret, bindProblems, unsetSecrets));
        var app = new App(new Registry(new Registry.Process(views.getFirst(), metrics.registry(),
                metrics.latencyBuckets(), tracing::get, maxWait, checkTimeout, ending::fatal, json), modules));
        try {
            setup.accept(app);
            problems.addAll(bindProblems);
        } catch (ConfigurationException e) {
            problems.addAll(bindProblems);
            problems.addAll(e.problems());
        } catch (RuntimeException | Error e) {
            problems.addAll(bindProblems);
            failedSetUp(e, problems, stoppedEarly, metrics, configuration);
        }
        app.seal();
        problems.addAll(app.registry().moduleProblems());
        Invocation chosen = invocation.apply(app);
        if (ownsProcess && printsResult == null) {
            Logging.release(chosen.printsResult());
        }
        Registry registry = app.registry();
        for (var process : app.processes().entrySet()) {
            boolean runs = chosen instanceof Invocation.Process(String name) && name.equals(process.getKey());
            // A process type that does not run now is set up only for the secrets it binds: its
            // meters go to a registry of its own, so that they do not show on this process's /metrics.
            var ownProblems = new ArrayList<ConfigProblem>();
            views.add(Binding.collecting(configuration, false, ownProblems, new ArrayList<>()));
            var components = new Registry(new Registry.Process(views.getLast(), runs ? metrics.registry()
                    : new SimpleMeterRegistry(), metrics.latencyBuckets(),
                    tracing::get, maxWait, checkTimeout, ending::fatal, json), app.registry());
            try {
                process.getValue().value().accept(components);
                if (runs) {
                    problems.addAll(ownProblems);
                }
            } catch (ConfigurationException e) {
                if (runs) {
                    problems.addAll(ownProblems);
                    problems.addAll(e.problems());
                }
            } catch (RuntimeException | Error e) {
                if (runs) {
                    problems.addAll(ownProblems);
                    failedSetUp(e, problems, stoppedEarly, metrics, configuration);
                } else if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                // Otherwise its own run will say so.
            }
            components.seal();
            if (runs) {
                // The framework's modules said theirs already, for the application; the process's own are new.
                problems.addAll(components.moduleProblems());
                registry = components;
            }
        }
        // Setup is over: a bind from now on (in a command, a component, a handler) throws its problems.
        for (Configuration view : views) {
            Binding.close(view);
        }
        if (chosen.needsBackingServices()) {
            problems.addAll(registry.usageProblems());
        }
        if (chosen instanceof Invocation.RunCommand || chosen instanceof Invocation.Check) {
            registry.runsOneOff();
        }
        if (problems.isEmpty() && chosen.runsService()) {
            try {
                tracing.set(Tracing.load(env, identity.fields()));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("otel", "OTEL_*", "the environment", e.getMessage()));
            }
        }
        problems.addAll(stoppedEarly);
        if (!problems.isEmpty()) {
            metrics.close();
            // A record bound twice (in the service's setup and a process type's) is one problem.
            return new Invalid(app, configuration, chosen, List.copyOf(new java.util.LinkedHashSet<>(problems)));
        }
        return new Ready(new Service(configuration, settings, health, shutdown, platform, identity, ending, metrics,
                app, registry, tracing.get(), List.copyOf(new java.util.LinkedHashSet<>(unsetSecrets)),
                Binding.unreadBlocks(configuration)), chosen);
    }

    /**
     * {@return the modules on the class path that every process has, such as framework-jdbc's and
     * framework-tracing's, in class path order}
     */
    private static List<Module> frameworkModules() {
        return ServiceLoader.load(Module.class, Startup.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /** The JDK's frames and Skiff's own: the application's line a setup stopped at is the first other one. */
    private static final java.util.regex.Pattern FRAMEWORK_FRAME = java.util.regex.Pattern.compile(
            "(java|javax|jdk|sun)\\..*|dev\\.skiff\\.(App|Registry|Startup|Skiff|Components|Routes)(\\$.*)?"
                    + "|dev\\.skiff\\.(internal|config|http|lifecycle|logging|modules|jdbc|tracing)\\..*");

    /**
     * A setup threw. With configuration problems found already, they are likely its cause and the
     * report is what the user needs, with where setup stopped; without, the failure is the
     * application's and goes up.
     */
    private static void failedSetUp(Throwable e, List<ConfigProblem> problems, List<ConfigProblem> stoppedEarly,
            Metrics metrics, Configuration configuration) {
        if (problems.isEmpty()) {
            metrics.close();
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
        // Said, so that the report does not pass for complete: what came after never ran.
        String failure = e.toString();
        for (String secret : configuration.secretValues()) {
            failure = failure.replace(secret, dev.skiff.config.Secret.MASK);
        }
        String where = java.util.Arrays.stream(e.getStackTrace())
                .filter(frame -> !FRAMEWORK_FRAME.matcher(frame.getClassName()).matches())
                .findFirst().map(frame -> ", at " + frame).orElse("");
        stoppedEarly.add(new ConfigProblem("", "", "setup" + where, "stopped early: " + failure + "; likely because of"
                + " a problem above (a record with one is null, or holds empty values, while setup runs). What setup"
                + " would have done after that line was not checked: run again once the above are fixed"));
    }

        private static <T extends Record> T bind(Configuration configuration, String path, Class<T> type,
            List<ConfigProblem> problems) {
        try {
            return configuration.bind(path, type);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** {@return the detected platform, with the grace period the configuration names, or null if it is wrong} */
    private static Platform platform(Map<String, String> env, CoreSettings.Shutdown configured,
            List<ConfigProblem> problems) {
        Platform detected = Platform.detect(env);
        if (configured == null || configured.gracePeriod().isEmpty()) {
            return detected;
        }
        Duration grace = configured.gracePeriod().get();
        if (grace.compareTo(Duration.ofSeconds(3)) < 0) {
            problems.add(new ConfigProblem("shutdown.grace-period", "SHUTDOWN_GRACE_PERIOD", grace.toMillis() + " ms",
                    "the grace period must be at least 3s: Skiff keeps 2 s of it for logging and exit; set it to the"
                            + " platform's real grace period (Kubernetes: terminationGracePeriodSeconds)"));
            return null;
        }
        return detected.withGracePeriod(grace);
    }

    private static ShutdownSettings shutdownSettings(CoreSettings.Shutdown configured, Platform platform,
            List<ConfigProblem> problems) {
        // Unset, the drain watches the traffic, and lasts at least the platform's floor.
        Duration drainDelay = configured.drainDelay().orElse(platform.drainDelay());
        Duration timeout = configured.timeout().orElse(platform.defaultTimeout());
        try {
            return new ShutdownSettings(drainDelay, timeout, configured.drainDelay().isEmpty());
        } catch (IllegalArgumentException e) {
            boolean grace = configured.gracePeriod().isPresent();
            problems.add(new ConfigProblem("shutdown", "SHUTDOWN_DRAIN_DELAY, SHUTDOWN_TIMEOUT"
                    + (grace ? ", SHUTDOWN_GRACE_PERIOD" : ""), "drain-delay " + drainDelay.toMillis() + " ms, timeout "
                    + timeout.toMillis() + " ms on " + platform.name(), e.getMessage() + (grace && configured.timeout()
                    .isEmpty() ? "; the timeout is SHUTDOWN_GRACE_PERIOD less 2 s here: raise SHUTDOWN_GRACE_PERIOD"
                    + " (with terminationGracePeriodSeconds) or set a shorter SHUTDOWN_DRAIN_DELAY" : "")
                    + (configured.drainDelay().isEmpty() ? "; the drain lasts at least " + drainDelay.toMillis()
                    + " ms on " + platform.name() + ", where endpoints are removed whatever readiness says" : "")));
            return null;
        }
    }

    private static Identity identity(Class<?> application, CoreSettings.Service service, Map<String, String> env) {
        BuildInfo app = BuildInfo.of(application);
        BuildInfo skiff = BuildInfo.of(Skiff.class);
        String fallback = app.name().equals("unknown") ? application.getSimpleName() : app.name();
        String name = service == null ? fallback : service.name().orElse(fallback);
        var fields = new LinkedHashMap<String, String>();
        fields.put("service.name", name);
        fields.put("service.version", app.version());
        if (service != null) {
            service.environment().ifPresent(environment -> fields.put("service.environment", environment));
        }
        hostName(env).ifPresent(host -> fields.put("service.node.name", host));
        return new Identity(name, app, skiff, Collections.unmodifiableMap(fields));
    }

    /** The container's or machine's name, without a DNS lookup that could stall startup. */
    private static Optional<String> hostName(Map<String, String> env) {
        String fromEnv = env.get("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            return Files.isReadable(kernel) ? Optional.of(Files.readString(kernel).strip()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
