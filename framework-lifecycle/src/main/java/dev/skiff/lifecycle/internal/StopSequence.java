package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.ShutdownResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stop half of a {@link Lifecycle}, run by its worker: the drain, then each component's stop. */
public final class StopSequence {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private StopSequence() {}

    /**
     * {@return the part of what is left of the shutdown budget that a stop may use when other
     * components stop after it: all but a reserve for them of a quarter, at most 2 s}
     *
     * @param remaining what is left of the budget
     */
    public static Duration lessReserve(Duration remaining) {
        Duration quarter = share(remaining, 4);
        return remaining.minus(quarter.compareTo(Duration.ofSeconds(2)) < 0 ? quarter : Duration.ofSeconds(2));
    }

    /**
     * {@return one of {@code parts} equal shares of a span of time, to the nanosecond, rounded toward
     * zero}
     *
     * <p>What {@link Duration#dividedBy(long)} gives, without its arithmetic in {@code BigDecimal}:
     * the first use of that class costs some 30 ms and 2 MB at startup on one core.
     *
     * @param whole the span to share
     * @param parts how many shares, from 1 to 1,000
     */
    public static Duration share(Duration whole, int parts) {
        if (parts < 1 || parts > 1000) {
            throw new IllegalArgumentException("parts must be from 1 to 1000, not " + parts);
        }
        if (whole.isNegative()) { // negated() multiplies in BigDecimal too
            return Duration.ZERO.minus(share(Duration.ZERO.minus(whole), parts));
        }
        long seconds = whole.getSeconds();
        return Duration.ofSeconds(seconds / parts, ((seconds % parts) * 1_000_000_000L + whole.getNano()) / parts);
    }

    /** Waits for the parties routing here to notice, or the fixed delay; not at all if never ready. */
    static void drain(Drain watching, boolean everReady, ShutdownSettings settings, long begin)
            throws InterruptedException {
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

    /**
     * Stops every started component in reverse, each within what is left of the budget less a
     * reserve for those after it ({@link #lessReserve}); one that hangs is named and left
     * behind, and the ones before it still stop.
     *
     * @param started the components, in the order they started
     * @param remaining what is left of the shutdown's budget
     * @param step told each step as it begins
     * @param begin when the shutdown began, by {@link System#nanoTime()}
     * @param failed told what each stop that failed threw
     * @param abandonedBefore a start left behind when the shutdown began, if one was
     */
    static ShutdownResult stop(List<Component> started, Supplier<Duration> remaining, Consumer<String> step,
            long begin, Consumer<Throwable> failed, Optional<String> abandonedBefore) {
        List<String> failures = new ArrayList<>();
        Optional<String> abandoned = abandonedBefore;
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            String name = "stop " + component.name();
            step.accept(name);
            Duration left = remaining.get();
            Duration allowed = i == 0 ? left : lessReserve(left);
            long stepBegan = System.nanoTime();
            switch (Step.begin(name, component::stop).await(Step.deadline(allowed))) {
                case Step.Done done -> log.atInfo().setMessage("stopped {} in {} ms").addArgument(component.name())
                        .addArgument(millisSince(stepBegan)).addKeyValue("component", component.name()).log();
                case Step.Failed(Throwable e) -> {
                    failures.add(component.name() + ": " + e);
                    failed.accept(e);
                    log.atError().setMessage("component {} failed to stop after {} ms")
                            .addArgument(component.name()).addArgument(millisSince(stepBegan))
                            .addKeyValue("component", component.name()).setCause(e).log();
                }
                case Step.Abandoned gone -> {
                    if (abandoned.isEmpty()) {
                        abandoned = Optional.of(name);
                    }
                    log.atError().setMessage("'{}' did not finish within its {} ms of the shutdown budget: left"
                            + " behind; the components started before it stop now").addArgument(name)
                            .addArgument(allowed.toMillis()).addKeyValue("step", name).log();
                }
            }
        }
        return new ShutdownResult(Duration.ofNanos(System.nanoTime() - begin), abandoned, failures);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
