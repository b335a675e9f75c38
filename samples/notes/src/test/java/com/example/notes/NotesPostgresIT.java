package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.testing.AppProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

/**
 * The packaged sample against a real PostgreSQL, as a platform runs it: the release step
 * ({@code migrate}), the web process and the worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotesPostgresIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("skiff.jar", "target/notes.jar"));
    private static final String PASSWORD = "notes-pw-3c9d";
    private static EmbeddedPostgres postgres;
    private static String url;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (var admin = postgres.getPostgresDatabase().getConnection(); var statement = admin.createStatement()) {
            statement.execute("CREATE USER notes WITH PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE notes OWNER notes");
        }
        url = "postgres://notes:" + PASSWORD + "@127.0.0.1:" + postgres.getPort() + "/notes";
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static AppProcess notes(String... args) {
        var env = new HashMap<String, String>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", url);
        env.put("NOTES_API_TOKEN", "token-for-tests");
        env.put("NOTES_PURGE_EVERY", "1s");
        return AppProcess.startJar(JAR, env, args);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void beforeMigratingTheServiceIsNotReadyAndSaysWhy() throws Exception {
        try (var app = notes()) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/started")).statusCode() == 200);

            HttpResponse<String> ready = get(base.resolve("/health/ready"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"schema\":{\"status\":\"DOWN\"").doesNotContain("migration");
            // Why is in the log, where operators look, not in the public probe's body.
            app.awaitEvent(e -> e.message().equals("readiness check 'schema' is down: IllegalStateException:"
                    + " 1 migration(s) pending, the first 1 (create notes): run the migrate command"), WAIT);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        }
    }

    @Test
    @Order(2)
    void migrateDryRunListsThenMigrateApplies() {
        try (var dry = notes("migrate", "--dry-run")) {
            assertThat(dry.awaitExit(WAIT)).isZero();
            // The command's result alone: java -jar notes.jar migrate --dry-run > out keeps no log line.
            assertThat(dry.stdoutLines()).containsExactly("1 pending migration(s):",
                    "  1  create notes  (V1__create_notes.sql)");
            assertThat(dry.stderrEvents()).anyMatch(e -> e.message().startsWith("command migrate finished with status 0"));
        }
        try (var migrate = notes("migrate")) {
            assertThat(migrate.awaitExit(WAIT)).isZero();
            assertThat(migrate.stderrEvents()).extracting(e -> e.message())
                    .contains("applied 1 migration(s); the schema is at version 1");
            assertThat(String.join("\n", migrate.stdoutLines()) + String.join("\n", migrate.stderrLines()))
                    .doesNotContain(PASSWORD);
        }
        try (var again = notes("migrate", "--dry-run")) {
            assertThat(again.awaitExit(WAIT)).isZero();
            assertThat(again.stdoutLines()).contains("0 pending migration(s)");
        }
    }

    @Test
    @Order(3)
    void servesNotesFromPostgresAndTheWorkerPurgesExpiredOnes() throws Exception {
        try (var web = notes()) {
            URI base = web.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/notes"))
                    .header("Authorization", "Bearer token-for-tests").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"keep\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            web.signal(AppProcess.Signal.TERM);
            assertThat(web.awaitExit(WAIT)).isZero();
        }
        try (var connection = postgres.getDatabase("notes", "notes").getConnection();
             var insert = connection.prepareStatement("INSERT INTO notes (title, body, created_at, updated_at,"
                     + " expires_at) VALUES ('old', '', now(), now(), ?)")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(60)));
            insert.executeUpdate();
        }

        try (var worker = notes("worker")) {
            URI management = worker.awaitListening(WAIT);
            worker.awaitEvent(e -> e.field("notes_purged").equals(java.util.Optional.of(1)), WAIT);
            assertThat(get(management.resolve("/health/ready")).statusCode()).isEqualTo(200);
            assertThat(get(management.resolve("/notes")).statusCode()).isEqualTo(404);
            worker.signal(AppProcess.Signal.TERM);
            assertThat(worker.awaitExit(WAIT)).isZero();
        }
        try (var connection = postgres.getDatabase("notes", "notes").getConnection();
             var count = connection.createStatement().executeQuery("SELECT title FROM notes")) {
            assertThat(count.next()).isTrue();
            assertThat(count.getString(1)).isEqualTo("keep");
            assertThat(count.next()).isFalse();
        }
    }
}
