package dev.skiff.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a shutdown ended.
 *
 * @param took how long the shutdown ran
 * @param abandonedStep the step still running when the budget ran out, if it did
 * @param failures components whose stop threw, with the reason
 */
public record ShutdownResult(Duration took, Optional<String> abandonedStep, List<String> failures) {

    /** Copies the list of failures. */
    public ShutdownResult {
        failures = List.copyOf(failures);
    }

    /** {@return true when every step finished inside the budget without failing} */
    public boolean clean() {
        return abandonedStep.isEmpty() && failures.isEmpty();
    }
}
