package dev.skiff.internal;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.skiff.lifecycle.HealthSettings;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.lifecycle.ShutdownSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP server over real sockets on loopback. */
class HttpServerTest {

    private final Lifecycle lifecycle = Lifecycle.create(
            new ShutdownSettings(Duration.ofSeconds(2), Duration.ofSeconds(10)),
            new HealthSettings(Duration.ofMillis(300), Duration.ZERO));
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() {
        var routes = new Routes();
        routes.add("GET", "/hello", ctx -> ctx.json(Map.of("message", "hi " + ctx.queryParam("name").orElse("?"))));
        routes.add("GET", "/boom", ctx -> {
            throw new IllegalStateException("secret internals");
        });
        routes.add("POST", "/text", ctx -> ctx.status(201).text("made"));
        server = new HttpServer(new CoreSettings.Http("127.0.0.1", 0), routes, lifecycle, Duration.ofSeconds(5));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, Map.of());
    }

    @Test
    void servesARouteAsJsonWithARequestId() throws Exception {
        HttpResponse<String> response = get("/hello?name=Ada");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"message\":\"hi Ada\"}");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("X-Request-Id")).get().asString().hasSize(36);
    }

    @Test
    void echoesASaneRequestIdAndReplacesOneThatCouldInjectIntoLogs() throws Exception {
        assertThat(send("GET", "/hello", Map.of("X-Request-Id", "abc-123")).headers().firstValue("X-Request-Id"))
                .contains("abc-123");
        assertThat(send("GET", "/hello", Map.of("X-Request-Id", "a\"b}{x")).headers().firstValue("X-Request-Id"))
                .get().asString().doesNotContain("\"").hasSize(36);
        assertThat(send("GET", "/hello", Map.of("X-Request-Id", "x".repeat(129))).headers().firstValue("X-Request-Id"))
                .get().asString().hasSize(36);
    }

    @Test
    void answersUnknownPathsAndMethodsWithJsonProblems() throws Exception {
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(missing.body()).contains("\"detail\":\"no route for GET /nope\"");

        HttpResponse<String> wrongMethod = send("DELETE", "/hello", Map.of());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void aFailingHandlerBecomesA500WithoutItsInternalsAndTheServerGoesOn() throws Exception {
        HttpResponse<String> response = get("/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret internals").doesNotContain("Exception")
                .contains(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(send("POST", "/text", Map.of()).statusCode()).isEqualTo(201);
    }

    @Test
    void probesFollowTheLifecycle() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/started").statusCode()).isEqualTo(503);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);

        lifecycle.start(Duration.ofSeconds(5));
        assertThat(get("/health/started").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"state\":\"READY\",\"checks\":{}}");
        assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");

        Thread stopping = Thread.ofPlatform().start(lifecycle::shutdown);
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle.state() == HealthState.DRAINING);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/hello").statusCode()).as("still serving while draining").isEqualTo(200);
        stopping.join();
    }

    @Test
    void aFailingOrHangingReadinessCheckIsDownWithItsReasonAndLivenessStaysUp() throws Exception {
        lifecycle.readinessCheck("database", () -> {
            throw new java.sql.SQLException("connection refused");
        });
        lifecycle.readinessCheck("queue", () -> Thread.sleep(60_000));
        lifecycle.readinessCheck("cache", () -> { });
        lifecycle.start(Duration.ofSeconds(5));

        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/checks/database/status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/checks/database/error").asText()).isEqualTo("SQLException: connection refused");
        assertThat(body.at("/checks/queue/error").asText()).isEqualTo("timed out after 300 ms");
        assertThat(body.at("/checks/cache/status").asText()).isEqualTo("UP");
        assertThat(body.at("/checks/cache").has("error")).isFalse();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aPortInUseIsOneClearError() {
        var second = new HttpServer(new CoreSettings.Http("127.0.0.1", server.port()), new Routes(), lifecycle,
                Duration.ofSeconds(1));

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port())
                .hasMessageContaining("make sure no other process uses port " + server.port())
                .hasNoCause();
    }
}
