package dev.skiff.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.config.ByteSize;
import dev.skiff.internal.CoreSettings;
import dev.skiff.jdbc.internal.DatabaseSettings;
import dev.skiff.http.internal.HttpServer;
import dev.skiff.internal.Metrics;
import dev.skiff.http.internal.RouteTable;
import dev.skiff.jdbc.internal.DatabasePool;
import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool behind DATABASE_URL against a real PostgreSQL that the test starts, stops and freezes. */
class DatabaseTest {

    private static TestDatabase database;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startDatabase() throws Exception {
        database = TestDatabase.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private static DatabaseSettings settings(String url, DatabaseSettings.StartupPolicy policy) {
        return new DatabaseSettings(Optional.of(url), Optional.empty(), Optional.empty(), 4,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(30), policy, Duration.ofMinutes(1));
    }

    private DatabasePool pool(String url, DatabaseSettings.StartupPolicy policy, List<String> fatal) {
        var metrics = new Metrics(() -> 0);
        opened.add(metrics);
        var settings = settings(url, policy);
        var pool = new DatabasePool(settings, settings.target().orElseThrow(), metrics.registry(), fatal::add, () -> false);
        opened.add(pool::stop);
        return pool;
    }

    private static String withPassword(String password) {
        return database.url().replace(TestDatabase.PASSWORD, password);
    }

    @Test
    void connectsWithTheCredentialsFromTheUrlAndServesQueries() throws Exception {
        DatabasePool pool = pool(database.url(), DatabaseSettings.StartupPolicy.FAIL_FAST, new ArrayList<>());

        pool.start();

        pool.check();
        try (var connection = pool.dataSource().getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT current_user, current_database()")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo(TestDatabase.USER);
            assertThat(result.getString(2)).isEqualTo(TestDatabase.DATABASE);
        }
    }

    @Test
    void aWrongPasswordEndsStartupWithTheSqlStateAndNoPassword() {
        DatabasePool pool = pool(withPassword("not-the-password"), DatabaseSettings.StartupPolicy.WAIT, new ArrayList<>());

        assertThatThrownBy(pool::start).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed for user \"app\"")
                .hasMessageContaining("(SQLState 28P01)")
                .hasMessageContaining("check the user and password in DATABASE_URL")
                .message().doesNotContain("not-the-password").doesNotContain(TestDatabase.PASSWORD);
    }

    @Test
    void anUnknownDatabaseEndsStartupEvenWhenWaiting() {
        DatabasePool pool = pool(database.url().replace("/notes", "/nosuch"), DatabaseSettings.StartupPolicy.WAIT,
                new ArrayList<>());

        assertThatThrownBy(pool::start).isInstanceOf(SQLException.class)
                .hasMessageContaining("database \"nosuch\" does not exist").hasMessageContaining("(SQLState 3D000)")
                .hasMessageContaining("create the database, or fix its name");
    }

    @Test
    void aUrlNoDriverTakesEndsStartupAtOnceEvenWhenWaitingAndNamesWhatToAdd() {
        DatabasePool pool = pool("jdbc:nosuchdb://127.0.0.1/notes?user=app&password=s3cr3t-pw", DatabaseSettings.StartupPolicy.WAIT,
                new ArrayList<>());

        assertThatThrownBy(pool::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no JDBC driver on the class path takes jdbc:nosuchdb://127.0.0.1/notes")
                .hasMessageContaining("add the driver of nosuchdb").hasMessageNotContaining("s3cr3t-pw")
                .satisfies(e -> assertThat(pool.startWait(e)).as("not a database to wait for").isEmpty());
    }

    @Test
    void anUnreachableServerEndsStartupUnderFailFast() throws Exception {
        int closedPort = TestDatabase.closedPort();
        DatabasePool pool = pool(database.urlOnPort(closedPort),
                DatabaseSettings.StartupPolicy.FAIL_FAST, new ArrayList<>());

        assertThatThrownBy(pool::start).isInstanceOf(SQLException.class)
                .hasMessageContaining("Connection to 127.0.0.1:" + closedPort + " refused")
                .hasMessageContaining("(SQLState 08001)")
                .hasMessageContaining("check that the database runs");
    }

    /** The service as the launcher assembles it: pool first, a route that needs it, one that does not. */
    private URI serve(DatabasePool pool, Lifecycle lifecycle) throws Exception {
        lifecycle.register(pool);
        lifecycle.readinessCheck("database", pool::check);
        var routes = new RouteTable();
        routes.add("GET", "/count", ctx -> {
            try (var connection = pool.dataSource().getConnection(); var statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT count(*) FROM pg_class")) {
                result.next();
                ctx.json(Map.of("count", result.getLong(1)));
            }
        });
        routes.add("GET", "/plain", ctx -> ctx.text("ok"));
        var metrics = new Metrics(() -> 0);
        opened.add(metrics);
        var http = CoreSettings.Http.of("127.0.0.1", 0, ByteSize.ofBytes(1024), ByteSize.ofBytes(64L << 20), false, 100, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5));
        var server = new HttpServer(http, null, routes, lifecycle, metrics, Map.of(), Duration.ofSeconds(5),
                List.of(pool.failureMapping()));
        lifecycle.register(server);
        lifecycle.start(Duration.ofSeconds(20));
        opened.add(lifecycle::shutdown);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Lifecycle lifecycle() {
        return Lifecycle.create(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(10)),
                new HealthSettings(Duration.ofSeconds(1), Duration.ZERO));
    }

