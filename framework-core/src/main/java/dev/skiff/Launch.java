package dev.skiff;

import dev.skiff.internal.CoreSettings;
import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.internal.HttpServer;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.Platform;
import dev.skiff.internal.Signals;
import dev.skiff.jdbc.internal.DatabasePool;
import dev.skiff.lifecycle.HealthSettings;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.lifecycle.ShutdownResult;
import dev.skiff.lifecycle.ShutdownSettings;
import dev.skiff.lifecycle.StartupException;
import dev.skiff.logging.Logging;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/** Runs what the command line asked for, to its exit status: the service, a process type or a command. */
final class Launch {

    private final Logger log;
    private final String serviceName;
    private final CoreSettings settings;
    private final ShutdownSettings shutdownSettings;
    private final HealthSettings healthSettings;
    private final Platform platform;
    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private final AtomicReference<String> firstSignal = new AtomicReference<>();
    /** Set when the process must end with a failure whatever the shutdown's outcome. */
    private final AtomicBoolean failed = new AtomicBoolean();
    /** Whether this launch owns the process (run from main) or shares it (started by a test). */
    private final boolean ownsProcess;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>();

    /** A service put together and ready to start. */
    record Assembled(Lifecycle lifecycle, HttpServer server) {}

    Launch(Logger log, String serviceName, CoreSettings settings, ShutdownSettings shutdownSettings,
            HealthSettings healthSettings, Platform platform, boolean ownsProcess) {
        this.ownsProcess = ownsProcess;
        this.log = log;
        this.serviceName = serviceName;
        this.settings = settings;
        this.shutdownSettings = shutdownSettings;
        this.healthSettings = healthSettings;
        this.platform = platform;
    }

    int activeRequests() {
        HttpServer current = server.get();
        return current == null ? 0 : current.activeRequests();
    }

    /** Ends the process through the shutdown sequence, with status 1, because of {@code reason}. */
    void fatal(String reason) {
        log.atError().setMessage("{}; stopping").addArgument(reason).addKeyValue("exit_code", 1).log();
        failed.set(true);
        if (ownsProcess) {
            Thread.ofPlatform().name("skiff-exit").start(() -> System.exit(1));
        } else {
            Lifecycle current = lifecycle.get();
            if (current != null) {
                Thread.ofPlatform().name("skiff-stop").start(current::shutdown);
            }
        }
    }

    /** Puts the service together: the pool first, then the application's parts, HTTP last. */
    Assembled assemble(App.Parts parts, CoreSettings.Http http, Integer managementPort, DatabasePool pool,
            Metrics metrics, Map<String, Object> info) {
        Lifecycle created = Lifecycle.create(shutdownSettings, healthSettings);
        lifecycle.set(created);
        if (pool != null) {
            // First in, last out: the pool starts before the application's components and closes
            // after HTTP has drained and the components have stopped.
            created.register(pool);
            created.readinessCheck("database", pool::check);
        }
        parts.registerInto(created);
        // What is left of the shutdown budget after the drain delay goes to requests in flight, less
        // a reserve for the components and the pool to stop in: a request that will not finish (a
        // client dribbling its body, a stuck call) must not use up the time of the steps after it.
        Duration remaining = shutdownSettings.timeout().minus(shutdownSettings.drainDelay());
        Duration reserve = remaining.dividedBy(4).compareTo(Duration.ofSeconds(2)) < 0 ? remaining.dividedBy(4)
                : Duration.ofSeconds(2);
        Duration inFlightBudget = remaining.minus(reserve);
        // Each module answers the failures it owns; the HTTP server knows none of them.
        List<FailureMapping> failureMappings = pool == null ? List.of() : List.of(pool.failureMapping());
        var httpServer = new HttpServer(http, managementPort, parts.routes, created, metrics, info, inFlightBudget,
                failureMappings);
        server.set(httpServer);
        // Registered last, so it starts after every component and is the first to stop.
        created.register(httpServer);
        return new Assembled(created, httpServer);
    }

