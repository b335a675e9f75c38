package dev.skiff.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import com.zaxxer.hikari.HikariDataSource;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source the application holds from setup on: it hands out the pool's connections once
 * the pool has started, and says so clearly before.
 */
public final class PooledDataSource implements DataSource {

    private volatile DataSource pool;

    void attach(DataSource started) {
        pool = started;
    }

    private DataSource pool() throws SQLException {
        DataSource current = pool;
        if (current == null) {
            throw new SQLException("the database pool has not started yet: use the data source from request"
                    + " handlers, commands or a component's start(), not while the app is being set up", "08003");
        }
        return current;
    }

    @Override
    public Connection getConnection() throws SQLException {
        DataSource current = pool();
        try {
            return current.getConnection();
        } catch (SQLException e) {
            if (e.getSQLState() == null && current instanceof HikariDataSource hikari && hikari.isClosed()) {
                // HikariCP says so without a SQLState; say it in a way callers can tell by type.
                throw new SQLNonTransientConnectionException("the database pool is closed: the service is"
                        + " shutting down", "08003", e);
            }
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool connects as DATABASE_URL's user; use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the pool logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }
}
