package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.CheckResult;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthSettings;
import dev.skiff.lifecycle.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A set of named checks run concurrently, each with a timeout, with one shared run at a time and
 * its answer reused for a while: a storm of probes runs each check at most once per cache period.
 */
public final class HealthChecks {

    private static final ExecutorService RUNNER =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-health-", 0).factory());

    private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();
    private final HealthSettings settings;
    private CompletableFuture<Map<String, CheckResult>> running;
    private long ranAt;

    /**
     * Creates an empty set.
     *
     * @param settings the timeout per check and how long answers are reused
     */
    public HealthChecks(HealthSettings settings) {
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
        checks.forEach((name, check) -> futures.put(name, runOne(check)));
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, CheckResult> results = new LinkedHashMap<>();
            futures.forEach((name, future) -> results.put(name, future.join()));
            return results;
        });
    }

    private CompletableFuture<CheckResult> runOne(HealthCheck check) {
        long begin = System.nanoTime();
        long timeoutMs = settings.checkTimeout().toMillis();
        return CompletableFuture.supplyAsync(() -> {
            try {
                check.check();
                return new CheckResult(HealthStatus.UP, millisSince(begin), null);
            } catch (Exception | LinkageError | StackOverflowError e) {
                return new CheckResult(HealthStatus.DOWN, millisSince(begin), describe(e));
            }
        }, RUNNER).completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS).thenApply(result -> result != null
                ? result
                : new CheckResult(HealthStatus.DOWN, millisSince(begin), "timed out after " + timeoutMs + " ms"));
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
