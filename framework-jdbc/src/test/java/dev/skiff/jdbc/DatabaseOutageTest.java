package dev.skiff.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skiff.App;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every way PostgreSQL becomes unavailable, against a real server, through the service as the
 * launcher assembles it: each is a 503 with {@code Retry-After}, recorded as 503 by the access log
 * and the metrics, with one warning for the outage and no error or stack trace; and the service
 * heals when the database is back.
 */
class DatabaseOutageTest {

    private static final String POOL_LOGGER = "dev.skiff.jdbc.internal.DatabasePool";
    private static TestDatabase database;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Keeps events as a deferring appender must: with the log context of the thread that logged them. */
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private final LinkedBlockingQueue<Integer> heldBackends = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<SQLException> rethrown = new AtomicReference<>();
    private final List<Connection> crowd = new ArrayList<>();
    private RunningService service;

    @BeforeAll
    static void startDatabase() throws Exception {
        // Few connections, so that they can be used up: 7 for the application's user, 3 reserved.
        database = TestDatabase.start(Map.of("max_connections", "10", "superuser_reserved_connections", "3"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @AfterEach
    void stopService() throws Exception {
        release.countDown();
        for (Connection connection : crowd) {
            connection.close();
        }
        if (service != null) {
            service.stop();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        client.close();
    }

    private void setup(App app) {
        app.get("/query", ctx -> {
            try (Connection connection = app.database().getConnection(); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
                ctx.json(Map.of("ok", true));
            }
        });
        // Holds a pooled connection until the test has broken the database under it, then uses it.
        app.get("/hold", ctx -> {
            try (Connection connection = app.database().getConnection(); Statement statement = connection.createStatement()) {
                heldBackends.put(backend(statement));
                release.await();
                statement.executeQuery("SELECT 1").close();
                ctx.json(Map.of("ok", true));
            }
        });
        // The same in a transaction, rolled back on failure: the rollback's own exception, HikariCP's
        // "Connection is closed" without a SQLState or cause, is what reaches the server.
        app.get("/transaction", ctx -> {
            try (Connection connection = app.database().getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    heldBackends.put(backend(statement));
                    release.await();
                    statement.executeQuery("SELECT 1").close();
                    connection.commit();
                } catch (SQLException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollback) {
                        rethrown.set(rollback);
                        throw rollback;
                    }
                    throw e;
                }
                ctx.json(Map.of("ok", true));
            }
        });
    }

    private static int backend(Statement statement) throws SQLException {
        try (var result = statement.executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }

    private void startService() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        service = Skiff.start(Map.of("DATABASE_URL", database.url(), "DATABASE_POOL_SIZE", "2",
                "DATABASE_CONNECTION_TIMEOUT", "1s", "DATABASE_SOCKET_TIMEOUT", "5s", "DATABASE_STARTUP_POLICY", "wait",
                "SHUTDOWN_DRAIN_DELAY", "0s"), this::setup);
    }

    private CompletableFuture<HttpResponse<String>> request(String path) {
        URI uri = service.uri().resolve(path);
        return client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int awaitHeldBackend() throws InterruptedException {
        Integer pid = heldBackends.poll(30, TimeUnit.SECONDS);
        assertThat(pid).as("a handler holds a pooled connection").isNotNull();
        return pid;
    }

    private static void terminate(String condition) throws SQLException {
        try (Connection admin = database.admin(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE " + condition);
        }
    }

    /** Opens sessions as the application's user until PostgreSQL refuses one with 53300. */
    private void useUpConnections() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + TestDatabase.DATABASE;
        for (int i = 0; i < 20; i++) {
            try {
                crowd.add(DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD));
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as("refused for too many connections").isEqualTo("53300");
                return;
            }
        }
        throw new AssertionError("PostgreSQL took 20 sessions; max_connections did not apply");
    }

    /** The answer, the access log, the metrics and the log lines of one outage. */
    private void assertUnavailable(HttpResponse<String> response, String route, String... sqlStates) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"detail\":\"the database is unavailable; try again shortly\"")
                .doesNotContain(TestDatabase.PASSWORD);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> accessStatus(requestId) != null);
        assertThat(accessStatus(requestId)).isEqualTo(503);
        Timer timer = service.metrics().find("http.server.requests").tag("uri", route).tag("status", "503").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(1);

