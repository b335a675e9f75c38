package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.ShutdownResult;
import dev.skiff.lifecycle.StartupException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in order, stops them in reverse, and holds the service's health.
 *
 * <p>The state is read from any thread and changed only by {@link #start} and {@link #shutdown}.
 * Shutdown runs one bounded sequence: readiness down, the drain (a fixed delay, or a
 * {@link Drain} that watches the traffic), then every started component in reverse, all inside
 * {@link ShutdownSettings#timeout()}.
 *
 * <p>Longer than most classes here, on purpose: it is one state machine. Starting, the shutdown
 * sequence and what they share (the components started so far, the step a timeout names, the
 * state listeners are told) are in one place so that every transition can be read together; the
 * probes' checks are {@link HealthChecks}.
 *
 * {@snippet :
 * Lifecycle lifecycle = Lifecycle.create(shutdownSettings, HealthSettings.DEFAULTS);
 * lifecycle.register(Component.named("consumer", consumer::start));
 * lifecycle.readinessCheck("queue", () -> consumer.ping());
 * lifecycle.start(Duration.ofSeconds(60));
 * // ... on SIGTERM:
 * ShutdownResult result = lifecycle.shutdown();
 * }
 */
public final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final ShutdownSettings settings;
    private final HealthChecks readinessChecks;
    private final HealthChecks livenessChecks;
    private final List<Component> components = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    private final List<Consumer<HealthState>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ShutdownResult> shutdown = new CompletableFuture<>();
    private final AtomicBoolean startRequested = new AtomicBoolean();
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private final CountDownLatch startFinished = new CountDownLatch(1);
    private volatile HealthState state = HealthState.STARTING;
    private volatile String currentStep = "drain";
    private volatile Drain drain;
    private volatile boolean everReady;
    /** When the shutdown began, by {@link System#nanoTime()}; valid once {@link #shutdownTimed} is set. */
    private volatile long shutdownBegan;
    private volatile boolean shutdownTimed;
    private final List<Throwable> stopFailures = new CopyOnWriteArrayList<>();

    private Lifecycle(ShutdownSettings settings, HealthSettings health) {
        this.settings = settings;
        this.readinessChecks = new HealthChecks("readiness", health);
        this.livenessChecks = new HealthChecks("liveness", health);
    }

    /**
     * Creates a lifecycle in state {@link HealthState#STARTING}.
     *
     * @param settings the drain delay and the shutdown budget
     * @param health how health checks run
     * @return a lifecycle with no components
     */
    public static Lifecycle create(ShutdownSettings settings, HealthSettings health) {
        return new Lifecycle(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(health, "health"));
    }

    /**
     * Adds a component; it starts after those registered before it and stops before them.
     *
     * @param component the component
     * @return this lifecycle
     */
    public synchronized Lifecycle register(Component component) {
        if (startRequested.get()) {
            throw new IllegalStateException("components are registered before start; the lifecycle is " + state);
        }
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /**
     * Adds a check that readiness requires: while it fails, {@code /health/ready} answers 503 and
     * load balancers route elsewhere. Use it for backing services (a database, a queue).
     *
     * @param name the check's name in the probe's answer, such as {@code database}
     * @param check the check
     * @return this lifecycle
     */
    public Lifecycle readinessCheck(String name, HealthCheck check) {
        readinessChecks.add(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    /**
     * Adds a check that liveness requires: while it fails, {@code /health/live} answers 503 and the
     * platform restarts the process. Use it only for what a restart fixes (a deadlock, a wedged
     * event loop) — never for a backing service.
     *
     * @param name the check's name in the probe's answer
     * @param check the check
     * @return this lifecycle
     */
    public Lifecycle livenessCheck(String name, HealthCheck check) {
        livenessChecks.add(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    /**
     * Calls {@code listener} on every later change of state, on the thread making the change; a
     * component uses it to stop taking work when the state becomes {@link HealthState#DRAINING}.
     *
     * @param listener told the new state
     */
    public void onStateChange(Consumer<HealthState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Replaces the fixed drain delay with {@code drain}, which decides when the parties routing
     * here have noticed; it is asked only when the service was ready, within
     * {@link ShutdownSettings#maxDrain()}.
     *
     * @param drain the drain
     */
    public void drainWith(Drain drain) {
        this.drain = Objects.requireNonNull(drain, "drain");
    }

    /**
     * {@return what is left of the shutdown budget: all of it before the shutdown, never less than
     * zero}
     */
    public Duration shutdownRemaining() {
        if (!shutdownTimed) {
            return settings.timeout();
        }
        Duration left = settings.timeout().minusNanos(System.nanoTime() - shutdownBegan);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** {@return the current state} */
    public HealthState state() {
        return state;
    }

    /** {@return the readiness probe's answer: UP only when READY and every readiness check passes} */
    public HealthReport readiness() {
        HealthState now = state;
        Map<String, CheckResult> results = now == HealthState.READY ? readinessChecks.results() : Map.of();
        boolean up = now == HealthState.READY
                && results.values().stream().allMatch(r -> r.status() == HealthStatus.UP);
        return new HealthReport(up ? HealthStatus.UP : HealthStatus.DOWN, now, results);
    }

    /** {@return the liveness probe's answer: UP unless a liveness check fails} */
    public HealthReport liveness() {
        Map<String, CheckResult> results = livenessChecks.results();
        boolean up = results.values().stream().allMatch(r -> r.status() == HealthStatus.UP);
        return new HealthReport(up ? HealthStatus.UP : HealthStatus.DOWN, state, results);
    }

    /** {@return the startup probe's answer: UP once startup has finished} */
    public HealthReport started() {
        HealthState now = state;
        return new HealthReport(now == HealthState.STARTING ? HealthStatus.DOWN : HealthStatus.UP, now, Map.of());
    }

    /**
     * Starts every component in order, then moves to {@link HealthState#READY}. Returns early,
     * without READY, when a shutdown was requested meanwhile.
     *
     * @param budget the longest the components may take to start, all together
     * @throws StartupException if one fails or the budget runs out; those already started are
     *     stopped in reverse first
     */
    public void start(Duration budget) {
        if (!startRequested.compareAndSet(false, true)) {
            throw new IllegalStateException("the lifecycle was started already");
        }
        var outcome = new CompletableFuture<Void>();
        Thread starter = Thread.ofPlatform().name("skiff-startup").daemon(true).unstarted(() -> {
            try {
                startAll();
                outcome.complete(null);
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            } finally {
                startFinished.countDown();
            }
        });
        starter.start();
        try {
            outcome.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String hung = currentStep;
            log.atError().setMessage("startup did not finish within {} ms: '{}' is still running")
                    .addArgument(budget.toMillis()).addArgument(hung).addKeyValue("step", hung).log();
            stopAfterFailedStart();
            var failure = new StartupException(hung.replaceFirst("^start ", ""),
                    new TimeoutException("did not start within " + budget.toMillis() + " ms"));
            stopFailures.forEach(failure::addSuppressed);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(currentStep, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    private void startAll() {
        List<Component> toStart;
        synchronized (this) {
            toStart = List.copyOf(components);
        }
        for (Component component : toStart) {
            if (shutdownRequested.get()) {
                log.info("shutdown requested during startup; not starting the remaining components");
                return;
            }
            currentStep = "start " + component.name();
            long begin = System.nanoTime();
            try {
                component.start();
            } catch (Exception | Error e) {
                // A step of the timeline; the caller reports the failure itself, with its stack,
                // from the StartupException, so the failure is one error event.
                log.atWarn().setMessage("component {} failed to start after {} ms: {}")
                        .addArgument(component.name()).addArgument(millisSince(begin)).addArgument(e.toString())
                        .addKeyValue("component", component.name()).log();
                stopAfterFailedStart();
                var failure = new StartupException(component.name(), e);
                // What failed while rolling back is kept, after the failure that caused it.
                stopFailures.forEach(failure::addSuppressed);
                throw failure;
            }
            synchronized (this) {
                started.add(component);
            }
            log.atInfo().setMessage("started {} in {} ms").addArgument(component.name())
                    .addArgument(millisSince(begin)).addKeyValue("component", component.name()).log();
        }
        if (!shutdownRequested.get()) {
            setState(HealthState.READY);
        }
    }

    /**
     * Shuts down once, whatever the number of callers: readiness down, the drain, then every
     * started component in reverse. Returns when done or when the budget runs out.
     *
     * @return how the shutdown ended; every caller gets the same result
     */
    public ShutdownResult shutdown() {
        if (!shutdownRequested.compareAndSet(false, true)) {
            log.info("shutdown is already under way; this request changes nothing");
            return awaitResult();
        }
        long begin = System.nanoTime();
        beganAt(begin);
        Thread worker = Thread.ofPlatform().name("skiff-shutdown-steps").daemon(true)
                .unstarted(() -> runSteps(begin));
        worker.start();
        try {
            return shutdown.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String step = currentStep;
            var result = new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.of(step), List.of());
            shutdown.complete(result);
            log.atError().setMessage("shutdown budget of {} ms ran out while '{}' was still running")
                    .addArgument(settings.timeout().toMillis()).addArgument(step).addKeyValue("step", step).log();
            return shutdown.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.of(currentStep), List.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the shutdown sequence failed", e.getCause());
        }
    }

    /** After a failed start: stop what started, and let any later shutdown() return at once. */
    private void stopAfterFailedStart() {
        long begin = System.nanoTime();
        beganAt(begin);
        shutdownRequested.set(true);
        List<String> failures = stopStarted();
        setState(HealthState.STOPPED);
        shutdown.complete(new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.empty(), failures));
    }

    /** Starts the clock of the shutdown budget, once. */
    private synchronized void beganAt(long begin) {
        if (!shutdownTimed) {
            shutdownBegan = begin;
            shutdownTimed = true;
        }
    }

    private void runSteps(long begin) {
        try {
            if (startRequested.get() && startFinished.getCount() > 0) {
                log.info("waiting for the component that is starting to finish before stopping");
                startFinished.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        setState(HealthState.DRAINING);
        currentStep = "drain";
        try {
            drain(begin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The drain only decides when to go on: whatever it failed at, the components must stop.
            log.atError().setMessage("the drain failed; stopping now").setCause(e).log();
        }
        List<String> failures = stopStarted();
        setState(HealthState.STOPPED);
        shutdown.complete(new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.empty(), failures));
    }

    private void drain(long begin) throws InterruptedException {
        Drain watching = drain;
        if (watching == null) {
            log.atInfo().setMessage("draining: readiness is down, serving for {} ms more")
                    .addArgument(settings.drainDelay().toMillis()).log();
            if (!settings.drainDelay().isZero()) {
                Thread.sleep(settings.drainDelay());
            }
        } else if (!everReady) {
            log.info("draining: not needed, the service was never ready, so nothing routes here");
        } else {
            Duration left = settings.maxDrain().minusNanos(System.nanoTime() - begin);
            Duration max = left.isNegative() ? Duration.ZERO : left;
            log.atInfo().setMessage("draining: readiness is down, serving until the parties routing here have"
                    + " noticed, for {} ms at most").addArgument(max.toMillis()).log();
            watching.await(max);
        }
    }

    private List<String> stopStarted() {
        List<Component> toStop;
        synchronized (this) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        List<String> failures = new ArrayList<>();
        for (int i = toStop.size() - 1; i >= 0; i--) {
            Component component = toStop.get(i);
            currentStep = "stop " + component.name();
            long begin = System.nanoTime();
            try {
                component.stop();
                log.atInfo().setMessage("stopped {} in {} ms").addArgument(component.name())
                        .addArgument(millisSince(begin)).addKeyValue("component", component.name()).log();
            } catch (Exception | LinkageError e) {
                failures.add(component.name() + ": " + e);
                stopFailures.add(e);
                log.atError().setMessage("component {} failed to stop after {} ms")
                        .addArgument(component.name()).addArgument(millisSince(begin))
                        .addKeyValue("component", component.name()).setCause(e).log();
            }
        }
        currentStep = "done";
        return failures;
    }

    private ShutdownResult awaitResult() {
        try {
            return shutdown.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return new ShutdownResult(settings.timeout(), Optional.of(currentStep), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ShutdownResult(Duration.ZERO, Optional.of(currentStep), List.of());
        }
    }

    private void setState(HealthState next) {
        if (next == HealthState.READY) {
            everReady = true;
        }
        state = next;
        for (Consumer<HealthState> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                log.atWarn().setMessage("a state listener failed on {}").addArgument(next).setCause(e).log();
            }
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
