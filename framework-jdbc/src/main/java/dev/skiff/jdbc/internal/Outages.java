package dev.skiff.jdbc.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What requests that found no database say in the log: a handful of lines per outage or busy
 * spell, whatever the load, and one line when the database answers again.
 */
final class Outages {

    private static final Logger log = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseSettings settings;
    /** Whether the database answers a session of its own, outside the pool. */
    private final BooleanSupplier answers;
    /** What a failure says for a person: the database, the failure, what to do. */
    private final Function<SQLException, String> explain;
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong failedInOutage = new AtomicLong();
    private final AtomicLong busyRequests = new AtomicLong();
    private final AtomicLong lastBusyWarning = new AtomicLong();
    private volatile Thread outageWatcher;
    private volatile boolean stopping;

    Outages(DatabaseSettings settings, BooleanSupplier answers, Function<SQLException, String> explain) {
        this.settings = settings;
        this.answers = answers;
        this.explain = explain;
    }

    /**
     * A request waited the whole connection timeout for a pooled connection while every one was in
     * use: the pool is too small for the load, or queries hold connections long. Logged at most
     * once a minute, with how many requests it happened to since the last line.
     */
    void busy(SQLException cause) {
        long busySince = busyRequests.incrementAndGet();
        long now = System.nanoTime();
        long last = lastBusyWarning.get();
        if ((last == 0 || now - last > Duration.ofMinutes(1).toNanos()) && lastBusyWarning.compareAndSet(last, now)) {
            busyRequests.set(0);
            log.atWarn().setMessage("every pooled database connection ({}) was in use for {} ms: {} requests answered 503"
                    + " since the last such line; raise DATABASE_POOL_SIZE if the database has room, or look for queries"
                    + " that hold connections long").addArgument(settings.poolSize())
                    .addArgument(settings.connectionTimeout().toMillis()).addArgument(busySince)
                    .addKeyValue("pool_size", settings.poolSize()).addKeyValue("failed_requests", busySince).log();
        }
    }

    /**
     * A request failed because the database cannot be reached. The first such failure begins an
     * outage: one warning, then a watcher that tries the database once a second and says when it
     * answers again, with how many requests failed meanwhile. Later failures of the same outage are
     * only counted, so an outage under load is two lines, not one per request.
     */
    void unavailable(SQLException cause) {
        failedInOutage.incrementAndGet();
        if (stopping || !outage.compareAndSet(false, true)) {
            return;
        }
        long began = System.nanoTime();
        log.atWarn().setMessage("{}; answering 503 to requests that need it until it answers again")
                .addArgument(explain.apply(cause)).addKeyValue("sql_state", DatabasePool.sqlState(cause)).log();
        outageWatcher = Thread.ofVirtual().name("skiff-database-outage").start(() -> watchOutage(began));
    }

    private void watchOutage(long began) {
        try {
            while (!stopping) {
                Thread.sleep(Duration.ofSeconds(1));
                if (answers.getAsBoolean()) {
                    long failed = failedInOutage.getAndSet(0);
                    outage.set(false);
                    log.atInfo().setMessage("the database answers again after {} ms; requests answered 503 meanwhile: {}")
                            .addArgument(Duration.ofNanos(System.nanoTime() - began).toMillis())
                            .addArgument(failed).addKeyValue("failed_requests", failed).log();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Begins an outage without a line of its own: the caller has said why (waiting at startup). */
    void beginQuietly() {
        outage.set(true);
    }

    /** {@return whether an outage is under way: the database is known not to answer} */
    boolean known() {
        return outage.get();
    }

    /** Ends the outage that {@link #beginQuietly()} began; returns how many requests failed in it. */
    long end() {
        long failed = failedInOutage.getAndSet(0);
        outage.set(false);
        return failed;
    }

    /** Stops watching an outage; later failures are the shutdown's and say nothing. */
    void stop() throws InterruptedException {
        stopping = true;
        Thread watching = outageWatcher;
        if (watching != null) {
            watching.interrupt();
            watching.join(Duration.ofSeconds(5));
        }
    }
}
