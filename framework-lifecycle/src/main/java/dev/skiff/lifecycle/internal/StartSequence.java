package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.StartupException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start half of a {@link Lifecycle}, run by its worker: each component in turn, each within
 * what is left of the start's budget, and, while a component's backing service is unavailable,
 * the same component again with backoff, the ones after it waiting their turn.
 */
final class StartSequence {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    /** The first pause before a start is tried again; it doubles up to {@link #LONGEST_BACKOFF}. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(4);
    /** How often a start that keeps waiting says so again. */
    private static final Duration WAITING_REMINDER = Duration.ofSeconds(30);
    /** The longest the component that answers the probes may take to start out of turn. */
    private static final Duration OPENING = Duration.ofSeconds(10);

    /**
     * How a start that failed is tried again.
     *
     * @param unavailable for a failure that means a backing service is unavailable, how long a
     *     component may wait for it; empty for any other failure, which ends the start
     * @param openEarly the component that answers the probes, started out of turn the first time a
     *     start must wait; or null
     */
    record Retries(Function<Throwable, Optional<Lifecycle.Wait>> unavailable, Component openEarly) {
        static final Retries NONE = new Retries(failure -> Optional.empty(), null);
    }

    private final Lifecycle lifecycle;
    private final Retries retries;
    private final CompletableFuture<Void> stopRequested;
    private boolean openedEarly;

    StartSequence(Lifecycle lifecycle, Retries retries, CompletableFuture<Void> stopRequested) {
        this.lifecycle = lifecycle;
        this.retries = retries;
        this.stopRequested = stopRequested;
    }

    /**
     * Starts every component, within {@code budget} plus the time spent waiting for backing services.
     *
     * @return whether every component started; false when a shutdown was asked for meanwhile
     */
    boolean run(List<Component> components, Duration budget) {
        long deadline = Step.deadline(budget);
        for (Component component : components) {
            if (stopRequested.isDone()) {
                log.info("shutdown requested during startup; not starting the remaining components");
                return false;
            }
            Optional<Long> waited = startOne(component, deadline, budget);
            if (waited.isEmpty()) {
                return false;
            }
            deadline += waited.get();
        }
        return !stopRequested.isDone();
    }

