package dev.skiff.http.internal;

import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Metrics;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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

    private final Metrics metrics = new Metrics(() -> 0);
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> access =
            new ch.qos.logback.core.read.ListAppender<>();

    record Note(String title, int stars) {}

    private static CoreSettings.Http http(int port) {
        return CoreSettings.Http.of("127.0.0.1", port, dev.skiff.config.ByteSize.ofBytes(1024), dev.skiff.config.ByteSize.ofBytes(64L << 20), true, 2,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    private final java.util.concurrent.CountDownLatch slowEntered = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch slowRelease = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch stuckInterrupted = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch stubbornRelease = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch stubbornInterrupted = new java.util.concurrent.CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        access.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("skiff.access")).addAppender(access);
        var routes = new RouteTable();
        routes.add("GET", "/notes/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"), "route", ctx.route())));
        routes.add("GET", "/notes/mine", ctx -> ctx.text("mine"));
        routes.before(ctx -> {
            if (ctx.header("X-Block").isPresent()) {
                ctx.status(401).json(Map.of("detail", "blocked by a filter"));
            }
        });
        routes.before(ctx -> {
            if (ctx.header("X-Deny").isPresent()) {
                throw new dev.skiff.http.HttpException(403, "denied by a filter");
            }
        });
        routes.after(ctx -> ctx.header("X-Served-By", "after-filter"));
        routes.add("GET", "/quiet", ctx -> { });
        routes.add("GET", "/dated", ctx -> ctx.header("Date", "Sun, 06 Nov 1994 08:49:37 GMT").text("old news"));
        routes.add("GET", "/stuck", ctx -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                stuckInterrupted.countDown();
                throw e;
            }
        });
        routes.add("GET", "/slow", ctx -> {
            slowEntered.countDown();
            slowRelease.await();
            ctx.text("done");
        });
        routes.add("POST", "/notes", ctx -> {
            Note note = ctx.bodyAs(Note.class);
            ctx.status(201).json(note);
        });
        routes.add("DELETE", "/notes/{id}", ctx -> {
            throw dev.skiff.http.HttpException.notFound("no note " + ctx.pathParam("id"));
        });
        routes.add("GET", "/hello", ctx -> ctx.json(Map.of("message", "hi " + ctx.queryParam("name").orElse("?"))));
        routes.add("GET", "/boom", ctx -> {
            throw new IllegalStateException("secret internals");
        });
        routes.add("POST", "/text", ctx -> ctx.status(201).text("made"));
        routes.add("GET", "/stream", ctx -> {
            ctx.header("X-Before", "set before the stream");
            var out = ctx.stream("text/csv");
            out.write("a,b\n".getBytes());
            out.flush();
            out.write("1,2\n".getBytes());
        });
        routes.add("GET", "/stream-fails", ctx -> {
            var out = ctx.stream("text/csv");
            out.write("a,b\n".getBytes());
            out.flush();
            throw new IllegalStateException("the export broke off");
        });
        routes.add("GET", "/stubborn", ctx -> {
            // Ignores the interrupt of the request timeout, as a call that cannot be interrupted would.
            while (true) {
                try {
                    stubbornRelease.await();
                    break;
                } catch (InterruptedException ignored) {
                    stubbornInterrupted.countDown();
                }
            }
            ctx.text("too late");
        });
        routes.add("GET", "/big", ctx -> ctx.bytes(new byte[16 << 20], "application/octet-stream"));
        routes.add("GET", "/twice", ctx -> {
            ctx.text("first");
            ctx.text("second");
        });
        server = new HttpServer(http(0), null, routes, lifecycle, metrics, Map.of("service", Map.of("name", "test")),
                Duration.ofSeconds(5), java.util.List.of());
        server.start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() throws Exception {
        slowRelease.countDown();
        stubbornRelease.countDown();
        server.stop();
        metrics.close();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("skiff.access")).detachAppender(access);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesByTemplateWithPathParametersAndLiteralSegmentsFirst() throws Exception {
        assertThat(get("/notes/42").body()).contains("\"id\":\"42\"").contains("\"route\":\"/notes/{id}\"");
        assertThat(get("/notes/mine").body()).isEqualTo("mine");
        assertThat(get("/notes/42/extra").statusCode()).isEqualTo(404);
        HttpResponse<String> head = send("HEAD", "/notes/42", Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> put = send("PUT", "/notes/42", Map.of());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("DELETE, GET, HEAD, OPTIONS");
    }

    @Test
    void readsAJsonBodyIntoARecordAndExplainsABadOne() throws Exception {
        HttpResponse<String> created = send("POST", "/notes", "{\"title\":\"milk\",\"stars\":3}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"title\":\"milk\",\"stars\":3}");

        assertThat(send("POST", "/notes", "{\"title\":").body())
                .contains("\"status\":400").contains("\"detail\":\"malformed JSON: ").doesNotContain("Note");
        assertThat(send("POST", "/notes", "{\"titel\":\"milk\"}").body())
                .contains("unknown field \\\"titel\\\"; the fields are stars, title (line 1, column 17)");
        assertThat(send("POST", "/notes", "{\"title\":\"milk\",\"stars\":\"many\"}").body())
                .contains("\\\"/stars\\\" has the wrong type; expected a whole number (got \\\"many\\\")")
                .contains("\"pointer\":\"/stars\"");
        assertThat(send("POST", "/notes", "").body()).contains("the request has no body; send a JSON body");
    }

    @Test
    void aBodyOverTheLimitIs413WithoutReadingIt() throws Exception {
        HttpResponse<String> response = send("POST", "/notes", "{\"title\":\"" + "x".repeat(2000) + "\",\"stars\":1}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("larger than 1024 bytes, the limit set by http.max-body-size");
    }

    @Test
    void anHttpExceptionIsItsStatusAsAProblem() throws Exception {
        HttpResponse<String> response = send("DELETE", "/notes/7", Map.of());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).startsWith("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no note 7\",\"request_id\":");
    }

    @Test
    void metricsTagRequestsByRouteTemplateNeverTheRawPath() throws Exception {
        get("/notes/1");
        get("/notes/2");
        get("/nowhere/3");

        // A request is recorded once its exchange completes, which may be just after its client
        // has read the answer.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> get("/metrics").body()
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/notes/{id}\"} 2"));
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("uri=\"UNMATCHED\"")
                .doesNotContain("/notes/1").doesNotContain("/nowhere/3")
                .contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    }

    @Test
    void anAfterFilterSetsHeadersOnAResponseTheHandlerAlreadyWrote() throws Exception {
        HttpResponse<String> response = get("/hello?name=ada");

        assertThat(response.body()).isEqualTo("{\"message\":\"hi ada\"}");
        assertThat(response.headers().firstValue("X-Served-By")).contains("after-filter");
    }

    @Test
    void metricsPassPrometheusOwnCheck() throws Exception {
        get("/notes/1");
        get("/nowhere");
        String scrape = get("/metrics").body();

        var check = Promtool.checkMetrics(scrape);

        assertThat(check.output()).isEmpty();
        assertThat(check.exitCode()).isZero();
        assertThat(scrape).contains("process_cpu_seconds_total").contains("jvm_available_processors");
    }

    @Test
    void infoNamesTheServiceAndItsUptime() throws Exception {
        HttpResponse<String> info = get("/info");

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).startsWith("{\"service\":{\"name\":\"test\"},\"started_at\":\"")
                .containsPattern("\"started_at\":\"\\d{4}-\\d{2}-\\d{2}T[^\"]+Z\",\"uptime_ms\":\\d+}$");
    }

    @Test
    void everyApplicationRequestIsOneStructuredAccessEventAndProbesAreNot() throws Exception {
        get("/notes/5");
        get("/health/live");

        await().atMost(Duration.ofSeconds(5)).until(() -> !access.list.isEmpty());
        assertThat(access.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).matches("GET /notes/5 200 \\d+ ms");
            var fields = new java.util.HashMap<String, Object>();
            event.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
            assertThat(fields).containsEntry("http.route", "/notes/{id}").containsEntry("http.response.status_code", 200)
                    .containsKeys("event.duration", "http.response.body.bytes", "user_agent.original");
        });
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "User-Agent:\r\n", "User-Agent:   \r\n"})
    void aRequestWithoutAUserAgentHasNoUserAgentInItsAccessEvent(String header) throws Exception {
        assertThat(raw("GET /notes/5 HTTP/1.1\r\nHost: test\r\n" + header + "Connection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");

        await().atMost(Duration.ofSeconds(5)).until(() -> !access.list.isEmpty());
        assertThat(access.list).singleElement().satisfies(event -> {
            var keys = event.getKeyValuePairs().stream().map(kv -> kv.key).toList();
            assertThat(keys).contains("client.address").doesNotContain("user_agent.original");
        });
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
    void everyResponseIsDatedOnceWithTheCurrentSecond() throws Exception {
        for (HttpResponse<String> response : List.of(get("/hello"), get("/no-such-route"), get("/health/live"),
                send("HEAD", "/hello", Map.of()))) {
            long now = System.currentTimeMillis();
            List<String> dates = response.headers().allValues("Date");
            assertThat(dates).as(response.uri().getPath()).hasSize(1);
            long dated = java.time.ZonedDateTime.parse(dates.getFirst(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            assertThat(dated).as(response.uri().getPath()).isBetween(now - 5_000, now);
        }
        assertThat(get("/dated").headers().allValues("Date")).as("a Date the handler set")
                .containsExactly("Sun, 06 Nov 1994 08:49:37 GMT");
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
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
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
        assertThat(body.at("/checks/database/error").asText()).isEqualTo("failed");
        assertThat(ready.body()).doesNotContain("connection refused");
        assertThat(body.at("/checks/queue/error").asText()).isEqualTo("timed out after 300 ms");
        assertThat(body.at("/checks/cache/status").asText()).isEqualTo("UP");
        assertThat(body.at("/checks/cache").has("error")).isFalse();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aPortInUseIsOneClearError() {
        var second = new HttpServer(http(server.port()), null, new RouteTable(), lifecycle, metrics, Map.of(),
                Duration.ofSeconds(1), java.util.List.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port())
                .hasMessageContaining("make sure no other process uses port " + server.port())
                .hasNoCause();
    }

    @Test
    void stopRefusesNewConnectionsAtOnceAndLetsARequestInFlightFinishWithConnectionClose() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n".getBytes());
            slowEntered.await();
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    server.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (var probe = new java.net.Socket("127.0.0.1", server.port())) {
                    return false;
                } catch (java.net.ConnectException refused) {
                    return true;
                }
            });
            slowRelease.countDown();
            String response = new String(socket.getInputStream().readAllBytes());
            stopper.join();

            assertThat(response).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close").endsWith("done");
        }
    }

    @Test
    void beyondTheConcurrencyLimitTheAnswerIs503WithRetryAfterNotAQueue() throws Exception {
        var first = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        slowEntered.await();
        var second = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 2);

        HttpResponse<String> third = get("/notes/1");
        slowRelease.countDown();

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).contains("1");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(get("/notes/1").statusCode()).isEqualTo(200);
    }

    @Test
    void aFilterThatAnswersOrThrowsEndsTheRequestBeforeTheHandler() throws Exception {
        HttpResponse<String> blocked = send("GET", "/notes/1", Map.of("X-Block", "yes"));
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).isEqualTo("{\"detail\":\"blocked by a filter\"}");

        HttpResponse<String> denied = send("GET", "/notes/1", Map.of("X-Deny", "yes"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("\"detail\":\"denied by a filter\"");
    }

    @Test
    void aHandlerThatAnswersNothingSendsAnEmptyResponse() throws Exception {
        HttpResponse<String> quiet = get("/quiet");

        assertThat(quiet.statusCode()).isEqualTo(200);
        assertThat(quiet.body()).isEmpty();
    }

    @Test
    void aHandlerPastTheRequestTimeoutIsAnswered503AndInterrupted() throws Exception {
        HttpResponse<String> stuck = get("/stuck");

        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(stuck.body()).contains("the request took longer than 3000 ms");
        assertThat(stuckInterrupted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(get("/notes/1").statusCode()).isEqualTo(200);
    }

    /** Sends raw bytes and reads until the server closes the connection or goes quiet for 5 s. */
    private String raw(String request) throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            var out = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(out);
            } catch (java.net.SocketTimeoutException | java.net.SocketException quietOrCut) {
                // what came so far is the answer
            }
            return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aStreamedResponseCarriesTheHeadersSetBeforeItOpenedAndNotTheAfterFilters() throws Exception {
        HttpResponse<String> streamed = get("/stream");

        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).isEqualTo("a,b\n1,2\n");
        assertThat(streamed.headers().firstValue("Content-Type")).contains("text/csv");
        assertThat(streamed.headers().firstValue("X-Before")).contains("set before the stream");
        assertThat(streamed.headers().firstValue("X-Served-By")).as("the stream had started").isEmpty();
    }

    @Test
    void aStreamThatFailsMidwayIsCutSoTheClientCannotTakeItForWhole() throws Exception {
        String response = raw("GET /stream-fails HTTP/1.1\r\nHost: test\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200").contains("a,b").doesNotEndWith("0\r\n\r\n");
        assertThat(get("/notes/1").statusCode()).isEqualTo(200);
    }

    @Test
    void aSecondAnswerIsAnErrorOfTheHandlerNotASecondResponse() throws Exception {
        HttpResponse<String> twice = get("/twice");

        assertThat(twice.statusCode()).isEqualTo(500);
        assertThat(twice.body()).doesNotContain("first").doesNotContain("second");
        assertThat(twice.headers().firstValue("X-Served-By")).contains("after-filter");
    }

    @Test
    void aClientThatGoesAwayHoldsItsPlaceOnlyUntilItsHandlerReturns() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n".getBytes());
            slowEntered.await();
        }
        assertThat(server.activeRequests()).isEqualTo(1);
        slowRelease.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void aHandlerPastTheTimeoutKeepsItsPlaceUntilItReallyReturns() throws Exception {
        HttpResponse<String> stubborn = get("/stubborn");

        assertThat(stubborn.statusCode()).isEqualTo(503);
        assertThat(stubbornInterrupted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(server.activeRequests()).as("its handler still runs").isEqualTo(1);
        stubbornRelease.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !access.list.isEmpty());
        assertThat(access.list).anySatisfy(event -> assertThat(event.getFormattedMessage()).startsWith("GET /stubborn 503"));
    }

    @Test
    void beforeFiltersRunBeforeTheBodyIsRead() throws Exception {
        // The body is announced but never sent: a filter that refuses answers at once, where
        // reading the body first would have waited for it and answered 408.
        String refused = raw("POST /notes HTTP/1.1\r\nHost: test\r\nX-Deny: yes\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\n\r\n");

        assertThat(refused).startsWith("HTTP/1.1 403").contains("denied by a filter").contains("Connection: close");
    }

    @Test
    void aClientThatExpects100ContinueIsToldToSendOnlyWhenTheHandlerReadsTheBody() throws Exception {
        String refused = raw("POST /notes HTTP/1.1\r\nHost: test\r\nX-Deny: yes\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/json\r\nContent-Length: 25\r\n\r\n");
        assertThat(refused).startsWith("HTTP/1.1 403").doesNotContain("100 Continue");

        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(("POST /notes HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 25\r\n\r\n").getBytes());
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write("{\"title\":\"tea\",\"stars\":5}".getBytes());
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 201 Created");
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedByTheWriteTimeout() throws Exception {
        try (var socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: test\r\n\r\n".getBytes());
            // The client reads nothing: the response cannot be written, and must not hold on for ever.
            await().atMost(Duration.ofSeconds(15)).until(() -> server.activeRequests() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        }
        assertThat(get("/notes/1").statusCode()).isEqualTo(200);
    }

    @Test
    void closedConnectionsAreForgotten() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write("GET /notes/1 HTTP/1.1\r\nHost: test\r\n\r\n".getBytes());
                socket.getInputStream().read(new byte[512]);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }
}
