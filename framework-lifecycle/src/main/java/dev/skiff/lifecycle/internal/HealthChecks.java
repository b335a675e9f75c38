package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.HealthCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of named checks run concurrently, each with a timeout, with one shared run at a time and
 * its answer reused for a while: a storm of probes runs each check at most once per cache period.
 *
 * <p>A failing check's answer says only {@code failed} (or that it timed out): probe bodies may be
 * public, and a check's exception can name hosts, users or worse. What it threw goes to the log,
 * once when the check goes down and once when it is up again, not on every probe.
 */
public final class HealthChecks {

    private static final ExecutorService RUNNER =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-health-", 0).factory());

    private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

    private final String kind;
    private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();
    private final Map<String, HealthStatus> lastStatus = new ConcurrentHashMap<>();
    private final HealthSettings settings;
    private CompletableFuture<Map<String, CheckResult>> running;
    private long ranAt;

    /**
     * Creates an empty set.
     *
     * @param kind what the checks are for, in log lines: {@code readiness} or {@code liveness}
     * @param settings the timeout per check and how long answers are reused
     */
    public HealthChecks(String kind, HealthSettings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    /** Adds a check; a name is used once. */
    public void add(String name, HealthCheck check) {
        if (checks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
        }
    }

    /** {@return each check's result by name, from a run no older than the cache time} */
    public Map<String, CheckResult> results() {
        if (checks.isEmpty()) {
            return Map.of();
        }
        CompletableFuture<Map<String, CheckResult>> run;
        synchronized (this) {
            long now = System.nanoTime();
            if (running == null || running.isDone() && now - ranAt > settings.cacheTtl().toNanos()) {
                ranAt = now;
                running = runAll();
            }
            run = running;
        }
        return run.join();
    }

    private CompletableFuture<Map<String, CheckResult>> runAll() {
        Map<String, CompletableFuture<CheckResult>> futures = new LinkedHashMap<>();
        checks.forEach((name, check) -> futures.put(name, runOne(name, check)));
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, CheckResult> results = new LinkedHashMap<>();
            futures.forEach((name, future) -> results.put(name, future.join()));
            return results;
        });
    }

    private CompletableFuture<CheckResult> runOne(String name, HealthCheck check) {
        long begin = System.nanoTime();
        long timeoutMs = settings.checkTimeout().toMillis();
        return CompletableFuture.supplyAsync(() -> {
            try {
                check.check();
                return up(name, begin);
            } catch (Exception | LinkageError | StackOverflowError e) {
                return down(name, begin, "failed", describe(e));
            }
        }, RUNNER).completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS).thenApply(result -> result != null
                ? result
                : down(name, begin, "timed out after " + timeoutMs + " ms", "timed out after " + timeoutMs + " ms"));
    }

    private CheckResult up(String name, long begin) {
        if (lastStatus.put(name, HealthStatus.UP) == HealthStatus.DOWN) {
            log.atInfo().setMessage("{} check '{}' is up again").addArgument(kind).addArgument(name)
                    .addKeyValue("check", name).log();
        }
        return new CheckResult(HealthStatus.UP, millisSince(begin), null);
    }

    private CheckResult down(String name, long begin, String answer, String detail) {
        if (lastStatus.put(name, HealthStatus.DOWN) != HealthStatus.DOWN) {
            log.atWarn().setMessage("{} check '{}' is down: {}").addArgument(kind).addArgument(name).addArgument(detail)
                    .addKeyValue("check", name).log();
        }
        return new CheckResult(HealthStatus.DOWN, millisSince(begin), answer);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e instanceof TimeoutException ? "timeout" : e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
