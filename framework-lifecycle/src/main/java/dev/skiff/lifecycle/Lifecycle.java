package dev.skiff.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in order, stops them in reverse, and holds the service's health state.
 *
 * <p>The state is read from any thread and changed only by {@link #start()} and
 * {@link #shutdown()}. Shutdown runs one bounded sequence: readiness down, the drain delay,
 * then every component in reverse, all inside {@link ShutdownSettings#timeout()}.
 */
public final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final ShutdownSettings settings;
    private final List<Component> components = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    private final List<Consumer<HealthState>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ShutdownResult> shutdown = new CompletableFuture<>();
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private volatile HealthState state = HealthState.STARTING;
    private volatile String currentStep = "drain";

    private Lifecycle(ShutdownSettings settings) {
        this.settings = settings;
    }

    /**
     * Creates a lifecycle in state {@link HealthState#STARTING}.
     *
     * @param settings the drain delay and the shutdown budget
     * @return a lifecycle with no components
     */
    public static Lifecycle create(ShutdownSettings settings) {
        return new Lifecycle(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Adds a component; it starts after those registered before it and stops before them.
     *
     * @param component the component
     * @return this lifecycle
     */
    public synchronized Lifecycle register(Component component) {
        if (state != HealthState.STARTING) {
            throw new IllegalStateException("components are registered before start; the lifecycle is " + state);
        }
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /**
     * Calls {@code listener} on every later change of state, on the thread making the change.
     *
     * @param listener told the new state, such as {@link HealthState#DRAINING}
     */
    public void onStateChange(Consumer<HealthState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** {@return the current state} */
    public HealthState state() {
        return state;
    }

    /**
     * Starts every component in order, then moves to {@link HealthState#READY}.
     *
     * @throws StartupException if one fails; those already started are stopped in reverse first
     */
    public void start() {
        List<Component> toStart;
        synchronized (this) {
            toStart = List.copyOf(components);
        }
        for (Component component : toStart) {
            if (shutdownRequested.get()) {
                return;
            }
            long begin = System.nanoTime();
            try {
                component.start();
            } catch (Exception | LinkageError e) {
                log.atError().setMessage("component {} failed to start after {} ms: {}")
                        .addArgument(component.name()).addArgument(millisSince(begin)).addArgument(e.toString())
                        .addKeyValue("component", component.name()).setCause(e).log();
                stopStarted();
                setState(HealthState.STOPPED);
                throw new StartupException(component.name(), e);
            }
            synchronized (this) {
                started.add(component);
            }
            log.atInfo().setMessage("started {} in {} ms").addArgument(component.name())
                    .addArgument(millisSince(begin)).addKeyValue("component", component.name()).log();
        }
        setState(HealthState.READY);
    }

    /**
     * Shuts down once, whatever the number of callers: readiness down, the drain delay, then every
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
        Thread worker = Thread.ofPlatform().name("skiff-shutdown-steps").daemon(true)
                .unstarted(() -> runSteps(begin));
        worker.start();
        try {
            return shutdown.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            var result = new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin),
                    Optional.of(currentStep), List.of());
            shutdown.complete(result);
            log.atError().setMessage("shutdown budget of {} ms ran out while '{}' was still running")
                    .addArgument(settings.timeout().toMillis()).addArgument(currentStep)
                    .addKeyValue("step", currentStep).log();
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.of(currentStep), List.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the shutdown sequence failed", e.getCause());
        }
    }

    private void runSteps(long begin) {
        setState(HealthState.DRAINING);
        log.atInfo().setMessage("draining: readiness is down, serving for {} ms more")
                .addArgument(settings.drainDelay().toMillis()).log();
        if (!settings.drainDelay().isZero()) {
            try {
                Thread.sleep(settings.drainDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> failures = stopStarted();
        setState(HealthState.STOPPED);
        shutdown.complete(new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), Optional.empty(), failures));
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
