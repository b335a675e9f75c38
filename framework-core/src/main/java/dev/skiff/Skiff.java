package dev.skiff;

import dev.skiff.config.ConfigurationException;
import dev.skiff.http.internal.XnioMBeans;
import dev.skiff.logging.internal.Logging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The launcher: the one call a service's {@code main} makes.
 *
 * <p>It loads the configuration, configures logging, lets the application add its routes,
 * components and checks, and reports every configuration problem at once (exit 78, before
 * anything starts). Then it runs what the command line asks for: the service (binds HTTP on
 * {@code HOST:PORT}, and on SIGTERM or SIGINT shuts everything down in order: readiness down, the
 * drain, HTTP drained, components stopped in reverse, logging flushed, exit 0), a process
 * type, a command, {@code check}, {@code config} or {@code --help}.
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
     * Runs what the command line asks for, then ends the process with its status.
     *
     * @param args the command-line arguments of {@code main}
     * @param setup adds the application's routes, components and health checks
     */
    public static void run(String[] args, Consumer<App> setup) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(setup, "setup");
        Class<?> application = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        XnioMBeans.skip(); // any process type may serve its management endpoints
        exit(launch(application, args.clone(), setup));
    }

    private static int launch(Class<?> application, String[] args, Consumer<App> setup) {
        Startup.Prepared prepared;
        try {
            prepared = Startup.setUp(application, System.getenv(), systemProperties(), Path.of(""), setup,
                    app -> Invocation.parse(args, app), Invocation.needsEverySecret(args),
                    Invocation.printsResult(args), true);
        } catch (ConfigurationException e) {
            System.err.println(e.getMessage()); // a file that cannot be parsed: nothing else can be read
            return ConfigurationException.EXIT_CODE;
        } catch (RuntimeException | Error e) {
            // Logging is configured here: a setup that throws with the configuration valid.
            // Held for a name only setup could tell: a command's stdout stays its own.
            Logging.release(!Boolean.FALSE.equals(Invocation.printsResult(args)));
            LoggerFactory.getLogger(Skiff.class).atError().setMessage("{} could not be set up: {}")
                    .addArgument(application.getSimpleName()).addArgument(e.toString()).setCause(e).log();
            return 1;
        }
        Invocation invocation = prepared.invocation();
        String program = program(application);
        if (invocation instanceof Invocation.Help) {
            System.out.print(Commands.help(program, prepared.app())); // usage needs no valid value
            return 0;
        }
        // instanceof rather than a switch over the two: a switch over types is bootstrapped at its
        // first run, milliseconds of generated code at every start.
        if (prepared instanceof Startup.Invalid invalid) {
            if (invocation instanceof Invocation.Config) {
                // What to fix is easier to see beside everything else that is set.
                System.out.print(invalid.configuration().describe());
            }
            System.err.println(new ConfigurationException(invalid.problems()).getMessage());
            return ConfigurationException.EXIT_CODE;
        }
        Startup.Service service = ((Startup.Ready) prepared).service();
        try {
            return new Launch(service).run(invocation, program);
        } catch (RuntimeException | Error e) {
            LoggerFactory.getLogger(Skiff.class).atError().setMessage("{} failed: {}")
                    .addArgument(service.identity().name()).addArgument(e.toString()).setCause(e).log();
            return 1;
        }
    }

    /** The one place the process ends: what was printed is flushed, logging is stopped last. */
    private static void exit(int status) {
        // What a command printed goes out, but a stdout nobody reads must not keep the process
        // alive: the flush may block, so it gets a second, then the process ends regardless.
        Thread flushing = Thread.ofPlatform().daemon().name("skiff-exit-flush").start(() -> {
            System.out.flush();
            System.err.flush();
        });
        try {
            flushing.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Logging.stop();
        // halt, not exit: the shutdown sequence has run already (or never started), and the JVM's
        // 143/130 for a signal would replace the status.
        Runtime.getRuntime().halt(status);
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
     * @throws ConfigurationException when the settings are invalid, with every problem
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
        Startup.Service service = switch (Startup.setUp(application, env, keys, isolatedDirectory(), setup,
                app -> new Invocation.Serve(), true, false, false)) {
            case Startup.Invalid invalid -> throw new ConfigurationException(invalid.problems());
            case Startup.Ready ready -> ready.service();
        };
        LoggerFactory.getLogger(Skiff.class).atInfo().setMessage("configuration: {}")
                .addArgument(service.configuration().summary()).log();
        Launch.Assembled assembled = new Launch(service).assemble(service.registry(), service.app().routeTable(),
                service.settings().http(), service.settings().management().port().orElse(null));
        service.ending().stopsWith(() -> assembled.lifecycle().shutdown().clean() ? 0 : 1);
        try {
            assembled.lifecycle().start(service.settings().startup().timeout());
        } catch (RuntimeException e) {
            assembled.lifecycle().shutdown();
            service.metrics().close();
            throw e;
        }
        service.metrics().bindJvmMeters();
        return new RunningService(assembled.lifecycle(), assembled.server(), service.metrics(),
                service.configuration());
    }

    /** A directory with no {@code .env}, so a test's configuration is only what it gives. */
    private static Path isolatedDirectory() {
        try {
            Path dir = Files.createTempDirectory("skiff-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create an empty working directory for the service", e);
        }
    }

    /** {@return how the user started this program, for usage lines: {@code java -jar notes.jar}} */
    private static String program(Class<?> application) {
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

    private static Map<String, String> systemProperties() {
        var out = new LinkedHashMap<String, String>();
        System.getProperties().forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
