package com.example.notes;

import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthState;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// snippet:component
/**
 * A periodic job as a component: every period it logs how many people /hello greeted. It stops
 * scheduling when the service starts draining, and reports the rest when it stops.
 */
public final class GreetingReport implements Component {

    private static final Logger log = LoggerFactory.getLogger(GreetingReport.class);

    private final Duration every;
    private final AtomicLong greeted = new AtomicLong();
    private ScheduledExecutorService scheduler;

    /**
     * Creates the job.
     *
     * @param every how often to report
     */
    public GreetingReport(Duration every) {
        this.every = every;
    }

    /** Counts one greeting. */
    public void greeted() {
        greeted.incrementAndGet();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("greeting-report").factory());
        scheduler.scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops taking new work as soon as readiness goes down.
     *
     * @param state the service's new state
     */
    public void onStateChange(HealthState state) {
        if (state == HealthState.DRAINING) {
            scheduler.shutdown();
        }
    }

    /**
     * A readiness check: passes while the job is scheduled.
     *
     * @throws IllegalStateException when the job no longer runs
     */
    public void check() {
        if (scheduler == null || scheduler.isShutdown()) {
            throw new IllegalStateException("the greeting report is not scheduled");
        }
    }

    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        report();
    }

    private void report() {
        log.atInfo().setMessage("greeted {} people").addArgument(greeted.get())
                .addKeyValue("greetings", greeted.getAndSet(0)).log();
    }
}
// end:component
