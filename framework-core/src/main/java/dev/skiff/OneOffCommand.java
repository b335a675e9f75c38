package dev.skiff;

import dev.skiff.internal.Signals;
import dev.skiff.jdbc.internal.DatabasePool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the application's commands, run to its exit status with the database pool and no HTTP:
 * on its own thread, so that a signal interrupts it and, if it does not stop within
 * {@code shutdown.timeout}, the launcher exits anyway.
 */
final class OneOffCommand {

    /** What a command that outlives its signal's budget is taken to have returned. */
    private static final int TIMED_OUT = Integer.MIN_VALUE;
    private static final Logger log = LoggerFactory.getLogger(Skiff.class);

    private OneOffCommand() {}

    /** Runs a one-off command with the database pool; SIGTERM or SIGINT interrupts it. */
    static int run(Startup.Service service, String name, List<String> args) {
        Command command = service.app().commands().get(name).value();
        DatabasePool pool = service.pool();
        Duration budget = service.shutdown().timeout();
        var outcome = new CompletableFuture<Integer>();
        var signal = new AtomicReference<String>();
        long begin = System.nanoTime();
        Thread runner = Thread.ofPlatform().name("skiff-command").unstarted(() -> {
            try {
                if (pool != null) {
                    pool.startFailFast();
                }
                outcome.complete(command.run(args));
            } catch (InterruptedException e) {
                outcome.complete(1);
            } catch (Exception | Error e) {
                if (signal.get() == null) {
                    log.atError().setMessage("command {} failed: {}").addArgument(name).addArgument(e.toString())
                            .setCause(e).addKeyValue("exit_code", 1).log();
                }
                outcome.complete(1);
            }
        });
        boolean handled = Signals.handle(received -> {
            if (signal.compareAndSet(null, received)) {
                log.atInfo().setMessage("received SIG{}: shutting down").addArgument(received)
                        .addKeyValue("signal", "SIG" + received).log();
                runner.interrupt();
                outcome.completeOnTimeout(TIMED_OUT, budget.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                log.atInfo().setMessage("received SIG{} while the command stops: it goes on stopping unchanged")
                        .addArgument(received).addKeyValue("signal", "SIG" + received).log();
            }
        });
        if (!handled) {
            // Without signal handling the JVM's own runs the hooks: interrupt the command, then wait
            // for run() to end the process.
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-jvm-exit").unstarted(() -> {
                if (signal.compareAndSet(null, "TERM")) {
                    runner.interrupt();
                    outcome.completeOnTimeout(TIMED_OUT, budget.toMillis(), TimeUnit.MILLISECONDS);
                }
                Launch.sleep(budget.plus(Launch.EXIT_GRACE));
            }));
        }
        log.atInfo().setMessage("running command {} {}").addArgument(name).addArgument(args)
                .addKeyValue("command", name).log();
        runner.start();
        int exitCode = outcome.join();
        stopQuietly(pool);
        String stoppedBy = signal.get();
        if (stoppedBy == null) {
            log.atInfo().setMessage("command {} finished with status {} in {} ms").addArgument(name)
                    .addArgument(exitCode).addArgument(millisSince(begin)).addKeyValue("exit_code", exitCode).log();
            return exitCode;
        }
        int signalled = stoppedBy.equals("INT") ? 130 : 143;
        if (exitCode == TIMED_OUT) {
            log.atError().setMessage("command {} did not stop within {} ms of SIG{}; exiting anyway")
                    .addArgument(name).addArgument(budget.toMillis()).addArgument(stoppedBy)
                    .addKeyValue("exit_code", signalled).log();
        } else {
            log.atWarn().setMessage("command {} stopped by SIG{} after {} ms").addArgument(name)
                    .addArgument(stoppedBy).addArgument(millisSince(begin)).addKeyValue("exit_code", signalled).log();
        }
        exitCode = signalled;
        return exitCode;
    }

    private static void stopQuietly(DatabasePool pool) {
        if (pool == null) {
            return;
        }
        try {
            pool.stop();
        } catch (Exception e) {
            log.atWarn().setMessage("closing the database pool failed: {}").addArgument(e.toString()).log();
        }
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
