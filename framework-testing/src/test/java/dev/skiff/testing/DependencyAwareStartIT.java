package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.jdbc.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's component that reads the database in {@code start()}, with PostgreSQL stopped at
 * launch and started 10 s later: the service waits, not ready, and becomes ready by itself; and a
 * {@code stop()} that hangs no longer keeps the pool open. In a child JVM, against a real PostgreSQL.
 */
class DependencyAwareStartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TestDatabase database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startDatabase() throws Exception {
        database = TestDatabase.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    private static AppProcess start(Map<String, String> extra, String... args) {
        var env = new HashMap<String, String>(extra);
        env.put("PORT", "0");
        env.put("LOG_FORMAT", "json");
        env.put("SERVICE_NAME", "price-app");
        env.put("DATABASE_URL", database.url());
        env.put("DATABASE_CONNECTION_TIMEOUT", "1s");
        return AppProcess.startClass(PriceBookApp.class, env, args);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the database, runs {@code args}, starts the database 10 s after the launch, and waits for ready. */
    private void waitsNotReadyThenBecomesReadyByItself(String component, String... args) throws Exception {
        database.stop();
        boolean restarted = false;
        try (var app = start(Map.of(), args)) {
            long launched = System.nanoTime();
            app.awaitEvent(e -> e.message().startsWith(component + " cannot start yet"), WAIT);
            URI base = app.awaitListening(WAIT);

            assertThat(get(base.resolve("/health/live")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/health/ready")).statusCode()).isEqualTo(503);
            assertThat(get(base.resolve("/health/started")).statusCode()).isEqualTo(503);
            assertThat(app.events()).noneMatch(e -> e.level().equals("ERROR"));

            Thread.sleep(Math.max(0, Duration.ofSeconds(10).toMillis() - (System.nanoTime() - launched) / 1_000_000));
            assertThat(ProcessHandle.of(app.pid()).map(ProcessHandle::isAlive)).as("still running, waiting for the database").contains(true);
            database.restart();
            restarted = true;

            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            assertThat(app.events()).anyMatch(e -> e.message().startsWith("started " + component + " in")
                    && e.message().contains("after waiting"));
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(app.events()).filteredOn(e -> e.level().equals("WARN")
                    && e.message().startsWith(component + " cannot start yet")).hasSize(1);
        } finally {
            if (!restarted) {
                database.restart();
            }
        }
    }

    @Test
    void aComponentThatReadsTheDatabaseInStartWaitsForItNotReadyAndBecomesReadyByItself() throws Exception {
        waitsNotReadyThenBecomesReadyByItself("price-book");
    }

    @Test
    void aProcessTypesComponentWaitsForTheDatabaseTheSameWay() throws Exception {
        waitsNotReadyThenBecomesReadyByItself("ledger", "ledger");
    }

    @Test
    void whileAComponentWaitsApplicationRoutesAnswer503WithRetryAfter() throws Exception {
        database.stop();
        try (var app = start(Map.of())) {
            app.awaitEvent(e -> e.message().startsWith("price-book cannot start yet"), WAIT);
            URI base = app.awaitListening(WAIT);

            HttpResponse<String> price = get(base.resolve("/price"));

            assertThat(price.statusCode()).isEqualTo(503);
            assertThat(price.headers().firstValue("Retry-After")).isPresent();
            assertThat(price.body()).contains("starting");
        } finally {
            database.restart();
        }
    }

    @Test
    void underFailFastAComponentThatFindsNoDatabaseEndsTheStart() throws Exception {
        database.stop();
        try (var app = start(Map.of("DATABASE_STARTUP_POLICY", "fail-fast"))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(app.events()).anyMatch(e -> e.level().equals("ERROR") && e.message().contains("did not start"));
        } finally {
            database.restart();
        }
    }

    @Test
    void aHungStopIsLeftBehindAndThePoolStillCloses() throws Exception {
        try (var app = start(Map.of("AUDIT_HANGS", "1", "SHUTDOWN_TIMEOUT", "3s", "SHUTDOWN_DRAIN_DELAY", "0s"))) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

            long signalled = System.nanoTime();
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertThat(app.events()).anyMatch(e -> e.message().startsWith("'stop audit' did not finish within"))
                    .anyMatch(e -> e.message().startsWith("stopped database in"))
                    .anyMatch(e -> e.message().startsWith("stopped price-book in"))
                    .anyMatch(e -> e.level().equals("ERROR") && e.message().startsWith("stopped with problems")
                            && e.message().contains("stop audit"));
            assertThat(took).as("within the budget, and the exit's own margin").isLessThan(Duration.ofSeconds(8));
        }
    }
}
