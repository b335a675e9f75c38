package dev.skiff.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.internal.Lifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HikariCP pool behind {@code DATABASE_URL}, as a component: started before the application's
 * components, stopped after HTTP has drained, checked by readiness.
 *
 * <p>At startup it tries one connection. A refused login or an unknown database ends startup with
 * one clear error. An unreachable server ends it too under {@code fail-fast}; under {@code wait}
 * the service starts not ready, a watcher retries, and the process exits after the maximum wait.
 */
public final class DatabasePool implements Component {

    private static final Logger log = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseSettings settings;
    private final DatabaseUrl target;
    private final MeterRegistry registry;
    private final Consumer<String> fatal;
    private final BooleanSupplier oneOff;
    private final PooledDataSource dataSource = new PooledDataSource();
    private volatile HikariDataSource pool;
    private volatile Thread watcher;
    private final Outages outages;

    /**
     * Creates the pool, not yet connected.
     *
     * @param settings the {@code database} block
     * @param target the parsed URL and credentials
     * @param registry where the pool's meters go
     * @param fatal ends the process with a non-zero status, given the reason, when waiting for the
     *     database has lasted longer than allowed or its answer shows it will never accept us
     * @param oneOff whether the process runs a one-off command: an unreachable database then ends
     *     the start at once, whatever the startup policy
     */
    public DatabasePool(DatabaseSettings settings, DatabaseUrl target, MeterRegistry registry,
            Consumer<String> fatal, BooleanSupplier oneOff) {
        this.settings = settings;
        this.target = target;
        this.registry = registry;
        this.fatal = fatal;
        this.oneOff = oneOff;
        this.outages = new Outages(settings, this::answers, this::explain);
    }

    @Override
    public String name() {
        return "database";
    }

    /** {@return the pooled data source; it answers once the pool has started} */
    public PooledDataSource dataSource() {
        return dataSource;
    }

    /** {@return how the HTTP server answers a request that failed because the database is unavailable} */
    public DatabaseUnavailable failureMapping() {
        return new DatabaseUnavailable(outages::unavailable, outages::busy);
    }

    /**
     * {@return for a component's start that failed because the database is unavailable, how long it
     * may wait for it ({@code database.startup-max-wait}, none under {@code fail-fast}); empty for
     * any other failure}
     *
     * @param failure what the start threw
     */
    public Optional<Lifecycle.Wait> startWait(Throwable failure) {
        if (DatabaseUnavailable.find(failure).isEmpty()) {
            return Optional.empty();
        }
        Duration max = settings.startupPolicy() == DatabaseSettings.StartupPolicy.WAIT ? settings.startupMaxWait()
                : Duration.ZERO;
        return Optional.of(new Lifecycle.Wait(max, "database.startup-max-wait"));
    }

