package dev.skiff;

import dev.skiff.config.ConfigException;
import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.internal.BuildInfo;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.Platform;
import dev.skiff.jdbc.internal.DatabasePool;
import dev.skiff.lifecycle.HealthSettings;
import dev.skiff.lifecycle.ShutdownSettings;
import dev.skiff.logging.LogSettings;
import dev.skiff.logging.Logging;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher: the one call a service's {@code main} makes.
 *
 * <p>It loads the configuration (a problem ends the process with code 78 before anything starts),
 * configures logging, lets the application add its routes, components and checks, starts them,
 * binds HTTP on {@code HOST:PORT}, and on SIGTERM or SIGINT shuts everything down in order:
 * readiness down, the drain delay, HTTP drained, components stopped in reverse, logging flushed,
 * exit 0.
 *
 * {@snippet :
 * public static void main(String[] args) {
 *     Skiff.run(args, app -> app.get("/hello", ctx -> ctx.json(Map.of("message", "Hello"))));
 * }
 * }
 */
public final class Skiff {

    private Skiff() {}

    /**
     * Runs the service until the process is told to stop.
     *
     * @param args the command-line arguments of {@code main}
     * @param setup adds the application's routes, components and health checks
     */
    public static void run(String[] args, Consumer<App> setup) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(setup, "setup");
        Class<?> application = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (args.length == 0 || args[0].equals("serve")) {
            Preload.start();
        }
        Prepared prepared;
        try {
            prepared = prepare(application, System.getenv(), systemProperties(), Path.of(""));
        } catch (ConfigException e) {
            exitOnConfigProblems(e);
            return;
        }
        Configuration configuration = prepared.configuration();
        CoreSettings settings = prepared.settings();
        BuildInfo app = prepared.app();
        BuildInfo skiff = prepared.skiff();
        String serviceName = prepared.serviceName();
        Map<String, String> fields = prepared.fields();
        Logging.configure(prepared.logSettings(), fields, configuration::secretValues);

        Logger log = LoggerFactory.getLogger(Skiff.class);
        String command = args.length == 0 ? "serve" : args[0];
        List<String> commandArgs = args.length == 0 ? List.of() : List.of(args).subList(1, args.length);
        // What prints for people (help, the configuration) stays free of the service's startup lines.
        boolean printOnly = HELP.contains(command) || command.equals("config");
        if (!printOnly) {
            log.atInfo().setMessage("{} {} (commit {}, built {}) on Skiff {}, Java {}")
                    .addArgument(serviceName).addArgument(app.version()).addArgument(app.shortCommit())
                    .addArgument(app.buildTime()).addArgument(skiff.version()).addArgument(Runtime.version())
                    .addKeyValue("commit", app.commit()).addKeyValue("build_time", app.buildTime())
                    .addKeyValue("skiff.version", skiff.version()).log();
            log.atInfo().setMessage("configuration: {}").addArgument(configuration.summary()).log();
        }
        configuration.warnings().forEach(warning -> log.warn("configuration: {}", warning));

        var launch = new Launch(log, serviceName, settings, prepared.shutdown(), prepared.health(), prepared.platform(),
                true);
        var metrics = new Metrics(launch::activeRequests);
        DatabasePool pool = settings.database().target()
                .map(target -> new DatabasePool(settings.database(), target, metrics.registry(), launch::fatal))
                .orElse(null);
        var builder = new App(configuration, metrics.registry(), pool == null ? null : pool.dataSource(), null);
        try {
            setup.accept(builder);
        } catch (ConfigException e) {
            exitOnConfigProblems(e);
            return;
        } catch (RuntimeException e) {
            log.atError().setMessage("{} could not be set up: {}").addArgument(serviceName).addArgument(e.toString())
                    .setCause(e).log();
            Logging.stop();
            System.exit(1);
            return;
        }
        App.Parts parts = builder.parts();
        if (!printOnly && parts.databaseWanted && pool == null) {
            exitOnConfigProblems(new ConfigException(List.of(App.missingDatabase())));
            return;
        }