        List<ILoggingEvent> events = List.copyOf(logs.list);
        assertThat(events).filteredOn(event -> event.getLevel() == Level.ERROR).isEmpty();
        assertThat(events).filteredOn(event -> event.getLoggerName().startsWith("dev.skiff"))
                .allSatisfy(event -> assertThat(event.getThrowableProxy()).as(event.getFormattedMessage()).isNull());
        List<ILoggingEvent> warnings = events.stream()
                .filter(event -> event.getLevel() == Level.WARN && event.getLoggerName().equals(POOL_LOGGER)).toList();
        assertThat(warnings).as("one warning for the outage").hasSize(1);
        assertThat(fields(warnings.getFirst()).get("sql_state")).isIn((Object[]) sqlStates);
        assertThat(warnings.getFirst().getFormattedMessage()).doesNotContain(TestDatabase.PASSWORD);
    }

    private Integer accessStatus(String requestId) {
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            Map<String, Object> fields = fields(event);
            Object id = event.getMDCPropertyMap().getOrDefault("request_id", String.valueOf(fields.get("request_id")));
            if (event.getLoggerName().equals("skiff.access") && requestId.equals(id)) {
                return (Integer) fields.get("http.response.status_code");
            }
        }
        return null;
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        var fields = new HashMap<String, Object>();
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
        }
        return fields;
    }

    private void awaitHealed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> request("/query").get().statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> request("/health/ready").get().statusCode() == 200);
    }

    @Test
    void aFastShutdownUnderARequestIs503() throws Exception {
        startService();
        var response = request("/hold");
        awaitHeldBackend();
        database.stop(TestDatabase.Shutdown.FAST);
        try {
            release.countDown();
            assertUnavailable(response.get(), "/hold", "57P01", "08006", "08003");
        } finally {
            database.restart();
        }
        awaitHealed();
    }

    @Test
    void anImmediateShutdownUnderARequestIs503() throws Exception {
        startService();
        var response = request("/hold");
        awaitHeldBackend();
        database.stop(TestDatabase.Shutdown.IMMEDIATE);
        try {
            release.countDown();
            assertUnavailable(response.get(), "/hold", "57P01", "57P02", "08006", "08003");
        } finally {
            database.restart();
        }
        awaitHealed();
    }

    @Test
    void aTerminatedBackendIs503() throws Exception {
        startService();
        var response = request("/hold");
        int backend = awaitHeldBackend();
        terminate("pid = " + backend);
        release.countDown();

        assertUnavailable(response.get(), "/hold", "57P01", "08006", "08003");
        awaitHealed();
    }

    @Test
    void hikarisConnectionIsClosedAfterABrokenConnectionIs503() throws Exception {
        startService();
        var response = request("/transaction");
        int backend = awaitHeldBackend();
        terminate("pid = " + backend);
        release.countDown();

        assertUnavailable(response.get(), "/transaction", (String) null);
        assertThat((Throwable) rethrown.get()).hasMessage("Connection is closed").hasNoCause();
        assertThat(rethrown.get().getSQLState()).isNull();
        awaitHealed();
    }

    @Test
    void connectionsUsedUpIs503() throws Exception {
        useUpConnections();
        startService();

        assertUnavailable(request("/query").get(), "/query", "53300");
        for (Connection connection : crowd) {
            connection.close();
        }
        crowd.clear();
        awaitHealed();
    }

    @Test
    void aServerThatRefusesNewConnectionsWith57P03Is503() throws Exception {
        // A server in smart shutdown keeps its open sessions and refuses new ones with 57P03, as a
        // starting or recovering one does. This open session keeps it in that state.
        Connection keepsItOpen = database.admin();
        try {
            database.stop(TestDatabase.Shutdown.SMART);
            startService();

            assertUnavailable(request("/query").get(), "/query", "57P03");
        } finally {
            keepsItOpen.close();
            database.awaitStopped();
            database.restart();
        }
        awaitHealed();
    }

    @Test
    void readinessGoesDownWhenEveryPooledConnectionIsStuckOnAFrozenDatabase() throws Exception {
        startService();
        // Both pooled connections are held by requests: the pool is busy, which alone is no outage.
        var first = request("/hold");
        var second = request("/hold");
        awaitHeldBackend();
        awaitHeldBackend();
        await().atMost(Duration.ofSeconds(10)).until(() -> request("/health/ready").get().statusCode() == 200);

        try {
            database.freeze();
            await().atMost(Duration.ofSeconds(15)).until(() -> request("/health/ready").get().statusCode() == 503);
            assertThat(request("/health/live").get().statusCode()).isEqualTo(200);
        } finally {
            database.thaw();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> request("/health/ready").get().statusCode() == 200);
        release.countDown();
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
    }

    @Test
    void aPoolWhoseConnectionsAreAllBusyIs503ButNoOutage() throws Exception {
        startService();
        var first = request("/hold");
        var second = request("/hold");
        awaitHeldBackend();
        awaitHeldBackend();

        HttpResponse<String> busy = request("/query").get();

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).contains("every database connection of the server is in use");
        List<ILoggingEvent> warnings = List.copyOf(logs.list).stream()
                .filter(event -> event.getLevel() == Level.WARN && event.getLoggerName().equals(POOL_LOGGER)).toList();
        assertThat(warnings).singleElement().satisfies(warning -> assertThat(warning.getFormattedMessage())
                .startsWith("every pooled database connection (2) was in use for 1000 ms"));
        assertThat(request("/health/ready").get().statusCode()).as("busy is not down").isEqualTo(200);
        release.countDown();
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
    }
}
