package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.testing.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged sample as a real child JVM: the path a user takes from the README. */
class NotesAppIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("notes.jar", "target/notes.jar"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesOnAFreePortAndStopsCleanlyOnSigterm() throws Exception {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "NOTES_GREETING", "Ahoy", "NOTES_REPORT_EVERY", "1h"))) {
            URI base = app.awaitListening(WAIT);

            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            assertThat(get(base.resolve("/health/live")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/health/started")).statusCode()).isEqualTo(200);

            HttpResponse<String> hello = get(base.resolve("/hello?name=Ada"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(hello.body()).get("message").asText()).isEqualTo("Ahoy, Ada!");
            assertThat(hello.headers().firstValue("X-Request-Id")).isPresent();

            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).as("exit code after SIGTERM").isEqualTo(0);

            assertThat(app.stdoutLines()).isNotEmpty();
            var events = app.events(); // fails on any stdout line that is not a JSON object
            JsonNode first = events.getFirst();
            assertThat(first.get("message").asText()).startsWith("notes 0.1.0-SNAPSHOT (commit ");
            assertThat(first.get("service.name").asText()).isEqualTo("notes");
            assertThat(events).anySatisfy(e -> assertThat(e.get("message").asText()).matches("started in \\d+ ms"));
            assertThat(events.getLast().get("message").asText()).startsWith("stopped cleanly in");
            assertThat(events).as("the periodic job reports what is left when it stops")
                    .anySatisfy(e -> assertThat(e.path("greetings").asInt(-1)).isEqualTo(1));
        }
    }

    @Test
    void theNotesApiCreatesReadsUpdatesListsAndDeletesAndExplainsBadInput() throws Exception {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0"))) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            var json = new ObjectMapper();

            HttpResponse<String> created = send("POST", base.resolve("/notes"), "{\"title\":\"milk\",\"body\":\"2 l\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            long id = json.readTree(created.body()).get("id").asLong();
            assertThat(created.headers().firstValue("Location")).contains("/notes/" + id);
            assertThat(json.readTree(created.body()).get("updatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

            assertThat(json.readTree(get(base.resolve("/notes/" + id)).body()).get("title").asText()).isEqualTo("milk");
            assertThat(send("PUT", base.resolve("/notes/" + id), "{\"title\":\"oat milk\"}").statusCode()).isEqualTo(200);
            JsonNode page = json.readTree(get(base.resolve("/notes?limit=10")).body());
            assertThat(page.get("total").asInt()).isEqualTo(1);
            assertThat(page.at("/notes/0/title").asText()).isEqualTo("oat milk");

            HttpResponse<String> blank = send("POST", base.resolve("/notes"), "{\"title\":\" \"}");
            assertThat(blank.statusCode()).isEqualTo(400);
            assertThat(json.readTree(blank.body()).get("detail").asText()).isEqualTo("title is required");
            assertThat(send("POST", base.resolve("/notes"), "{\"title\":").statusCode()).isEqualTo(400);
            assertThat(get(base.resolve("/notes?limit=many")).statusCode()).isEqualTo(400);
            assertThat(get(base.resolve("/notes/abc")).statusCode()).isEqualTo(400);

            assertThat(send("DELETE", base.resolve("/notes/" + id), "").statusCode()).isEqualTo(204);
            HttpResponse<String> gone = get(base.resolve("/notes/" + id));
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.headers().firstValue("Content-Type")).contains("application/problem+json");

            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
        }
    }

    @Test
    void sigintStopsItCleanlyToo() throws Exception {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0"))) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

            app.signal(AppProcess.Signal.INT);

            assertThat(app.awaitExit(WAIT)).as("exit code after SIGINT").isEqualTo(0);
        }
    }

    @Test
    void everyBadValueIsReportedAtOnceAndNothingStarts() {
        var env = Map.of("PORT", "eighty", "SHUTDOWN_TIMEOUT", "soon", "LOG_LEVEL", "loud", "NOTES_GREETING", " ");
        try (var app = AppProcess.startJar(JAR, env)) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", app.stderrLines())).isEqualTo("""
                    Configuration is invalid (3 problems); nothing was started.

                      1. http.port: expected a whole number, got "eighty"
                            from: env var PORT
                            to fix: set PORT (or http.port in application.conf)

                      2. shutdown.timeout: expected a duration such as 250ms, 30s, 5m or PT30S, got "soon"
                            from: env var SHUTDOWN_TIMEOUT
                            to fix: set SHUTDOWN_TIMEOUT (or shutdown.timeout in application.conf)

                      3. log.level: expected one of trace, debug, info, warn, error, off, got "loud"
                            from: env var LOG_LEVEL
                            to fix: set LOG_LEVEL (or log.level in application.conf)""");
            assertThat(app.stdoutLines()).isEmpty();
        }
    }

    @Test
    void aBadValueOfTheApplicationsOwnIsReportedToo() {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "NOTES_GREETING", " "))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(app.stderrLines()).contains(
                    "  1. notes.greeting: greeting must not be blank",
                    "        from: env var NOTES_GREETING");
        }
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