    /** {@return whether the database answers a session of its own: the pool's business is not the question} */
    private boolean answers() {
        try {
            checkDirectly();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@return where the pool connects, for messages: the JDBC URL and user, never the password} */
    public String describe() {
        return target.toString();
    }

    @Override
    public void start() throws SQLException {
        start(oneOff.getAsBoolean() ? DatabaseSettings.StartupPolicy.FAIL_FAST : settings.startupPolicy());
    }

    /**
     * Tries the database once, for the {@code check} command, the pool having started.
     *
     * @return what answered, and how fast
     * @throws SQLException when it does not answer, with the reason and what to do
     */
    public String reach() throws SQLException {
        long begin = System.nanoTime();
        check();
        return describe() + " answered in " + (System.nanoTime() - begin) / 1_000_000 + " ms";
    }

    private void start(DatabaseSettings.StartupPolicy policy) throws SQLException {
        requireDriver();
        pool = new HikariDataSource(config());
        dataSource.attach(pool);
        Optional<SQLException> failure = tryConnect();
        if (failure.isEmpty()) {
            log.atInfo().setMessage("database pool started: {}").addArgument(target).log();
            return;
        }
        SQLException e = failure.get();
        if (isPermanent(e) || policy == DatabaseSettings.StartupPolicy.FAIL_FAST) {
            pool.close();
            throw new SQLException(explain(e), e.getSQLState());
        }
        log.atWarn().setMessage("{}; starting not ready, and waiting up to {} ms for it (database.startup-policy=wait)")
                .addArgument(explain(e)).addArgument(settings.startupMaxWait().toMillis())
                .addKeyValue("sql_state", e.getSQLState()).log();
        // Waiting at startup is an outage too: requests that need the database meanwhile are answered
        // 503 and counted, without a line each.
        outages.beginQuietly();
        watcher = Thread.ofVirtual().name("skiff-database-wait").start(this::waitForDatabase);
    }

    private void waitForDatabase() {
        long deadline = System.nanoTime() + settings.startupMaxWait().toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            Optional<SQLException> failure = tryConnect();
            if (failure.isEmpty()) {
                long failed = outages.end();
                log.atInfo().setMessage("database reachable: {}; requests answered 503 meanwhile: {}")
                        .addArgument(target).addArgument(failed).addKeyValue("failed_requests", failed).log();
                return;
            }
            if (isPermanent(failure.get())) {
                fatal.accept(explain(failure.get()));
                return;
            }
            if (System.nanoTime() > deadline) {
                fatal.accept(explain(failure.get()) + "; gave up after waiting "
                        + settings.startupMaxWait().toMillis() + " ms (database.startup-max-wait)");
                return;
            }
            try {
                Thread.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Fails at once, and says what to add, when no driver on the class path takes the URL: the
     * driver's "no suitable driver" carries SQLState 08001, which would otherwise read as a
     * database that cannot be reached, and be waited for.
     */
    private void requireDriver() {
        try {
            java.sql.DriverManager.getDriver(target.jdbcUrl());
        } catch (SQLException e) {
            String scheme = target.jdbcUrl().split(":", 3).length > 1 ? target.jdbcUrl().split(":", 3)[1] : "?";
            throw new IllegalStateException("no JDBC driver on the class path takes " + target + ": add the driver of "
                    + scheme + " as a dependency of the service (PostgreSQL's comes with framework-jdbc; for jdbc:h2:"
                    + " URLs, com.h2database:h2)", null);
        }
    }

    /**
     * Borrows a connection and checks it answers: readiness's database check.
     *
     * @throws SQLException when the database does not answer
     */
    public void check() throws SQLException {
        HikariDataSource current = pool;
        if (current == null) {
            throw new SQLException("the pool has not started");
        }
        if (outages.known()) {
            // Known to be down: a session of its own fails fast with the reason, where the pool
            // would wait its connection timeout, longer than a probe may take.
            checkDirectly();
            return;
        }
        var state = current.getHikariPoolMXBean();
        if (state != null && state.getIdleConnections() == 0 && state.getActiveConnections() >= settings.poolSize()) {
            // Every connection is in use. Waiting for one would time the probe out and take a busy
            // instance out of rotation; trusting the pool would keep one whose connections are all
            // stuck on a frozen database in it. A session of its own tells the two apart.
            checkDirectly();
            return;
        }
        try (Connection connection = current.getConnection()) {
            if (!connection.isValid(Math.max(1, (int) settings.connectionTimeout().toSeconds()))) {
                throw new SQLException("the database did not answer a validation query");
            }
        } catch (SQLException e) {
            throw new SQLException(explain(e), e.getSQLState());
        }
    }

    /**
     * Opens one session outside the pool, bounded in time, and checks that it answers: whether the
     * database is there, whatever the pool's connections are doing.
     */
    private void checkDirectly() throws SQLException {
        var properties = new java.util.Properties();
        target.user().ifPresent(user -> properties.setProperty("user", user));
        target.password().ifPresent(password -> properties.setProperty("password", password.reveal()));
        int seconds = (int) Math.max(1, settings.connectionTimeout().toSeconds());
        if (target.jdbcUrl().startsWith("jdbc:postgresql:")) {
            properties.setProperty("connectTimeout", Integer.toString(seconds));
            properties.setProperty("loginTimeout", Integer.toString(seconds));
            properties.setProperty("socketTimeout", Integer.toString(seconds));
            properties.setProperty("ApplicationName", "skiff-readiness");
        }
        try (Connection connection = java.sql.DriverManager.getConnection(target.jdbcUrl(), properties)) {
            if (!connection.isValid(seconds)) {
                throw new SQLException("the database did not answer a validation query");
            }
        } catch (SQLException e) {
            throw new SQLException("a session of its own, outside the pool, failed: " + explain(e),
                    e.getSQLState());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        outages.stop();
        Thread waiting = watcher;
        if (waiting != null) {
            waiting.interrupt();
            waiting.join(Duration.ofSeconds(5));
        }
        HikariDataSource current = pool;
        if (current != null) {
            current.close();
        }
    }

    private Optional<SQLException> tryConnect() {
        try {
            pool.getConnection().close();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e);
        }
    }

    private HikariConfig config() {
        var config = new HikariConfig();
        config.setPoolName("skiff-db");
        config.setJdbcUrl(target.jdbcUrl());
        target.user().ifPresent(config::setUsername);
        target.password().ifPresent(secret -> config.setPassword(secret.reveal()));
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5_000));
        config.setMaxLifetime(settings.maxLifetime().toMillis());
        // Start with no connection: whether the database answers is ours to judge and report.
        config.setInitializationFailTimeout(-1);
        if (target.jdbcUrl().startsWith("jdbc:postgresql:")) {
            long connectSeconds = Math.max(1, (settings.connectionTimeout().toMillis() + 999) / 1000);
            config.addDataSourceProperty("connectTimeout", Long.toString(connectSeconds));
            config.addDataSourceProperty("socketTimeout", Long.toString(settings.socketTimeout().toSeconds()));
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("ApplicationName", "skiff");
        }
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return config;
    }

    /**
     * {@return whether the database's answer means retrying cannot help: a refused login (class
     * 28) or an unknown database (3D000)}
     */
    static boolean isPermanent(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    /** {@return the SQLState of the exception or of the first cause that has one} */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** A message naming the database, the failure and its SQLState, and what to do: never the password. */
    String explain(SQLException e) {
        String state = sqlState(e);
        String reason = rootMessage(e);
        String advice;
        if (state != null && state.startsWith("28")) {
            advice = "check the user and password in DATABASE_URL (or DATABASE_USER, DATABASE_PASSWORD)";
        } else if ("3D000".equals(state)) {
            advice = "create the database, or fix its name in DATABASE_URL";
        } else if ("53300".equals(state)) {
            advice = "the database has no connection left: raise its max_connections, or lower DATABASE_POOL_SIZE"
                    + " (times the number of instances)";
        } else if (state != null && state.startsWith("57P0")) {
            advice = "the database is shutting down, restarting or recovering; this passes when it is back";
        } else {
            advice = "check that the database runs and that DATABASE_URL names its host and port";
        }
        return "the database " + target + " refused or did not answer: " + reason
                + (state == null ? "" : " (SQLState " + state + ")") + "; " + advice;
    }

    private static String rootMessage(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                deepest = t;
            }
        }
        String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName()
                : deepest.getMessage().strip().replace('\n', ' ');
        // PostgreSQL prefixes its severity: "FATAL: password authentication failed for user ..."
        return message.toUpperCase(Locale.ROOT).startsWith("FATAL: ") ? message.substring(7) : message;
    }
}
