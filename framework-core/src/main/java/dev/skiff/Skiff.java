package dev.skiff;

import dev.skiff.config.ConfigException;
import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.internal.BuildInfo;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.HttpServer;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.lifecycle.ShutdownResult;
import dev.skiff.lifecycle.ShutdownSettings;
import dev.skiff.lifecycle.StartupException;
import dev.skiff.logging.LogSettings;
import dev.skiff.logging.Logging;
import java.lang.management.ManagementFactory;
import java.io.IOException;
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
 * configures logging, lets the application add its routes and components, starts them, binds
 * HTTP on {@code HOST:PORT}, and shuts everything down in order on SIGTERM or SIGINT.
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
     * @param setup adds the application's routes and components
     */
    public static void run(String[] args, Consumer<App> setup) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(setup, "setup");
        Class<?> application = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();

        Configuration configuration;
        CoreSettings settings;
        LogSettings logSettings;
        ShutdownSettings shutdownSettings;
        try {
            configuration = Configuration.load(System.getenv(), systemProperties(), Path.of(""));
            // Every block is bound before any problem is reported, so one report lists them all.
            List<ConfigProblem> problems = new ArrayList<>();
            settings = new CoreSettings(
                    bind(configuration, "service", CoreSettings.Service.class, problems),
                    bind(configuration, "http", CoreSettings.Http.class, problems),
                    bind(configuration, "management", CoreSettings.Management.class, problems),
                    bind(configuration, "database", CoreSettings.Database.class, problems));
            logSettings = bind(configuration, "log", LogSettings.class, problems);
            shutdownSettings = bind(configuration, "shutdown", ShutdownSettings.class, problems);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        } catch (ConfigException e) {
            exitOnConfigProblems(e);
            return;
        }

        BuildInfo app = BuildInfo.of(application);
        BuildInfo skiff = BuildInfo.of(Skiff.class);
        String serviceName = settings.service().name()
                .orElse(app.name().equals("unknown") ? application.getSimpleName() : app.name());
        var fields = new LinkedHashMap<String, String>();
        fields.put("service.name", serviceName);
        fields.put("service.version", app.version());
        settings.service().environment().ifPresent(env -> fields.put("service.environment", env));
        hostName().ifPresent(host -> fields.put("service.node.name", host));
        Logging.configure(logSettings, fields, configuration::secretValues);

        Logger log = LoggerFactory.getLogger(Skiff.class);
        log.atInfo().setMessage("{} {} (commit {}, built {}) on Skiff {}, Java {}")
                .addArgument(serviceName).addArgument(app.version()).addArgument(app.shortCommit())
                .addArgument(app.buildTime()).addArgument(skiff.version()).addArgument(Runtime.version())
                .addKeyValue("commit", app.commit()).addKeyValue("build_time", app.buildTime())
                .addKeyValue("skiff.version", skiff.version()).log();

        log.atInfo().setMessage("configuration: {}").addArgument(configuration.summary()).log();
        configuration.warnings().forEach(warning -> log.warn("configuration: {}", warning));

        Lifecycle lifecycle = Lifecycle.create(shutdownSettings);
        var builder = new App(configuration, lifecycle);
        try {
            setup.accept(builder);
        } catch (ConfigException e) {
            exitOnConfigProblems(e);
            return;
        }
        Duration inFlightBudget = shutdownSettings.timeout().minus(shutdownSettings.drainDelay());
        lifecycle.register(new HttpServer(settings.http(), builder.routes(), lifecycle::state, inFlightBudget));

        Thread hook = Thread.ofPlatform().name("skiff-shutdown").unstarted(() -> {
            ShutdownResult result = lifecycle.shutdown();
            if (result.clean()) {
                log.atInfo().setMessage("stopped cleanly in {} ms").addArgument(result.took().toMillis()).log();
            } else {
                log.atError().setMessage("stopped with problems after {} ms: abandoned {}, failures {}")
                        .addArgument(result.took().toMillis())
                        .addArgument(result.abandonedStep().orElse("nothing"))
                        .addArgument(result.failures()).log();
            }
            Logging.stop();
            // Ends the process with our status rather than the JVM's 143/130 for a signal.
            Runtime.getRuntime().halt(result.clean() ? 0 : 1);
        });
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            lifecycle.start();
        } catch (StartupException e) {
            log.atError().setMessage("{} did not start: {}").addArgument(serviceName)
                    .addArgument(e.getMessage()).log();
            Runtime.getRuntime().removeShutdownHook(hook);
            Logging.stop();
            System.exit(1);
        }
        if (lifecycle.state() != HealthState.READY) {
            return; // a signal arrived during startup; the shutdown hook is ending the process
        }
        // The JVM's own clock: a process's start time from /proc is only precise to the second.
        long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
        log.atInfo().setMessage("started in {} ms").addArgument(startedMs)
                .addKeyValue("startup_ms", startedMs).log();
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
    private static Optional<String> hostName() {
        String fromEnv = System.getenv("HOSTNAME");
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