    /** Requests to /plain in a loop until stopped; every answer that is not 200 is kept. */
    private static final class SteadyLoad implements AutoCloseable {
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger served = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        SteadyLoad(DatabaseTest test, URI base) {
            thread = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        var response = test.get(base, "/plain");
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                        served.incrementAndGet();
                        Thread.sleep(5);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void anOutageFailsDatabaseRequestsFastLeavesTheRestAloneAndHealsItself() throws Exception {
        DatabasePool pool = pool(database.url(), DatabaseSettings.StartupPolicy.WAIT, new ArrayList<>());
        Lifecycle lifecycle = lifecycle();
        URI base = serve(pool, lifecycle);
        assertThat(get(base, "/count").statusCode()).isEqualTo(200);

        try (var load = new SteadyLoad(this, base)) {
            database.stop();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> get(base, "/health/ready").statusCode() == 503);
                assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(base, "/health/ready").body()).contains("\"database\"");
                long begin = System.nanoTime();
                HttpResponse<String> failed = get(base, "/count");
                long tookMs = (System.nanoTime() - begin) / 1_000_000;
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.headers().firstValue("Retry-After")).contains("1");
                assertThat(failed.body()).contains("the database is unavailable").doesNotContain(TestDatabase.PASSWORD);
                // Bounded by the pool's 1 s connection timeout, far below HikariCP's default of 30 s.
                assertThat(tookMs).isLessThan(15_000);
            } finally {
                database.restart();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> get(base, "/count").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base, "/health/ready").statusCode() == 200);
            assertThat(load.served.get()).isPositive();
            assertThat(load.failures).isEmpty();
        }
    }

    @Test
    void aFrozenServerCannotHoldARequestForEver() throws Exception {
        DatabasePool pool = pool(database.url(), DatabaseSettings.StartupPolicy.WAIT, new ArrayList<>());
        Lifecycle lifecycle = lifecycle();
        URI base = serve(pool, lifecycle);
        assertThat(get(base, "/count").statusCode()).isEqualTo(200);

        try (var load = new SteadyLoad(this, base)) {
            database.freeze();
            try {
                // An open connection waits at most the 2 s socket timeout, a new one the 1 s connection timeout.
                HttpResponse<String> failed = get(base, "/count");
                assertThat(failed.statusCode()).isEqualTo(503);
                await().atMost(Duration.ofSeconds(10)).until(() -> get(base, "/health/ready").statusCode() == 503);
                assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
            } finally {
                database.thaw();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> get(base, "/count").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base, "/health/ready").statusCode() == 200);
            assertThat(load.failures).isEmpty();
        }
    }

    @Test
    void underTheWaitPolicyItStartsNotReadyAndBecomesReadyWhenTheDatabaseAppears() throws Exception {
        var fatal = new CopyOnWriteArrayList<String>();
        DatabasePool pool = pool(database.url(), DatabaseSettings.StartupPolicy.WAIT, fatal);
        database.stop();
        URI base;
        try {
            base = serve(pool, lifecycle());
            assertThat(get(base, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(base, "/plain").statusCode()).isEqualTo(200);
        } finally {
            database.restart();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> get(base, "/health/ready").statusCode() == 200);
        assertThat(get(base, "/count").statusCode()).isEqualTo(200);
        assertThat(fatal).isEmpty();
    }

    @Test
    void waitingLongerThanAllowedEndsTheProcess() throws Exception {
        var fatal = new CopyOnWriteArrayList<String>();
        var metrics = new Metrics(() -> 0);
        opened.add(metrics);
        int closedPort = TestDatabase.closedPort();
        String url = database.urlOnPort(closedPort);
        var settings = new DatabaseSettings(Optional.of(url), Optional.empty(), Optional.empty(), 2,
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(30), DatabaseSettings.StartupPolicy.WAIT,
                Duration.ofSeconds(2));
        var pool = new DatabasePool(settings, settings.target().orElseThrow(), metrics.registry(), fatal::add, () -> false);
        opened.add(pool::stop);

        pool.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> !fatal.isEmpty());
        assertThat(fatal.getFirst()).contains("gave up after waiting 2000 ms (database.startup-max-wait)")
                .contains("(SQLState 08001)").doesNotContain(TestDatabase.PASSWORD);
    }

    @Test
    void thePoolsMetricsAreInTheRegistry() throws Exception {
        var metrics = new Metrics(() -> 0);
        opened.add(metrics);
        var settings = settings(database.url(), DatabaseSettings.StartupPolicy.FAIL_FAST);
        var pool = new DatabasePool(settings, settings.target().orElseThrow(), metrics.registry(), reason -> { }, () -> false);
        opened.add(pool::stop);
        pool.start();

        assertThat(metrics.scrape()).contains("hikaricp_connections_max{pool=\"skiff-db\"} 4.0")
                .contains("hikaricp_connections_active").doesNotContain(TestDatabase.PASSWORD);
    }
}