    /** Runs the service (or a process type) until a signal stops it. */
    void serve(String process, App.Parts parts, CoreSettings.Http http, Integer managementPort, DatabasePool pool,
            Metrics metrics, Map<String, Object> info) {
        logShutdownPlan();
        Assembled assembled = assemble(parts, http, managementPort, pool, metrics, info);
        Lifecycle lifecycle = assembled.lifecycle();
        HttpServer httpServer = assembled.server();

        Thread hook = Thread.ofPlatform().name("skiff-shutdown").unstarted(() -> {
            ShutdownResult result = lifecycle.shutdown();
            int exitCode = result.clean() && !failed.get() ? 0 : 1;
            if (result.clean()) {
                log.atInfo().setMessage("stopped cleanly in {} ms").addArgument(result.took().toMillis())
                        .addKeyValue("exit_code", exitCode).log();
            } else {
                log.atError().setMessage("stopped with problems after {} ms: abandoned {}, failures {}, {} requests active")
                        .addArgument(result.took().toMillis()).addArgument(result.abandonedStep().orElse("nothing"))
                        .addArgument(result.failures()).addArgument(httpServer.activeRequests())
                        .addKeyValue("exit_code", exitCode).addKeyValue("active_requests", httpServer.activeRequests())
                        .log();
            }
            Logging.stop();
            // Ends the process with our status rather than the JVM's 143/130 for a signal.
            Runtime.getRuntime().halt(exitCode);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        handleSignals();

        // Serving must not depend on whether the engine's threads happen to be daemons: this one
        // keeps the JVM alive until the shutdown hook halts it.
        Thread.ofPlatform().name("skiff-keepalive").daemon(false).start(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            lifecycle.start(settings.startup().timeout());
        } catch (StartupException e) {
            log.atError().setMessage("{} did not start: {}").addArgument(serviceName).addArgument(e.getMessage())
                    .addKeyValue("component", e.component()).addKeyValue("exit_code", 1).setCause(e.getCause()).log();
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
        if (process.equals("serve")) {
            log.atInfo().setMessage("started in {} ms").addArgument(startedMs).addKeyValue("startup_ms", startedMs).log();
        } else {
            log.atInfo().setMessage("started {} in {} ms").addArgument(process).addArgument(startedMs)
                    .addKeyValue("process", process).addKeyValue("startup_ms", startedMs).log();
        }
    }

    /** Runs a one-off command with the database pool, and exits with its status. */
    void command(String name, Command command, List<String> args, DatabasePool pool) {
        Thread runner = Thread.currentThread();
        var done = new CountDownLatch(1);
        var status = new AtomicInteger(1);
        var ending = new AtomicBoolean();
        long begin = System.nanoTime();

        Thread hook = Thread.ofPlatform().name("skiff-shutdown").unstarted(() -> {
            if (!ending.compareAndSet(false, true)) {
                return; // the command finished and is ending the process itself
            }
            runner.interrupt();
            boolean finished = await(done, shutdownSettings.timeout());
            String signal = firstSignal.get();
            int exitCode = signal == null ? status.get() : signal.equals("INT") ? 130 : 143;
            if (!finished) {
                log.atError().setMessage("command {} did not stop within {} ms of SIG{}; exiting anyway")
                        .addArgument(name).addArgument(shutdownSettings.timeout().toMillis()).addArgument(signal)
                        .addKeyValue("exit_code", exitCode).log();
            } else {
                log.atWarn().setMessage("command {} stopped by SIG{} after {} ms").addArgument(name)
                        .addArgument(signal).addArgument(millisSince(begin)).addKeyValue("exit_code", exitCode).log();
            }
            stopQuietly(pool);
            Logging.stop();
            Runtime.getRuntime().halt(exitCode);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        handleSignals();

        log.atInfo().setMessage("running command {} {}").addArgument(name).addArgument(args)
                .addKeyValue("command", name).log();
        int exitCode;
        try {
            if (pool != null) {
                pool.startFailFast();
            }
            exitCode = command.run(args);
        } catch (InterruptedException e) {
            exitCode = 1;
        } catch (Exception e) {
            exitCode = 1;
            if (firstSignal.get() == null) {
                log.atError().setMessage("command {} failed: {}").addArgument(name).addArgument(e.getMessage())
                        .setCause(e).addKeyValue("exit_code", 1).log();
            }
        }
        status.set(exitCode);
        done.countDown();
        if (!ending.compareAndSet(false, true)) {
            return; // a signal arrived: the shutdown hook ends the process
        }
        stopQuietly(pool);
        log.atInfo().setMessage("command {} finished with status {} in {} ms").addArgument(name).addArgument(exitCode)
                .addArgument(millisSince(begin)).addKeyValue("exit_code", exitCode).log();
        Logging.stop();
        Runtime.getRuntime().halt(exitCode);
    }

    /** Runs a built-in command that reports to stdout, and exits with its status. */
    void exitAfter(Callable<Integer> builtIn) {
        int exitCode;
        try {
            exitCode = builtIn.call();
        } catch (Exception e) {
            log.atError().setMessage("failed: {}").addArgument(e.getMessage()).setCause(e).log();
            exitCode = 1;
        }
        System.out.flush();
        Logging.stop();
        Runtime.getRuntime().halt(exitCode);
    }

    private void handleSignals() {
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
    }

    private void logShutdownPlan() {
        log.atInfo().setMessage("shutdown on SIGTERM: drain {} ms, all within {} ms; {} kills after {} s")
                .addArgument(shutdownSettings.drainDelay().toMillis()).addArgument(shutdownSettings.timeout().toMillis())
                .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds())
                .addKeyValue("shutdown.drain_delay_ms", shutdownSettings.drainDelay().toMillis())
                .addKeyValue("shutdown.timeout_ms", shutdownSettings.timeout().toMillis()).log();
        if (shutdownSettings.timeout().compareTo(platform.killWindow()) >= 0) {
            log.atWarn().setMessage("shutdown.timeout ({} ms) does not fit in the {} s that {} waits before killing"
                    + " the process: requests in flight may be cut; set SHUTDOWN_TIMEOUT below {} s")
                    .addArgument(shutdownSettings.timeout().toMillis()).addArgument(platform.killWindow().toSeconds())
                    .addArgument(platform.name()).addArgument(platform.killWindow().toSeconds()).log();
        }
    }

    private void stopQuietly(DatabasePool pool) {
        if (pool == null) {
            return;
        }
        try {
            pool.stop();
        } catch (Exception e) {
            log.atWarn().setMessage("closing the database pool failed: {}").addArgument(e.toString()).log();
        }
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
