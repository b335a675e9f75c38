package dev.skiff;

import dev.skiff.config.ConfigurationException;
import dev.skiff.http.internal.HttpServer;
import dev.skiff.http.internal.RouteTable;
import dev.skiff.http.drain.internal.TrafficAwareDrain;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Platform;
import dev.skiff.internal.Signals;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.ShutdownResult;
import dev.skiff.lifecycle.StartupException;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import dev.skiff.lifecycle.internal.StopSequence;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what the command line asked for, to its exit status: the service, a process type, a
 * command, or one of the launcher's own. Nothing here ends the process; {@link Skiff#run} does,
 * with the status returned.
 */
final class Launch {

    /** The exit status of a command line that names no command (sysexits.h EX_USAGE). */
    static final int USAGE = 64;
    /** How long a failed start may take to say so after its rollback has ended the lifecycle. */
    private static final Duration START_SETTLES = Duration.ofMillis(500);
    /** How long a shutdown hook waits, once the sequence is over, for {@link Skiff#run} to end the process. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private final Logger log = LoggerFactory.getLogger(Skiff.class);
    private final Startup.Service service;

    Launch(Startup.Service service) {
        this.service = service;
    }

    /** A service put together and ready to start. */
    record Assembled(Lifecycle lifecycle, HttpServer server) {}

    /** Runs the invocation, set up with a valid configuration, to its exit status. */
    int run(Invocation invocation, String program) {
        if (!(invocation instanceof Invocation.Help || invocation instanceof Invocation.Config)) {
            logBanner();
        }
        for (String warning : service.configuration().warnings()) {
            log.warn("configuration: {}", warning);
        }
        for (String warning : service.unreadBlocks()) {
            log.warn("configuration: {}", warning);
        }
        if (!(invocation instanceof Invocation.Help)) {
            for (var unset : service.unsetSecrets()) {
                log.atInfo().setMessage("configuration: {} is not set; this process starts without it, and reading it"
                                + " fails naming {}").addArgument(unset.key()).addArgument(unset.envVar())
                        .addKeyValue("config.key", unset.key()).log();
            }
        }
        if (invocation instanceof Invocation.Serve) {
            // Ahead of the switch, which is bootstrapped at its first run (milliseconds of generated
            // code): a service's every start takes this way.
            return serve("serve", service.registry(), service.app().routeTable(), service.settings().http(),
                    service.settings().management().port().orElse(null), false);
        }
        return switch (invocation) {
            case Invocation.Serve serve -> serve("serve", service.registry(), service.app().routeTable(),
                    service.settings().http(), service.settings().management().port().orElse(null), false);
            case Invocation.Train train -> serve("serve", service.registry(), service.app().routeTable(),
                    service.settings().http(), service.settings().management().port().orElse(null), true);
            case Invocation.Process process -> process(process.name());
            case Invocation.RunCommand command -> OneOffCommand.run(service, command.name(), command.args());
            case Invocation.Help help -> print(Commands.help(program, service.app()));
            case Invocation.Config config -> print(service.configuration().describe());
            case Invocation.Check check -> OneOffCommand.check(service, System.out);
            case Invocation.Unknown unknown -> {
                System.err.println("Unknown command \"" + unknown.name() + "\". " + Commands.names(service.app())
                        + "\nRun with --help for what each does.");
                yield USAGE;
            }
        };
    }

    private void logBanner() {
        Startup.Identity who = service.identity();
        log.atInfo().setMessage("{} {} (commit {}, built {}) on Skiff {}, Java {}")
                .addArgument(who.name()).addArgument(who.app().version()).addArgument(who.app().shortCommit())
                .addArgument(who.app().buildTime()).addArgument(who.skiff().version()).addArgument(Runtime.version())
                .addKeyValue("commit", who.app().commit()).addKeyValue("build_time", who.app().buildTime())
                .addKeyValue("skiff.version", who.skiff().version()).log();
        log.atInfo().setMessage("configuration: {}").addArgument(service.configuration().summary()).log();
    }

    private static int print(String text) {
        System.out.print(text);
        return 0;
    }

    /** What the HTTP server's stop leaves of its share of the budget for closing its sockets. */
    private static final Duration SOCKETS_CLOSE = Duration.ofMillis(200);

