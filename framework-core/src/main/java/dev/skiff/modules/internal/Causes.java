package dev.skiff.modules.internal;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where a module looks for the failure it owns in what a handler or a start threw: the exception,
 * its causes, its suppressed exceptions and an {@link SQLException}'s next ones, breadth first,
 * at most {@value #MOST_EXCEPTIONS} of them — chains can be cyclic or absurdly long.
 */
public final class Causes {

    /** How many exceptions of one failure are looked at. */
    static final int MOST_EXCEPTIONS = 64;

    private Causes() {}

    /**
     * {@return the first exception in the failure's chains that {@code owned} accepts, if any}
     *
     * @param failure what was thrown
     * @param owned whether an exception is the one sought
     */
    public static Optional<Throwable> find(Throwable failure, Predicate<Throwable> owned) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        var pending = new ArrayDeque<Throwable>();
        pending.add(failure);
        while (!pending.isEmpty() && seen.size() < MOST_EXCEPTIONS) {
            Throwable t = pending.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (owned.test(t)) {
                return Optional.of(t);
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                pending.add(sql.getNextException());
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            Collections.addAll(pending, t.getSuppressed());
        }
        return Optional.empty();
    }
}
