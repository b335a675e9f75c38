package dev.skiff.modules.internal;

import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.internal.Problem;
import dev.skiff.lifecycle.HealthCheck;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to the failures of a backing service that a module declared with
 * {@code backingService(name, check, unavailable)}: 503 with {@code Retry-After}, one WARN when an
 * outage begins, and one INFO, with how many requests failed meanwhile, when its check passes again
 * (tried once a second while the outage lasts).
 */
public final class Outage implements FailureMapping {

    private static final Logger log = LoggerFactory.getLogger("dev.skiff.BackingService");
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String name;
    private final HealthCheck check;
    private final Predicate<Throwable> unavailable;
    private final Duration checkTimeout;
    private volatile Thread watcher;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failedWhileDown = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param name the service's name
     * @param check passes when the service answers again
     * @param unavailable which failures mean the service is unavailable
     * @param checkTimeout the longest one try of {@code check} may take ({@code health.check-timeout})
     */
    public Outage(String name, HealthCheck check, Predicate<Throwable> unavailable, Duration checkTimeout) {
        this.name = name;
        this.check = check;
        this.unavailable = unavailable;
        this.checkTimeout = checkTimeout;
    }

    /** {@return whether a failure, or one of its causes or suppressed exceptions, means the service is unavailable} */
    public boolean owns(Throwable failure) {
        return find(failure).isPresent();
    }

    private Optional<Throwable> find(Throwable failure) {
        return Causes.find(failure, this::matches);
    }

    private boolean matches(Throwable t) {
        try {
            return unavailable.test(t);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A rule that fails says nothing about this failure; the request is answered as usual.
            return false;
        }
    }

    @Override
    public Optional<Problem> answer(Throwable failure) {
        Optional<Throwable> cause = find(failure);
        if (cause.isEmpty()) {
            return Optional.empty();
        }
        if (!down.compareAndSet(false, true)) {
            failedWhileDown.incrementAndGet();
        } else if (!stopped) {
            failedWhileDown.set(1);
            long began = System.nanoTime();
            log.atWarn().setMessage("{} is unavailable: {}; requests that need it are answered 503 until it answers"
                    + " again (said once per outage)").addArgument(name).addArgument(cause.get().toString())
                    .addKeyValue("service.target.name", name).log();
            watcher = Thread.ofVirtual().name("skiff-outage-" + name).start(() -> watch(began));
        }
        return Optional.of(Problem.retryLater(name + " is unavailable; try again shortly"));
    }

    private void watch(long began) {
        try {
            while (!stopped) {
                Thread.sleep(RETRY);
                if (!answers()) {
                    continue;
                }
                long failed = failedWhileDown.getAndSet(0);
                down.set(false);
                log.atInfo().setMessage("{} answers again after {} ms; requests answered 503 meanwhile: {}")
                        .addArgument(name).addArgument(Duration.ofNanos(System.nanoTime() - began).toMillis())
                        .addArgument(failed).addKeyValue("service.target.name", name)
                        .addKeyValue("failed_requests", failed).log();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@return whether the check passes within its timeout}: one that hangs is left behind, and counts as failing */
    private boolean answers() throws InterruptedException {
        var outcome = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread trying = Thread.ofVirtual().name("skiff-outage-check-" + name).start(() -> {
            try {
                check.check();
                outcome.complete(true);
            } catch (Throwable e) {
                outcome.complete(false);
            }
        });
        try {
            return outcome.get(checkTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            trying.interrupt();
            return false;
        }
    }

    /** Stops watching: the process is stopping, and later failures are the shutdown's. */
    public void stop() {
        stopped = true;
        Thread watching = watcher;
        if (watching != null) {
            watching.interrupt();
        }
    }
}