    /**
     * Puts the process together: what its modules added first (the database's pool, tracing, the
     * clients), then its own components, HTTP last.
     */
    Assembled assemble(Registry registry, RouteTable routes, CoreSettings.Http http, Integer managementPort) {
        ShutdownSettings shutdown = service.shutdown();
        Lifecycle lifecycle = Lifecycle.create(shutdown, service.health());
        registry.registerInto(lifecycle);
        // What is left of the shutdown budget after the drain goes to requests in flight, less a
        // reserve for the components and the pool to stop in: a request that will not finish (a
        // client dribbling its body, a stuck call) must not use up the time of the steps after it.
        Supplier<Duration> inFlightBudget = () -> {
            Duration share = StopSequence.lessReserve(lifecycle.shutdownRemaining()).minus(SOCKETS_CLOSE);
            return share.isNegative() ? Duration.ZERO : share;
        };
        // Each module answers the failures it owns; the HTTP server knows none of them.
        var server = new HttpServer(http, managementPort, routes, lifecycle, service.metrics(), service.info(),
                inFlightBudget, registry.failureMappings(), service.tracing());
        if (shutdown.trafficAware()) {
            Platform platform = service.platform();
            lifecycle.drainWith(new TrafficAwareDrain(server.watch(), shutdown.drainDelay(), platform.name(),
                    platform.kubernetes()));
        }
        // A start that fails because a backing service is unavailable is tried again, as long as the
        // module that owns the service allows, while the server answers the probes.
        lifecycle.retryStart(registry::startWait, server.probesFirst());
        service.ending().serving(server);
        // Registered last, so it starts after every component and is the first to stop.
        lifecycle.register(server);
        return new Assembled(lifecycle, server);
    }

