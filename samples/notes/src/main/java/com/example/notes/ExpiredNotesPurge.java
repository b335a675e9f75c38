package com.example.notes;

import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// snippet:component
/**
 * A periodic job as a component: every period it deletes the notes whose expiry has passed. It
 * stops scheduling as soon as the service starts draining, and says how much it did when it stops.
 */
public final class ExpiredNotesPurge implements Component {

    private static final Logger log = LoggerFactory.getLogger(ExpiredNotesPurge.class);

    private final NoteStore notes;
    private final Duration every;
    private final AtomicLong purged = new AtomicLong();
    private ScheduledExecutorService scheduler;

    /**
     * Creates the job.
     *
     * @param notes where the notes are
     * @param every how often to purge
     */
    public ExpiredNotesPurge(NoteStore notes, Duration every) {
        this.notes = notes;
        this.every = every;
    }

    @Override
    public String name() {
        return "purge";
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("notes-purge").factory());
        scheduler.scheduleWithFixedDelay(this::purge, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops taking new work as soon as readiness goes down.
     *
     * @param state the service's new state
     */
    public void onStateChange(HealthState state) {
        if (state == HealthState.DRAINING && scheduler != null) {
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
            throw new IllegalStateException("the purge of expired notes is not scheduled");
        }
    }

    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        log.atInfo().setMessage("purged {} expired notes since start").addArgument(purged.get())
                .addKeyValue("notes_purged", purged.get()).log();
    }

    private void purge() {
        try {
            int deleted = notes.purgeExpired(Instant.now());
            purged.addAndGet(deleted);
            if (deleted > 0) {
                log.atInfo().setMessage("purged {} expired notes").addArgument(deleted)
                        .addKeyValue("notes_purged", deleted).log();
            }
        } catch (Exception e) {
            // The next run tries again; a scheduled task that throws would never run again.
            log.atWarn().setMessage("purging expired notes failed: {}").addArgument(e.toString()).log();
        }
    }
}
// end:component
