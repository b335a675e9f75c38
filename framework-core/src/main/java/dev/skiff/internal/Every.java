package dev.skiff.internal;

import dev.skiff.Task;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run every interval, as a component: one thread of its own, so runs never overlap (the
 * next wait begins when a run ends); each wait is the interval ± 10 %, so that replicas started
 * together spread out; a run that throws is logged and counted, and the next one runs on time. No
 * run begins once the process drains; stopping interrupts the run under way and waits for it
 * within the component's stop budget.
 */
public final class Every implements Component {

    private static final Logger log = LoggerFactory.getLogger(Every.class);
    private static final String METER = "scheduled.task.runs";

    private final String name;
    private final Duration interval;
    private final Task task;
    private final Timer succeeded;
    private final Timer failed;
    private final java.util.function.Consumer<String> fatal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean stopping;
    private long runs;
    private long failures;
    private Thread runner;

    /**
     * @param name the task's name, in logs and the {@code task} tag of {@code scheduled.task.runs}
     * @param interval the time between the end of one run and the start of the next, ± 10 %
     * @param task what runs
     * @param metrics where the runs are timed, by outcome
     * @param fatal ends the process: for a run that reads a setting the configuration does not give
     */
    public Every(String name, Duration interval, Task task, MeterRegistry metrics,
            java.util.function.Consumer<String> fatal) {
        this.name = name;
        this.fatal = fatal;
        this.interval = interval;
        this.task = task;
        this.succeeded = timer(metrics, "success");
        this.failed = timer(metrics, "failure");
    }

    private Timer timer(MeterRegistry metrics, String outcome) {
        return Timer.builder(METER).description("Runs of the process's scheduled tasks, by outcome")
                .tag("task", name).tag("outcome", outcome).register(metrics);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        runner = Thread.ofPlatform().name("skiff-every-" + name).daemon().start(this::loop);
    }

    /**
     * No run begins once the process drains: its requests are finishing, and so should its work.
     *
     * @param state the process's new state
     */
    public void onStateChange(HealthState state) {
        if (state == HealthState.DRAINING || state == HealthState.STOPPED) {
            halt();
        }
    }

    private void halt() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        halt();
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt(); // a run under way is asked to end early
            thread.join();
        }
        log.atInfo().setMessage("stopped task {} after {} runs, {} failed").addArgument(name).addArgument(runs)
                .addArgument(failures).addKeyValue("task", name).addKeyValue("task.runs", runs)
                .addKeyValue("task.failures", failures).log();
    }

    private void loop() {
        while (waitForNextRun()) {
            long begin = System.nanoTime();
            try {
                task.run();
                succeeded.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (stopping()) {
                    return; // stopped while it ran
                }
                failed(begin, e); // an interrupt of its own: a failed run, and the schedule goes on
            } catch (OutOfMemoryError e) {
                throw e; // the JVM's to handle (-XX:+ExitOnOutOfMemoryError)
            } catch (Exception | Error e) {
                failed(begin, e);
                if (Causes.configuration(e) != null) {
                    // Every run would fail the same way until the configuration changes: say so and stop.
                    fatal.accept("task " + name + " reads a setting the configuration does not give: " + e.getMessage());
                    return;
                }
            }
            runs++;
            // An interrupt the task left set is its own unless the process is stopping.
            if (Thread.interrupted() && stopping()) {
                return;
            }
        }
    }

    private void failed(long begin, Throwable e) {
        failed.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
        failures++;
        log.atWarn().setMessage("task {} failed (run {}): {}; it runs again in {}").addArgument(name)
                .addArgument(runs + 1).addArgument(e.toString()).addArgument(interval)
                .addKeyValue("task", name).setCause(e).log();
    }

    private boolean stopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether to run again} after waiting the interval ± 10 %, or false once stopping */
    private boolean waitForNextRun() {
        long wait = (long) (interval.toNanos() * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
        long deadline = System.nanoTime() + wait;
        lock.lock();
        try {
            while (!stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                changed.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