    /**
     * Runs the service or a process type until a signal, or a fatal failure, has stopped it; or,
     * training, until it has answered the training requests.
     */
    private int serve(String process, Registry registry, RouteTable routes, CoreSettings.Http http,
            Integer managementPort, boolean training) {
        logShutdownPlan();
        Assembled assembled = assemble(registry, routes, http, managementPort);
        Lifecycle lifecycle = assembled.lifecycle();
        Ending ending = service.ending();
        ending.stopsWith(() -> stopped(lifecycle.shutdown(), assembled.server(), ending));
        Signals.Outcome signals = Signals.handle(signal -> {
            if (!ending.stopRequested()) {
                log.atInfo().setMessage("received SIG{}: shutting down").addArgument(signal)
                        .addKeyValue("signal", "SIG" + signal).log();
                ending.stop();
            } else {
                log.atInfo().setMessage("received SIG{} during shutdown: the shutdown under way goes on unchanged")
                        .addArgument(signal).addKeyValue("signal", "SIG" + signal).log();
            }
        });
        if (signals == Signals.Outcome.KEPT_BY_JVM) {
            log.warn(Signals.KEPT_WARNING);
        } else if (signals == Signals.Outcome.HOOKS) {
            log.info("this JVM offers no signal handling (jdk.unsupported); SIGTERM stops the service through"
                    + " the JVM's shutdown hook, unnamed");
        }
        // The JVM exiting by other means (System.exit elsewhere, or signals the JVM handles itself)
        // runs the same sequence; run() then ends the process. Should it not (its thread gone), the
        // JVM's own exit goes on after a few seconds.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-jvm-exit").unstarted(() -> {
            ending.stop();
            ending.status().join();
            sleep(EXIT_GRACE);
        }));
        // Started on a thread of its own, so that a stop during a long start ends the process within
        // the shutdown's budget rather than the startup's.
        var started = new CompletableFuture<Void>();
        Thread.ofPlatform().name("skiff-start").start(() -> {
            try {
                lifecycle.start(service.settings().startup().timeout());
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        CompletableFuture.anyOf(started, ending.status()).exceptionally(e -> null).join();
        if (ending.status().isDone()) {
            // A start that failed rolls back and ends the lifecycle's shutdown itself, just before it
            // throws: give it that moment, so the failure is reported and the status is 1.
            started.completeOnTimeout(null, START_SETTLES.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
            if (!started.isCompletedExceptionally()) {
                return ending.status().join();
            }
        }
        try {
            started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            String component = cause instanceof StartupException failed ? failed.component() : "startup";
            Throwable reason = cause instanceof StartupException ? cause.getCause() : cause;
            // A secret this process reads and the configuration does not give: a configuration problem.
            ConfigurationException configuration = dev.skiff.internal.Causes.configuration(reason);
            int exitCode = configuration != null ? ConfigurationException.EXIT_CODE : 1;
            var line = log.atError().setMessage("{} did not start: {}").addArgument(service.identity().name())
                    .addArgument(configuration != null ? configuration.getMessage() : cause.getMessage())
                    .addKeyValue("component", component).addKeyValue("exit_code", exitCode);
            (configuration != null ? line : line.setCause(reason)).log();
            if (ending.stopRequested()) {
                ending.status().join();
            }
            return exitCode;
        }
        service.metrics().bindJvmMeters();
        if (lifecycle.state() == HealthState.READY) {
            // The JVM's own clock: a process's start time from /proc is only precise to the second.
            long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
            var line = log.atInfo().addKeyValue("startup_ms", startedMs);
            if (process.equals("serve")) {
                line.setMessage("started in {} ms").addArgument(startedMs).log();
            } else {
                line.setMessage("started {} in {} ms").addArgument(process).addArgument(startedMs)
                        .addKeyValue("process", process).log();
            }
            if (training) {
                Training.exercise(assembled.server(), routes);
                ending.stop();
            }
        }
        return ending.status().join();
    }

    private int stopped(ShutdownResult result, HttpServer server, Ending ending) {
        int exitCode = result.clean() && !ending.failed() ? 0 : 1;
        if (result.clean()) {
            log.atInfo().setMessage("stopped cleanly in {} ms").addArgument(result.took().toMillis())
                    .addKeyValue("exit_code", exitCode).log();
        } else {
            log.atError().setMessage("stopped with problems after {} ms: abandoned {}, failures {}, {} requests active")
                    .addArgument(result.took().toMillis()).addArgument(result.abandonedStep().orElse("nothing"))
                    .addArgument(result.failures()).addArgument(server.activeRequests())
                    .addKeyValue("exit_code", exitCode).addKeyValue("active_requests", server.activeRequests()).log();
        }
        return exitCode;
    }

    /** A process type: its own components and checks, the management endpoints, no routes. */
    private int process(String name) {
        CoreSettings.Http http = service.settings().http();
        int port = service.settings().management().port().orElse(http.port());
        return serve(name, service.registry(), new RouteTable(), http.managementOnly(port), null, false);
    }

    private void logShutdownPlan() {
        ShutdownSettings shutdown = service.shutdown();
        var platform = service.platform();
        String drain = !shutdown.trafficAware() ? shutdown.drainDelay().toMillis() + " ms"
                : "until the parties routing here notice (" + (shutdown.drainDelay().isZero() ? ""
                : "at least " + shutdown.drainDelay().toMillis() + " ms, ") + "at most "
                + shutdown.maxDrain().toMillis() + " ms)";
        log.atInfo().setMessage("shutdown on SIGTERM: drain {}, all within {} ms; {} kills after {} s")
                .addArgument(drain).addArgument(shutdown.timeout().toMillis())
                .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds())
                .addKeyValue("shutdown.drain_delay_ms", shutdown.drainDelay().toMillis())
                .addKeyValue("shutdown.drain_max_ms", shutdown.maxDrain().toMillis())
                .addKeyValue("shutdown.drain_watches_traffic", shutdown.trafficAware())
                .addKeyValue("shutdown.timeout_ms", shutdown.timeout().toMillis()).log();
        if (shutdown.trafficAware() && shutdown.timeout().minus(shutdown.maxDrain()).compareTo(Duration.ofSeconds(1)) < 0
                && !shutdown.drainDelay().isZero()) {
            log.atWarn().setMessage("the drain's floor of {} ms on {} leaves {} ms of shutdown.timeout for the requests"
                    + " in flight and the components: raise SHUTDOWN_GRACE_PERIOD (with terminationGracePeriodSeconds)"
                    + " or SHUTDOWN_TIMEOUT").addArgument(shutdown.drainDelay().toMillis()).addArgument(platform.name())
                    .addArgument(shutdown.timeout().minus(shutdown.maxDrain()).toMillis()).log();
        }
        if (shutdown.timeout().compareTo(platform.killWindow()) >= 0) {
            log.atWarn().setMessage("shutdown.timeout ({} ms) does not fit in the {} s that {} waits before killing"
                    + " the process: requests in flight may be cut; set SHUTDOWN_TIMEOUT below {} s, or, if the"
                    + " platform waits longer (terminationGracePeriodSeconds), set SHUTDOWN_GRACE_PERIOD to what it waits")
                    .addArgument(shutdown.timeout().toMillis()).addArgument(platform.killWindow().toSeconds())
                    .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds()).log();
        }
    }

    /** Waits, for a shutdown hook that leaves ending the process to {@link Skiff#run}. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