        if (HELP.contains(command)) {
            System.out.print(Commands.help(jarName(application), parts));
            System.out.flush();
            Logging.stop();
            System.exit(0);
        } else if (command.equals("config")) {
            System.out.print(Commands.config(configuration));
            System.out.flush();
            Logging.stop();
            System.exit(0);
        } else if (command.equals("check")) {
            launch.exitAfter(() -> Commands.check(configuration, pool, System.out));
        } else if (command.equals("serve")) {
            var info = info(fields, app, skiff);
            launch.serve("serve", parts, settings.http(), settings.management().port().orElse(null), pool, metrics, info);
        } else if (parts.processes.containsKey(command)) {
            var processApp = new App(configuration, metrics.registry(), pool == null ? null : pool.dataSource(), command);
            try {
                parts.processes.get(command).value().accept(processApp);
            } catch (ConfigException e) {
                exitOnConfigProblems(e);
                return;
            }
            if (processApp.parts().databaseWanted && pool == null) {
                exitOnConfigProblems(new ConfigException(List.of(App.missingDatabase())));
                return;
            }
            // A process type has no routes: the management endpoints go on MANAGEMENT_PORT, or on PORT.
            CoreSettings.Http http = settings.http();
            int port = settings.management().port().orElse(http.port());
            var management = new CoreSettings.Http(http.host(), port, http.maxBodySize(), http.maxBufferedBodies(), false,
                    http.maxConcurrentRequests(), http.requestHeadTimeout(), http.bodyReadTimeout(), http.requestTimeout(),
                    http.writeTimeout());
            launch.serve(command, processApp.parts(), management, null, pool, metrics, info(fields, app, skiff));
        } else if (parts.commands.containsKey(command)) {
            launch.command(command, parts.commands.get(command).value(), commandArgs, pool);
        } else {
            System.err.println("Unknown command \"" + command + "\". " + Commands.names(parts)
                    + "\nRun with --help for what each does.");
            System.err.flush();
            Logging.stop();
            System.exit(Commands.USAGE);
        }
    }

    private static final java.util.Set<String> HELP = java.util.Set.of("help", "--help", "-h");

    private static Map<String, Object> info(Map<String, String> fields, BuildInfo app, BuildInfo skiff) {
        var info = new LinkedHashMap<String, Object>();
        info.put("service", fields);
        info.put("build", Map.of("version", app.version(), "commit", app.commit(), "time", app.buildTime()));
        info.put("skiff", Map.of("version", skiff.version()));
        info.put("java", Map.of("version", Runtime.version().toString(), "vendor", System.getProperty("java.vendor", "")));
        info.put("started_at", java.time.Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString());
        return Map.copyOf(info);
    }

    /** {@return how the user started this program, for usage lines: {@code java -jar notes.jar}} */
    private static String jarName(Class<?> application) {
        try {
            Path location = Path.of(application.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.getFileName() != null && location.getFileName().toString().endsWith(".jar")) {
                return "java -jar " + location.getFileName();
            }
        } catch (Exception e) {
            // fall through: a class directory or an unusual class loader
        }
        return "java " + application.getName();
    }

    /**
     * Starts the service in this JVM and returns once it is ready: for tests, which need the
     * service on a free port with settings of their own, and a way to stop it. Nothing here reads
     * the process's environment, system properties or {@code .env} file, installs signal handlers
     * or ends the JVM; the returned service stops when closed. Most tests use
     * {@code dev.skiff.testing.SkiffExtension}, which calls this.
     *
     * @param settings the configuration, by environment-variable name ({@code NOTES_API_TOKEN}) or
     *     key ({@code notes.api-token}); {@code PORT} is 0 (a free port) unless given
     * @param setup the same setup the service's {@code main} passes to {@link #run}
     * @return the started service
     * @throws ConfigException when the settings are invalid
     * @throws dev.skiff.lifecycle.StartupException when a component fails to start
     */
    public static RunningService start(Map<String, String> settings, Consumer<App> setup) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(setup, "setup");
        Class<?> application = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        var env = new LinkedHashMap<String, String>();
        var keys = new LinkedHashMap<String, String>();
        settings.forEach((name, value) -> (name.contains(".") ? keys : env).put(name, value));
        if (!env.containsKey("PORT") && !env.containsKey("HTTP_PORT") && !keys.containsKey("http.port")) {
            env.put("PORT", "0");
        }
        Prepared prepared;
        try {
            prepared = prepare(application, env, keys, isolatedDirectory());
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("could not prepare the service: " + e.getMessage(), e);
        }
        Configuration configuration = prepared.configuration();
        Logging.configure(prepared.logSettings(), prepared.fields(), configuration::secretValues);
        Logger log = LoggerFactory.getLogger(Skiff.class);
        log.atInfo().setMessage("configuration: {}").addArgument(configuration.summary()).log();
        configuration.warnings().forEach(warning -> log.warn("configuration: {}", warning));

        var launch = new Launch(log, prepared.serviceName(), prepared.settings(), prepared.shutdown(),
                prepared.health(), prepared.platform(), false);
        var metrics = new Metrics(launch::activeRequests);
        CoreSettings coreSettings = prepared.settings();
        DatabasePool pool = coreSettings.database().target()
                .map(target -> new DatabasePool(coreSettings.database(), target, metrics.registry(), launch::fatal))
                .orElse(null);
        var builder = new App(configuration, metrics.registry(), pool == null ? null : pool.dataSource(), null);
        setup.accept(builder);
        if (builder.parts().databaseWanted && pool == null) {
            metrics.close();
            throw new ConfigException(List.of(App.missingDatabase()));
        }
        Launch.Assembled service = launch.assemble(builder.parts(), coreSettings.http(),
                coreSettings.management().port().orElse(null), pool, metrics,
                info(prepared.fields(), prepared.app(), prepared.skiff()));
        try {
            service.lifecycle().start(coreSettings.startup().timeout());
        } catch (RuntimeException e) {
            service.lifecycle().shutdown();
            metrics.close();
            throw e;
        }
        return new RunningService(service.lifecycle(), service.server(), metrics, configuration);
    }

    /** A directory with no {@code .env}, so a test's configuration is only what it gives. */
    private static Path isolatedDirectory() {
        try {
            Path dir = Files.createTempDirectory("skiff-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the launcher derives from the configuration before the application is set up. */
    private record Prepared(Configuration configuration, CoreSettings settings, LogSettings logSettings,
                            HealthSettings health, ShutdownSettings shutdown, Platform platform,
                            Map<String, String> fields, String serviceName, BuildInfo app, BuildInfo skiff) {}

    private static Prepared prepare(Class<?> application, Map<String, String> env, Map<String, String> sysprops,
            Path workDir) {
        Platform platform = Platform.detect(env);
        Configuration configuration = Configuration.load(env, sysprops, workDir);
        // Every block is bound before any problem is reported, so one report lists them all.
        List<ConfigProblem> problems = new ArrayList<>();
        var settings = new CoreSettings(
                bind(configuration, "service", CoreSettings.Service.class, problems),
                bind(configuration, "http", CoreSettings.Http.class, problems),
                bind(configuration, "management", CoreSettings.Management.class, problems),
                bind(configuration, "database", CoreSettings.Database.class, problems),
                bind(configuration, "startup", CoreSettings.Startup.class, problems),
                bind(configuration, "shutdown", CoreSettings.Shutdown.class, problems));
        LogSettings logSettings = bind(configuration, "log", LogSettings.class, problems);
        HealthSettings healthSettings = bind(configuration, "health", HealthSettings.class, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        ShutdownSettings shutdownSettings = shutdownSettings(settings.shutdown(), platform);

        BuildInfo app = BuildInfo.of(application);
        BuildInfo skiff = BuildInfo.of(Skiff.class);
        String serviceName = settings.service().name()
                .orElse(app.name().equals("unknown") ? application.getSimpleName() : app.name());
        var fields = new LinkedHashMap<String, String>();
        fields.put("service.name", serviceName);
        fields.put("service.version", app.version());
        settings.service().environment().ifPresent(environment -> fields.put("service.environment", environment));
        hostName(env).ifPresent(host -> fields.put("service.node.name", host));
        return new Prepared(configuration, settings, logSettings, healthSettings, shutdownSettings, platform,
                java.util.Collections.unmodifiableMap(fields), serviceName, app, skiff);
    }

    private static ShutdownSettings shutdownSettings(CoreSettings.Shutdown configured, Platform platform) {
        Duration drainDelay = configured.drainDelay().orElse(platform.drainDelay());
        Duration timeout = configured.timeout().orElse(platform.defaultTimeout());
        try {
            return new ShutdownSettings(drainDelay, timeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigProblem("shutdown", "SHUTDOWN_DRAIN_DELAY, SHUTDOWN_TIMEOUT",
                    "drain-delay " + drainDelay.toMillis() + " ms, timeout " + timeout.toMillis() + " ms on "
                            + platform.name(), e.getMessage())));
        }
    }

    private static <T extends Record> T bind(Configuration configuration, String path, Class<T> type,
            List<ConfigProblem> problems) {
        try {
            return configuration.bind(path, type);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static void exitOnConfigProblems(ConfigException e) {
        System.err.println(e.getMessage());
        System.err.flush();
        System.exit(ConfigException.EXIT_CODE);
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

    private static Map<String, String> systemProperties() {
        var out = new LinkedHashMap<String, String>();
        System.getProperties().forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
