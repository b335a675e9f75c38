package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.testing.AppProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sample's own module ({@link Moderation}) in the packaged service, against a local fake of
 * the moderation service: configuration, component, backing service and meters, as docs/modules.md
 * describes them.
 */
class ModerationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("skiff.jar", "target/notes.jar"));
    private static final String H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_DELAY=-1";
    private static final String TOKEN = "moderation-test-token";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A moderation service that refuses any text with "spam" in it. */
    private static HttpServer moderation(int port) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/check", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (text.contains("spam") ? "refuse" : "allow").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static AppProcess start(int moderationPort, String... args) {
        var env = new HashMap<String, String>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", H2);
        env.put("NOTES_API_TOKEN", TOKEN);
        env.put("MODERATION_URL", "http://127.0.0.1:" + moderationPort);
        env.put("MODERATION_TIMEOUT", "1s");
        return AppProcess.startJar(JAR, env, args);
    }

    private HttpResponse<String> post(URI base, String title) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/notes")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNoteTheModerationServiceRefusesIs422AndTheModuleCountsIt() throws Exception {
        HttpServer service = moderation(0);
        try (var app = start(service.getAddress().getPort())) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

            assertThat(post(base, "groceries").statusCode()).isEqualTo(201);
            HttpResponse<String> refused = post(base, "cheap spam");
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("refused by moderation")
                    .contains("\"type\":\"https://notes.example.com/problems/refused-by-moderation\"")
                    .contains("\"title\":\"Refused by moderation\"");

            String metrics = get(base.resolve("/metrics")).body();
            assertThat(metrics).contains("moderation_rejected_total 1.0").contains("moderation_checks_seconds_count 2");
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(app.events()).anyMatch(e -> e.message().startsWith("started moderation in"));
        } finally {
            service.stop(0);
        }
    }

    @Test
    void aModerationServiceDownAtLaunchIsWaitedForNotReady() throws Exception {
        int port = freePort();
        HttpServer service = null;
        try (var app = start(port)) {
            app.awaitEvent(e -> e.message().startsWith("moderation cannot start yet"), WAIT);
            URI base = app.awaitListening(WAIT);
            assertThat(get(base.resolve("/health/ready")).statusCode()).isEqualTo(503);

            service = moderation(port);

            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            assertThat(post(base, "groceries").statusCode()).isEqualTo(201);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        } finally {
            if (service != null) {
                service.stop(0);
            }
        }
    }

    @Test
    void aNoteThatCannotBeCheckedIs503WithRetryAfterAndTheOutageIsSaidOnce() throws Exception {
        HttpServer service = moderation(0);
        int port = service.getAddress().getPort();
        try (var app = start(port)) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            service.stop(0);

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> unchecked = post(base, "groceries " + i);
                assertThat(unchecked.statusCode()).isEqualTo(503);
                assertThat(unchecked.headers().firstValue("Retry-After")).isPresent();
            }
            service = moderation(port);
            app.awaitEvent(e -> e.message().startsWith("moderation answers again"), WAIT);

            assertThat(post(base, "groceries").statusCode()).isEqualTo(201);
            assertThat(app.events()).filteredOn(e -> e.message().startsWith("moderation is unavailable")).hasSize(1)
                    .allSatisfy(e -> assertThat(e.level()).isEqualTo("WARN"));
            assertThat(app.events()).filteredOn(e -> e.message().startsWith("moderation answers again"))
                    .singleElement().satisfies(e -> assertThat(e.message()).endsWith("meanwhile: 3"));
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        } finally {
            service.stop(0);
        }
    }

    @Test
    void checkReportsAModerationServiceThatIsDownAndStillTriesTheDatabase() throws Exception {
        var env = new HashMap<String, String>();
        env.put("DATABASE_URL", H2);
        env.put("NOTES_API_TOKEN", TOKEN);
        env.put("MODERATION_URL", "http://mod:Zq9modsecret@127.0.0.1:" + freePort() + "/");
        try (var app = AppProcess.startJar(JAR, env, "check")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);

            assertThat(app.stdoutLines()).anyMatch(line -> line.startsWith("database") && line.contains("OK:"))
                    .anyMatch(line -> line.startsWith("moderation") && line.contains("FAILED:")
                            && line.contains("did not answer") && line.contains("mod:******@"))
                    .contains("Some checks failed.");
            assertThat(String.join("\n", app.stdoutLines()) + String.join("\n", app.stderrLines()))
                    .as("the password in MODERATION_URL").doesNotContain("Zq9modsecret");
        }
    }

    @Test
    void theModulesCommandRunsWithItsComponentStarted() throws Exception {
        HttpServer service = moderation(0);
        try (var allowed = start(service.getAddress().getPort(), "moderate", "groceries");
             var refused = start(service.getAddress().getPort(), "moderate", "cheap", "spam")) {
            assertThat(allowed.awaitExit(WAIT)).isZero();
            assertThat(refused.awaitExit(WAIT)).isEqualTo(2);

            // stdout is the command's result alone; its log events are on stderr.
            assertThat(allowed.stdoutLines()).containsExactly("allowed");
            assertThat(refused.stdoutLines()).containsExactly("refused");
            assertThat(refused.stderrEvents()).anyMatch(e -> e.message().startsWith("started moderation in"));
        } finally {
            service.stop(0);
        }
    }
}
