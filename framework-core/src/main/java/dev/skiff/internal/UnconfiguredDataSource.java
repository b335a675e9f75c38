package dev.skiff.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What {@code app.database()} hands out when no database is configured, so that setup can finish
 * and the one configuration report say so; the process does not start with it.
 */
public final class UnconfiguredDataSource implements DataSource {

    private static SQLException unconfigured() {
        return new SQLException("no database is configured: set DATABASE_URL (and have dev.skiff:framework-jdbc on"
                + " the class path)", "08001");
    }

    @Override
    public Connection getConnection() throws SQLException {
        throw unconfigured();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw unconfigured();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // nothing to wait for
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
