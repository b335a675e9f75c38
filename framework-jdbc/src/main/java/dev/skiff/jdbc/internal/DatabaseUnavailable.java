package dev.skiff.jdbc.internal;

import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.internal.Problem;
import dev.skiff.modules.internal.Causes;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The database module's answer to the failures it owns: a database that cannot be reached is a
 * 503 with {@code Retry-After}, never a 500, wherever in a handler's exception it surfaces — the
 * exception itself, its causes, its suppressed exceptions or an {@link SQLException}'s next ones.
 *
 * <p>Unavailable means: SQLState class 08 (connection exception), 57P01 (terminated by an
 * administrator: a fast shutdown, a failover, {@code pg_terminate_backend}), 57P02 (crash
 * shutdown), 57P03 (cannot connect now: starting, shutting down, recovering), 53300 (too many
 * connections); the JDBC types for a lost or refused connection; and HikariCP's "Connection is
 * closed" (a pooled connection found broken) and "has been closed" (the pool shut down).
 */
public final class DatabaseUnavailable implements FailureMapping {

    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private final Consumer<SQLException> outage;
    private final Consumer<SQLException> busy;

    /**
     * @param outage told of each failure that shows the database unavailable, to log the outage
     *     once rather than per request
     * @param busy told of each request that found every pooled connection in use for the whole
     *     connection timeout while the database answers: not an outage, but an overloaded pool
     */
    public DatabaseUnavailable(Consumer<SQLException> outage, Consumer<SQLException> busy) {
        this.outage = outage;
        this.busy = busy;
    }

    @Override
    public Optional<Problem> answer(Throwable failure) {
        Optional<SQLException> cause = find(failure);
        if (cause.isEmpty()) {
            return Optional.empty();
        }
        if (isPoolExhausted(cause.get())) {
            busy.accept(cause.get());
            return Optional.of(Problem.retryLater("every database connection of the server is in use; try again"
                    + " shortly"));
        }
        outage.accept(cause.get());
        return Optional.of(Problem.retryLater("the database is unavailable; try again shortly"));
    }

    /**
     * {@return whether HikariCP gave up waiting for a connection while the pool's connections were
     * all in use: its timeout carries the last failure to connect as its cause when connecting
     * failed, and none when every connection was merely busy}
     */
    static boolean isPoolExhausted(SQLException e) {
        StackTraceElement[] frames = e.getStackTrace();
        return e instanceof SQLTransientConnectionException && e.getCause() == null && frames.length > 0
                && frames[0].getClassName().startsWith("com.zaxxer.hikari.");
    }

    /** {@return the exception in a failure's chains that shows the database unavailable, if any} */
    static Optional<SQLException> find(Throwable failure) {
        return Causes.find(failure, t -> t instanceof SQLException sql && isUnavailable(sql))
                .map(SQLException.class::cast);
    }

    /** {@return whether this one exception says the database cannot be reached} */
    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null) {
            return state.startsWith("08") || STATES.contains(state);
        }
        return isHikariClosed(e);
    }

    /**
     * HikariCP reports a connection it found broken, and a pool that was shut down, with a plain
     * {@link SQLException} without SQLState: the one place its text is read, and only when the
     * exception was thrown by HikariCP itself.
     */
    private static boolean isHikariClosed(SQLException e) {
        StackTraceElement[] frames = e.getStackTrace();
        String message = e.getMessage();
        return frames.length > 0 && frames[0].getClassName().startsWith("com.zaxxer.hikari.") && message != null
                && (message.equals("Connection is closed") || message.endsWith(" has been closed."));
    }
}
