package dev.skiff.lifecycle.internal;

import dev.skiff.lifecycle.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners told of every change of a {@link Lifecycle}'s state. They are told on a step of
 * their own, within a bound: a listener that hangs is named and left behind, and the lifecycle
 * goes on — to the drain and the stops, whose budget it would otherwise spend.
 */
final class StateListeners {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    /** The longest the listeners may take to hear one change; they are meant to flip a flag. */
    static final Duration BOUND = Duration.ofSeconds(1);

    private final List<Consumer<HealthState>> listeners = new CopyOnWriteArrayList<>();

    void add(Consumer<HealthState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells every listener of {@code next}, within {@link #BOUND} or {@code within}, whichever is shorter. */
    void tell(HealthState next, Duration within) {
        if (listeners.isEmpty()) {
            return;
        }
        Duration bound = within.compareTo(BOUND) < 0 ? within : BOUND;
        Step step = Step.begin("state " + next.name().toLowerCase(java.util.Locale.ROOT), () -> {
            for (Consumer<HealthState> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    log.atWarn().setMessage("a state listener failed on {}").addArgument(next).setCause(e).log();
                }
            }
        });
        if (step.await(Step.deadline(bound)) instanceof Step.Abandoned) {
            log.atWarn().setMessage("the state listeners did not return within {} ms of hearing {}: left behind;"
                    + " a listener should only note the change (stop taking work), not wait")
                    .addArgument(bound.toMillis()).addArgument(next).log();
        }
    }
}
