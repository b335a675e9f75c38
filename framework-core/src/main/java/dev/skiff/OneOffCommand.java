package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.config.ConfigurationException;
import dev.skiff.internal.Signals;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.StartupException;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import dev.skiff.lifecycle.internal.StopSequence;
import dev.skiff.logging.internal.Logging;
import dev.skiff.modules.internal.BackingService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the application's commands, or {@code check}, run to its exit status with the modules'
 * components (the database's pool, the clients) and no HTTP: they start and stop through a
 * lifecycle of their own, as the service's do, and the command runs on its own thread, so that a
 * signal interrupts it and, if it does not stop within {@code shutdown.timeout}, the launcher
 * exits anyway.
 */
final class OneOffCommand {

    /** What a command that outlives its signal's budget is taken to have returned. */
    private static final int TIMED_OUT = Integer.MIN_VALUE;
    private static final Logger log = LoggerFactory.getLogger(Skiff.class);
    /** The longest {@code check} waits for one backing service to answer. */
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);

    private OneOffCommand() {}

    /** {@return a lifecycle of the process's modules' components, without a drain} */
    private static Lifecycle modules(Startup.Service service) {
        Lifecycle modules = Lifecycle.create(new ShutdownSettings(Duration.ZERO, service.shutdown().timeout()),
                service.health());
        service.registry().moduleComponents().forEach(modules::register);
        return modules;
    }

    /** Runs a one-off command with the modules' components; SIGTERM or SIGINT interrupts it. */
    static int run(Startup.Service service, String name, List<String> args) {
        Command command = service.app().commands().get(name).value();
        Lifecycle modules = modules(service);
        Duration budget = service.shutdown().timeout();
        var outcome = new CompletableFuture<Integer>();
        var signal = new AtomicReference<String>();
        var signalledAt = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        long begin = System.nanoTime();
        Thread runner = Thread.ofPlatform().name("skiff-command").unstarted(() -> {
            try {
                modules.start(service.settings().startup().timeout());
                outcome.complete(command.run(args));
            } catch (InterruptedException e) {
                outcome.complete(1);
            } catch (Exception | Error e) {
                ConfigurationException configuration = dev.skiff.internal.Causes.configuration(e);
                if (configuration != null && signal.get() == null) {
                    // A secret the command reads and the configuration does not give, or a late bind's problem.
                    log.atError().setMessage("command {} failed: {}").addArgument(name)
                            .addArgument(configuration.getMessage())
                            .addKeyValue("exit_code", ConfigurationException.EXIT_CODE).log();
                    outcome.complete(ConfigurationException.EXIT_CODE);
                    return;
                }
                if (signal.get() == null) {
                    log.atError().setMessage("command {} failed: {}").addArgument(name).addArgument(e.toString())
                            .setCause(e).addKeyValue("exit_code", 1).log();
                }
                outcome.complete(1);
            }
        });
        Signals.Outcome signals = Signals.handle(received -> {
            if (signal.compareAndSet(null, received)) {
                log.atInfo().setMessage("received SIG{}: shutting down").addArgument(received)
                        .addKeyValue("signal", "SIG" + received).log();
                signalledAt.set(System.nanoTime());
                runner.interrupt();
                // The command gets the budget less a reserve for the modules' components to stop in.
                outcome.completeOnTimeout(TIMED_OUT, StopSequence.lessReserve(budget).toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                log.atInfo().setMessage("received SIG{} while the command stops: it goes on stopping unchanged")
                        .addArgument(received).addKeyValue("signal", "SIG" + received).log();
            }
        });
        if (signals == Signals.Outcome.KEPT_BY_JVM) {
            log.warn(Signals.KEPT_WARNING);
        }
        if (signals != Signals.Outcome.HANDLED) {
            // Without signal handling the JVM's own runs the hooks: interrupt the command, then wait
            // for run() to end the process.
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-jvm-exit").unstarted(() -> {
                if (signal.compareAndSet(null, "TERM")) {
                    signalledAt.set(System.nanoTime());
                    runner.interrupt();
                    outcome.completeOnTimeout(TIMED_OUT, StopSequence.lessReserve(budget).toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                Launch.sleep(budget.plus(Launch.EXIT_GRACE));
            }));
        }
        log.atInfo().setMessage("running command {} {}").addArgument(name).addArgument(args)
                .addKeyValue("command", name).log();
        runner.start();
        int exitCode = outcome.join();
        long since = signalledAt.get();
        // After a signal, what is left of its budget: the whole stop fits in shutdown.timeout.
        modules.shutdown(since == Long.MIN_VALUE ? budget : budget.minusNanos(System.nanoTime() - since));
        String stoppedBy = signal.get();
        if (stoppedBy == null) {
            log.atInfo().setMessage("command {} finished with status {} in {} ms").addArgument(name)
                    .addArgument(exitCode).addArgument(millisSince(begin)).addKeyValue("exit_code", exitCode).log();
            return exitCode;
        }
        int signalled = stoppedBy.equals("INT") ? 130 : 143;
        if (exitCode == TIMED_OUT) {
            log.atError().setMessage("command {} did not stop within {} ms of SIG{}; exiting anyway")
                    .addArgument(name).addArgument(StopSequence.lessReserve(budget).toMillis()).addArgument(stoppedBy)
                    .addKeyValue("exit_code", signalled).log();
        } else {
            log.atWarn().setMessage("command {} stopped by SIG{} after {} ms").addArgument(name)
                    .addArgument(stoppedBy).addArgument(millisSince(begin)).addKeyValue("exit_code", signalled).log();
        }
        exitCode = signalled;
        return exitCode;
    }

    /**
     * Checks the configuration (already valid when this runs) and tries each backing service the
     * process declared once: the database, every service it calls over HTTP, each module's. The
     * modules' components start one by one, each through a lifecycle of its own, so that one whose
     * service is down is reported as such and the others are still tried.
     *
     * @return 0 when every backing service answered, 1 otherwise
     */
    static int check(Startup.Service service, PrintStream out) {
        Configuration configuration = service.configuration();
        Map<String, String> failedStarts = new LinkedHashMap<>();
        var started = new java.util.ArrayDeque<Lifecycle>();
        for (Component component : service.registry().moduleComponents()) {
            Lifecycle one = Lifecycle.create(new ShutdownSettings(Duration.ZERO, service.shutdown().timeout()),
                    service.health());
            one.register(component);
            try {
                one.start(service.settings().startup().timeout());
                started.push(one);
            } catch (StartupException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failedStarts.put(component.name(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
            }
        }
        Map<String, String> results = new LinkedHashMap<>();
        results.put("configuration", "OK (" + configuration.describe().lines().count() + " keys)");
        boolean ok = true;
        for (BackingService backing : service.registry().backingServices()) {
            String failedStart = failedStarts.remove(backing.name());
            if (failedStart != null) {
                ok = false;
                results.put(backing.name(), "FAILED: " + failedStart);
                continue;
            }
            String reached = reach(backing);
            ok &= reached.startsWith("OK: ");
            results.put(backing.name(), reached);
        }
        for (var failed : failedStarts.entrySet()) {
            ok = false;
            results.put(failed.getKey(), "FAILED: " + failed.getValue());
        }
        while (!started.isEmpty()) {
            started.pop().shutdown();
        }
        int width = results.keySet().stream().mapToInt(String::length).max().orElse(0);
        // What a service's failure says can quote its URL: its secrets are masked, as in the log.
        results.forEach((name, result) -> out.println(Logging.redacted(name + " ".repeat(width - name.length() + 2)
                + result)));
        out.println(ok ? "All checks passed." : "Some checks failed.");
        return ok ? 0 : 1;
    }

    /** {@return "OK: " and what answered, or "FAILED: " and why}, within {@link #REACH_TIMEOUT}: a check that hangs is left behind */
    private static String reach(BackingService backing) {
        var outcome = new CompletableFuture<String>();
        Thread trying = Thread.ofVirtual().name("skiff-check-" + backing.name()).start(() -> {
            try {
                outcome.complete("OK: " + backing.reach().call());
            } catch (Throwable e) {
                outcome.complete("FAILED: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        });
        try {
            return outcome.get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            trying.interrupt();
            return "FAILED: no answer within " + REACH_TIMEOUT.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "FAILED: interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            return "FAILED: " + e.getCause();
        }
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
