package dev.skiff.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.http.internal.Problem;
import java.io.UncheckedIOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where in a failure's chains "the database is unavailable" is found, and where it is not. */
class DatabaseUnavailableTest {

    private final List<SQLException> told = new ArrayList<>();
    private final List<SQLException> busy = new ArrayList<>();
    private final DatabaseUnavailable mapping = new DatabaseUnavailable(told::add, busy::add);

    @Test
    void eachUnavailableStateIsA503WithRetryAfter() {
        for (String state : List.of("08001", "08003", "08006", "57P01", "57P02", "57P03", "53300")) {
            Optional<Problem> answer = mapping.answer(new SQLException("down", state));
            assertThat(answer).as(state).hasValueSatisfying(problem -> {
                assertThat(problem.status()).isEqualTo(503);
                assertThat(problem.headers()).containsEntry("Retry-After", "1");
            });
        }
        assertThat(told).hasSize(7);
    }

    @Test
    void foundAsACauseASuppressedOrANextException() {
        var terminated = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(mapping.answer(new IllegalStateException("wrapped", terminated))).isPresent();

        var primary = new IllegalStateException("the handler's own failure");
        primary.addSuppressed(new SQLException("closing failed", "08003"));
        assertThat(mapping.answer(primary)).isPresent();

        var batch = new BatchUpdateException("batch failed", "XX000", new int[0]);
        batch.setNextException(new SQLException("too many clients", "53300"));
        assertThat(mapping.answer(new UncheckedIOException(new java.io.IOException(batch)))).isPresent();

        assertThat(told).extracting(SQLException::getSQLState).containsExactly("57P01", "08003", "53300");
    }

    @Test
    void theJdbcTypesOfALostConnectionCountWithoutAState() {
        assertThat(mapping.answer(new SQLTransientConnectionException("skiff-db - Connection is not available"))).isPresent();
        assertThat(busy).as("only HikariCP's own timeout without a cause is a busy pool").isEmpty();
    }

    @Test
    void theApplicationsOwnDatabaseErrorsAreNotUnavailability() {
        assertThat(mapping.answer(new SQLException("duplicate key value violates unique constraint", "23505"))).isEmpty();
        assertThat(mapping.answer(new SQLException("syntax error", "42601"))).isEmpty();
        assertThat(mapping.answer(new IllegalArgumentException("not a database failure"))).isEmpty();
        // HikariCP's words matter only when HikariCP said them.
        assertThat(mapping.answer(new SQLException("Connection is closed"))).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void aCyclicChainEnds() {
        var first = new SQLException("first", "23505");
        var second = new SQLException("second", "23505", first);
        first.initCause(second);
        first.setNextException(second);
        second.addSuppressed(first);

        assertThat(mapping.answer(first)).isEmpty();
    }
}
