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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in order, stops them in reverse, and holds the service's health.
 *
 * <p>One worker thread, {@code skiff-lifecycle}, runs the whole life: each component's start, then,
 * once a shutdown is asked for, the drain and each started component's stop. The state is read from
 * any thread and changed only by that worker. Each start and stop runs on a thread of its own
 * ({@link Step}) that the worker waits for within a budget: a component that hangs is named, left
 * behind, and the next step goes on — so the components after a hung {@code stop()} still stop.
 *
 * <p>A start that fails with a failure a module calls "backing service unavailable" (see
 * {@link #retryStart}) does not end the start: the component is started again with backoff, the
 * components after it wait their turn, and the service becomes ready by itself.
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
    /** What the caller of {@link #shutdown} waits beyond the budget for the worker to say it is done. */
    private static final Duration RESULT_GRACE = Duration.ofMillis(500);

    private final ShutdownSettings settings;
    private final HealthChecks readinessChecks;
    private final HealthChecks livenessChecks;
    private final List<Component> components = new ArrayList<>();
    /** The components started, in the order they started; touched only by the worker. */
    final List<Component> started = new ArrayList<>();
    private final StateListeners listeners = new StateListeners();
    /** What the stops threw, kept as suppressed on a failed start's exception. */
    private final List<Throwable> stopFailures = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> startOutcome = new CompletableFuture<>();
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<ShutdownResult> shutdown = new CompletableFuture<>();
    private volatile HealthState state = HealthState.STARTING;
    /** Set by the worker: the step under way, the start that waits for its backing service, one left behind. */
    volatile String currentStep = "drain";
    volatile String waitingFor;
    volatile String abandonedStart;
    private volatile Drain drain;
    private volatile boolean everReady;
    /** The shutdown's budget: {@link ShutdownSettings#timeout()}, or less when {@link #shutdown(Duration)} says so. */
    private volatile Duration budget;
    /** When the shutdown began, by {@link System#nanoTime()}; valid once {@link #shutdownTimed} is set. */
    private volatile long shutdownBegan;
    private volatile boolean shutdownTimed;
    private StartSequence.Retries retries = StartSequence.Retries.NONE;
    private Thread worker;

    private Lifecycle(ShutdownSettings settings, HealthSettings health) {
        this.settings = settings;
        this.budget = settings.timeout();
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
        checkNotStarted("components");
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /**
     * How long a start may wait for a backing service that is unavailable: at most {@code max}
     * (zero for not at all: a {@code fail-fast} policy), set by {@code setting}, which events name.
     */
    public record Wait(Duration max, String setting) {}

    /**
     * Starts again, with backoff, a component whose start failed with a failure that
     * {@code unavailable} calls a backing service unavailable, for as long as it says; the
     * components after it wait their turn. Without this, any failure ends the start.
     *
     * @param unavailable for a failure, how long to wait; empty when it is not a backing service
     *     being unavailable
     * @param openEarly started as soon as a start must wait, out of turn, so that the probes answer
     *     meanwhile (the HTTP server); or null. Its own turn still comes: its start is called again then.
     */
    public synchronized void retryStart(Function<Throwable, Optional<Wait>> unavailable, Component openEarly) {
        checkNotStarted("the start's retries");
        this.retries = new StartSequence.Retries(Objects.requireNonNull(unavailable, "unavailable"), openEarly);
    }

    private void checkNotStarted(String what) {
        if (worker != null) {
            throw new IllegalStateException(what + " are set before start; the lifecycle is " + state);
        }
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
     * Calls {@code listener} on every later change of state, on the lifecycle's worker; a
     * component uses it to stop taking work when the state becomes {@link HealthState#DRAINING}.
     *
     * @param listener told the new state
     */
    public void onStateChange(Consumer<HealthState> listener) {
        listeners.add(listener);
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
            return budget;
        }
        Duration left = budget.minusNanos(System.nanoTime() - shutdownBegan);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** {@return the current state} */
    public HealthState state() {
        return state;
    }

    /** {@return the component whose start waits for its backing service, if one does} */
    public Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
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
     * @param budget the longest the components may take to start, all together, not counting the
     *     time spent waiting for backing services (see {@link #retryStart})
     * @throws StartupException if one fails or the budget runs out; those already started are
     *     stopped in reverse first
     */
    public void start(Duration budget) {
        List<Component> toStart;
        synchronized (this) {
            if (worker != null) {
                throw new IllegalStateException("the lifecycle was started already");
            }
            toStart = List.copyOf(components);
            worker = Thread.ofPlatform().name("skiff-lifecycle").daemon(true).start(() -> live(toStart, budget));
        }
        try {
            startOutcome.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    /**
     * Shuts down as {@link #shutdown()} does, within {@code within} rather than the whole budget:
     * for a caller that has spent part of it already (a command that was asked to stop).
     *
     * @param within the most the shutdown may take, at most {@link ShutdownSettings#timeout()}
     * @return how the shutdown ended
     */
    public ShutdownResult shutdown(Duration within) {
        synchronized (this) {
            if (!stopRequested.isDone() && within.compareTo(settings.timeout()) < 0) {
                budget = within.isNegative() ? Duration.ZERO : within;
            }
        }
        return shutdown();
    }

    /**
     * Shuts down once, whatever the number of callers: readiness down, the drain, then every
     * started component in reverse, each within its share of the budget. Returns when done.
     *
     * @return how the shutdown ended; every caller gets the same result
     */
    public ShutdownResult shutdown() {
        synchronized (this) {
            if (stopRequested.isDone()) {
                log.info("shutdown is already under way; this request changes nothing");
                return awaitResult();
            }
            beganAt(System.nanoTime());
            stopRequested.complete(null);
            if (worker == null) {
                // Never started: the sequence still runs, for the listeners and the drain.
                startOutcome.complete(null);
                worker = Thread.ofPlatform().name("skiff-lifecycle").daemon(true).start(this::stopSequence);
            }
        }
        return awaitResult();
    }

    private ShutdownResult awaitResult() {
        Duration wait = shutdownRemaining().plus(RESULT_GRACE);
        try {
            return shutdown.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The worker bounds every step: reaching this means it is itself stuck.
            String step = currentStep;
            shutdown.complete(new ShutdownResult(budget, Optional.of(step), List.of()));
            log.atError().setMessage("shutdown budget of {} ms ran out while '{}' was still running")
                    .addArgument(budget.toMillis()).addArgument(step).addKeyValue("step", step).log();
            return shutdown.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ShutdownResult(Duration.ZERO, Optional.of(currentStep), List.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the shutdown sequence failed", e.getCause());
        }
    }

    /** The worker: start, then wait for the shutdown and run it. */
    private void live(List<Component> toStart, Duration budget) {
        try {
            if (new StartSequence(this, retries, stopRequested).run(toStart, budget)) {
                setState(HealthState.READY);
            }
            startOutcome.complete(null);
        } catch (StartupException e) {
            startOutcome.completeExceptionally(e);
            return;
        } catch (RuntimeException | Error e) {
            // Not a component's failure (the start sequence's own, or a rule it asked): what
            // started still stops, so that no port or thread outlives the failed start.
            StartupException failure = failStart(currentStep.replaceFirst("^start ", ""), e);
            startOutcome.completeExceptionally(failure);
            return;
        }
        stopRequested.join();
        stopSequence();
    }

    /** After a failed start: stops what started, and lets any later shutdown() return at once. */
    StartupException failStart(Component component, Throwable cause) {
        return failStart(component.name(), cause);
    }

    private StartupException failStart(String component, Throwable cause) {
        synchronized (this) {
            beganAt(System.nanoTime());
            stopRequested.complete(null);
        }
        stopStarted(System.nanoTime());
        var failure = new StartupException(component, cause);
        // What failed while rolling back is kept, after the failure that caused it.
        stopFailures.forEach(failure::addSuppressed);
        return failure;
    }

    /** Starts the clock of the shutdown budget, once. */
    private synchronized void beganAt(long begin) {
        if (!shutdownTimed) {
            shutdownBegan = begin;
            shutdownTimed = true;
        }
    }

    /** The shutdown proper: readiness down, the drain, then the stops. */
    private void stopSequence() {
        long begin = shutdownBegan;
        currentStep = "drain";
        setState(HealthState.DRAINING);
        try {
            StopSequence.drain(drain, everReady, settings, begin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The drain only decides when to go on: whatever it failed at, the components must stop.
            log.atError().setMessage("the drain failed; stopping now").setCause(e).log();
        }
        stopStarted(begin);
    }

    /** Stops every started component in reverse, then says the shutdown is over. */
    private ShutdownResult stopStarted(long begin) {
        ShutdownResult result = StopSequence.stop(started, this::shutdownRemaining, step -> currentStep = step, begin,
                stopFailures::add, Optional.ofNullable(abandonedStart));
        started.clear();
        currentStep = "done";
        setState(HealthState.STOPPED);
        shutdown.complete(result);
        return result;
    }

    private void setState(HealthState next) {
        if (next == HealthState.READY) {
            everReady = true;
        }
        state = next;
        Duration share = StopSequence.share(StopSequence.lessReserve(shutdownRemaining()), 4);
        listeners.tell(next, next == HealthState.READY ? StateListeners.BOUND
                : share.toMillis() < 100 ? Duration.ofMillis(100) : share);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
