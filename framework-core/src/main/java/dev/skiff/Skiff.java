package dev.skiff;

import dev.skiff.config.ConfigException;
import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.internal.BuildInfo;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.HttpServer;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.Platform;
import dev.skiff.internal.Signals;
import dev.skiff.lifecycle.HealthSettings;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.lifecycle.ShutdownResult;
import dev.skiff.lifecycle.ShutdownSettings;
import dev.skiff.lifecycle.StartupException;
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
import java.util.concurrent.atomic.AtomicReference;
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
        Map<String, String> env = System.getenv();
        Platform platform = Platform.detect(env);

        Configuration configuration;
        CoreSettings settings;
        LogSettings logSettings;
        HealthSettings healthSettings;
        ShutdownSettings shutdownSettings;
        try {
            configuration = Configuration.load(env, systemProperties(), Path.of(""));
            // Every block is bound before any problem is reported, so one report lists them all.
            List<ConfigProblem> problems = new ArrayList<>();
            settings = new CoreSettings(
                    bind(configuration, "service", CoreSettings.Service.class, problems),
                    bind(configuration, "http", CoreSettings.Http.class, problems),
                    bind(configuration, "management", CoreSettings.Management.class, problems),
                    bind(configuration, "database", CoreSettings.Database.class, problems),
                    bind(configuration, "startup", CoreSettings.Startup.class, problems),
                    bind(configuration, "shutdown", CoreSettings.Shutdown.class, problems));
            logSettings = bind(configuration, "log", LogSettings.class, problems);
            healthSettings = bind(configuration, "health", HealthSettings.class, problems);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            shutdownSettings = shutdownSettings(settings.shutdown(), platform);
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
        settings.service().environment().ifPresent(environment -> fields.put("service.environment", environment));
        hostName(env).ifPresent(host -> fields.put("service.node.name", host));
        Logging.configure(logSettings, fields, configuration::secretValues);

        Logger log = LoggerFactory.getLogger(Skiff.class);
        log.atInfo().setMessage("{} {} (commit {}, built {}) on Skiff {}, Java {}")
                .addArgument(serviceName).addArgument(app.version()).addArgument(app.shortCommit())
                .addArgument(app.buildTime()).addArgument(skiff.version()).addArgument(Runtime.version())
                .addKeyValue("commit", app.commit()).addKeyValue("build_time", app.buildTime())
                .addKeyValue("skiff.version", skiff.version()).log();
        log.atInfo().setMessage("configuration: {}").addArgument(configuration.summary()).log();
        configuration.warnings().forEach(warning -> log.warn("configuration: {}", warning));
        logShutdownPlan(log, platform, shutdownSettings);

        Lifecycle lifecycle = Lifecycle.create(shutdownSettings, healthSettings);
        var server = new AtomicReference<HttpServer>();
        var metrics = new Metrics(() -> server.get() == null ? 0 : server.get().activeRequests());
        var builder = new App(configuration, lifecycle, metrics.registry());
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
        Duration inFlightBudget = shutdownSettings.timeout().minus(shutdownSettings.drainDelay());
        var info = new LinkedHashMap<String, Object>();
        info.put("service", fields);
        info.put("build", Map.of("version", app.version(), "commit", app.commit(), "time", app.buildTime()));
        info.put("skiff", Map.of("version", skiff.version()));
        info.put("java", Map.of("version", Runtime.version().toString(), "vendor", System.getProperty("java.vendor", "")));
        info.put("started_at", java.time.Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString());
        var http = new HttpServer(settings.http(), settings.management().port().orElse(null), builder.routes(),
                lifecycle, metrics, Map.copyOf(info), inFlightBudget);
        server.set(http);
        // Registered last, so it starts after every component and is the first to stop.
        lifecycle.register(http);

        Thread hook = Thread.ofPlatform().name("skiff-shutdown").unstarted(() -> {
            ShutdownResult result = lifecycle.shutdown();
            int exitCode = result.clean() ? 0 : 1;
            if (result.clean()) {
                log.atInfo().setMessage("stopped cleanly in {} ms").addArgument(result.took().toMillis())
                        .addKeyValue("exit_code", exitCode).log();
            } else {
                log.atError().setMessage("stopped with problems after {} ms: abandoned {}, failures {}, {} requests active")
                        .addArgument(result.took().toMillis()).addArgument(result.abandonedStep().orElse("nothing"))
                        .addArgument(result.failures()).addArgument(http.activeRequests())
                        .addKeyValue("exit_code", exitCode).addKeyValue("active_requests", http.activeRequests())
                        .log();
            }
            Logging.stop();
            // Ends the process with our status rather than the JVM's 143/130 for a signal.
            Runtime.getRuntime().halt(exitCode);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        var firstSignal = new AtomicReference<String>();
        Signals.handle(signal -> {
            if (firstSignal.compareAndSet(null, signal)) {
                log.atInfo().setMessage("received SIG{}: shutting down").addArgument(signal)
                        .addKeyValue("signal", "SIG" + signal).log();
                Thread.ofPlatform().name("skiff-exit").start(() -> System.exit(0));
            } else {
                log.atInfo().setMessage("received SIG{} during shutdown: the shutdown under way goes on unchanged")
                        .addArgument(signal).addKeyValue("signal", "SIG" + signal).log();
            }
        });

        // Serving must not depend on whether the engine's threads happen to be daemons: this one
        // keeps the JVM alive until the shutdown hook halts it.
        Thread.ofPlatform().name("skiff-keepalive").daemon(false).start(() -> {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            lifecycle.start(settings.startup().timeout());
        } catch (StartupException e) {
            log.atError().setMessage("{} did not start: {}").addArgument(serviceName).addArgument(e.getMessage())
                    .addKeyValue("component", e.component()).addKeyValue("exit_code", 1).log();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return; // a signal arrived meanwhile; the hook ends the process
            }
            Logging.stop();
            Runtime.getRuntime().halt(1);
        }
        if (lifecycle.state() != HealthState.READY) {
            return; // a signal arrived during startup; the shutdown hook ends the process
        }
        // The JVM's own clock: a process's start time from /proc is only precise to the second.
        long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
        log.atInfo().setMessage("started in {} ms").addArgument(startedMs).addKeyValue("startup_ms", startedMs).log();
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

    private static void logShutdownPlan(Logger log, Platform platform, ShutdownSettings shutdown) {
        log.atInfo().setMessage("shutdown on SIGTERM: drain {} ms, all within {} ms; {} kills after {} s")
                .addArgument(shutdown.drainDelay().toMillis()).addArgument(shutdown.timeout().toMillis())
                .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds())
                .addKeyValue("shutdown.drain_delay_ms", shutdown.drainDelay().toMillis())
                .addKeyValue("shutdown.timeout_ms", shutdown.timeout().toMillis()).log();
        if (shutdown.timeout().compareTo(platform.killWindow()) >= 0) {
            log.atWarn().setMessage("shutdown.timeout ({} ms) does not fit in the {} s that {} waits before killing"
                    + " the process: requests in flight may be cut; set SHUTDOWN_TIMEOUT below {} s")
                    .addArgument(shutdown.timeout().toMillis()).addArgument(platform.killWindow().toSeconds())
                    .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds()).log();
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
