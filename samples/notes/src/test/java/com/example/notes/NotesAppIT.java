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
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "NOTES_GREETING", "Ahoy"))) {
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
    void aBadPortIsReportedAndNothingStarts() {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "eighty"))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", app.stderrLines()))
                    .contains("http.port")
                    .contains("env var PORT")
                    .contains("expected a whole number, got \"eighty\"");
            assertThat(app.stdoutLines()).isEmpty();
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