    /**
     * Starts one component, again and again while its backing service is unavailable.
     *
     * @return the time spent waiting, which does not count against the start's budget; empty when
     *     a shutdown was asked for meanwhile
     * @throws StartupException when it fails otherwise, hangs, or waits too long
     */
    private Optional<Long> startOne(Component component, long deadline, Duration budget) {
        String step = "start " + component.name();
        lifecycle.currentStep = step;
        long begin = System.nanoTime();
        long waitingSince = 0;
        long lastSaid = 0;
        long waited = 0;
        int attempts = 0;
        long attemptBegan;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            attempts++;
            attemptBegan = System.nanoTime();
            Step.Outcome outcome = attempt(component, deadline + waited);
            if (outcome instanceof Step.Done) {
                break;
            }
            if (outcome instanceof Step.Abandoned) {
                lifecycle.waitingFor = null;
                if (stopRequested.isDone()) {
                    log.atError().setMessage("'{}' did not finish within its share of the shutdown budget: left"
                            + " behind; the components started before it stop now").addArgument(step)
                            .addKeyValue("step", step).log();
                    lifecycle.abandonedStart = step;
                    return Optional.empty();
                }
                log.atError().setMessage("startup did not finish within {} ms: '{}' is still running")
                        .addArgument(budget.toMillis()).addArgument(step).addKeyValue("step", step).log();
                throw lifecycle.failStart(component, new TimeoutException("did not start within " + budget.toMillis() + " ms"));
            }
            Throwable failure = ((Step.Failed) outcome).failure();
            Optional<Lifecycle.Wait> wait = retries.unavailable().apply(failure)
                    .filter(allowed -> allowed.max().isPositive());
            if (wait.isPresent() && stopRequested.isDone()) {
                // Asked to stop while an attempt ran: the wait ends here, as it would between attempts.
                log.atInfo().setMessage("shutdown requested while {} waited for its backing service")
                        .addArgument(component.name()).log();
                lifecycle.waitingFor = null;
                return Optional.empty();
            }
            if (wait.isEmpty()) {
                // A step of the timeline; the caller reports the failure itself, with its stack.
                log.atWarn().setMessage("component {} failed to start after {} ms: {}")
                        .addArgument(component.name()).addArgument(millisSince(begin)).addArgument(failure.toString())
                        .addKeyValue("component", component.name()).log();
                throw lifecycle.failStart(component, failure);
            }
            Duration maxWait = wait.get().max();
            String setting = wait.get().setting();
            long now = System.nanoTime();
            if (waitingSince == 0) {
                waitingSince = attemptBegan;
                lastSaid = now;
                lifecycle.waitingFor = component.name();
                log.atWarn().setMessage("{} cannot start yet, its backing service is unavailable: {}; the service is"
                        + " not ready and starts it again with backoff, for up to {} ms ({})")
                        .addArgument(component.name()).addArgument(failure.toString())
                        .addArgument(maxWait.toMillis()).addArgument(setting).addKeyValue("component", component.name()).log();
                openEarly();
            } else if (now - lastSaid >= WAITING_REMINDER.toNanos()) {
                lastSaid = now;
                log.atInfo().setMessage("{} still cannot start after {} attempts in {} ms: {}")
                        .addArgument(component.name()).addArgument(attempts)
                        .addArgument(Duration.ofNanos(now - waitingSince).toMillis()).addArgument(failure.toString())
                        .addKeyValue("component", component.name()).log();
            }
            long waitedSoFar = now - waitingSince;
            if (waitedSoFar >= maxWait.toNanos()) {
                lifecycle.waitingFor = null;
                log.atWarn().setMessage("component {} gave up waiting for its backing service after {} ms and {}"
                        + " attempts: {}").addArgument(component.name())
                        .addArgument(Duration.ofNanos(waitedSoFar).toMillis()).addArgument(attempts)
                        .addArgument(failure.toString()).addKeyValue("component", component.name()).log();
                var gaveUp = new TimeoutException("its backing service stayed unavailable for "
                        + Duration.ofNanos(waitedSoFar).toMillis() + " ms (" + setting + "): " + failure);
                gaveUp.initCause(failure);
                throw lifecycle.failStart(component, gaveUp);
            }
            if (!pause(Math.min(backoff.toNanos(), maxWait.toNanos() - waitedSoFar))) {
                log.atInfo().setMessage("shutdown requested while {} waited for its backing service")
                        .addArgument(component.name()).log();
                lifecycle.waitingFor = null;
                return Optional.empty();
            }
            backoff = backoff.plus(backoff).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.plus(backoff);
            // The failed attempt and the pause are waiting, not starting: the budget does not pay for them.
            waited += System.nanoTime() - attemptBegan;
        }
        lifecycle.started.add(component);
        lifecycle.waitingFor = null;
        var line = log.atInfo().addKeyValue("component", component.name());
        if (waitingSince == 0) {
            line.setMessage("started {} in {} ms").addArgument(component.name()).addArgument(millisSince(begin)).log();
        } else {
            line.setMessage("started {} in {} ms, after waiting {} ms for its backing service ({} attempts)")
                    .addArgument(component.name()).addArgument(millisSince(attemptBegan))
                    .addArgument(Duration.ofNanos(attemptBegan - waitingSince).toMillis()).addArgument(attempts)
                    .log();
        }
        return Optional.of(waited);
    }

    /** Waits before the next attempt; {@return false when a shutdown was asked for meanwhile} */
    private boolean pause(long nanos) {
        try {
            stopRequested.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Not completed exceptionally.
        }
        return false;
    }

    /** Runs a start until it ends or the deadline; a shutdown asked for meanwhile gets a share of its budget. */
    private Step.Outcome attempt(Component component, long deadline) {
        if (openedEarly && component == retries.openEarly()) {
            lifecycle.started.remove(component);
        }
        Step step = Step.begin("start " + component.name(), component::start);
        Step.Outcome outcome = step.await(deadline, stopRequested);
        if (outcome == null) {
            log.info("waiting for the component that is starting to finish before stopping");
            long stopDeadline = Step.deadline(StopSequence.lessReserve(lifecycle.shutdownRemaining()));
            outcome = step.await(Math.min(deadline, stopDeadline));
        }
        return outcome;
    }

    /** Starts the component that answers the probes, out of turn, the first time a start must wait. */
    private void openEarly() {
        Component early = retries.openEarly();
        if (early == null || openedEarly) {
            return;
        }
        Step.Outcome outcome = Step.begin("start " + early.name(), early::start).await(Step.deadline(OPENING));
        if (outcome instanceof Step.Done) {
            openedEarly = true;
            lifecycle.started.add(early);
            return;
        }
        Throwable failure = outcome instanceof Step.Failed failed ? failed.failure()
                : new TimeoutException("did not start within " + OPENING.toMillis() + " ms");
        lifecycle.waitingFor = null;
        throw lifecycle.failStart(early, failure);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
