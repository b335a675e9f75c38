package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import dev.skiff.config.ConfigurationException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code app.http(name)} between two real services over loopback: the one that calls and a
 * backing one whose answers each test arranges.
 */
class ServiceClientTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private RunningService backing;
    private RunningService caller;

    @BeforeEach
    void startTheBackingService() {
        backing = Skiff.start(Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn", "HOST", "127.0.0.1"), app -> {
            app.get("/echo", ctx -> ctx.json(Map.of("requestId", ctx.header("X-Request-Id").orElse(""),
                    "traceparent", ctx.header("traceparent").orElse(""))));
            Handler flaky = ctx -> {
                attempts.incrementAndGet();
                if (failFirst.getAndDecrement() > 0) {
                    ctx.status(503).header("Retry-After", "0").text("busy");
                } else {
                    ctx.text("done after " + attempts.get());
                }
            };
            app.get("/flaky", flaky);
            app.post("/flaky", flaky);
            app.post("/charges", flaky);
            app.get("/slow", ctx -> {
                attempts.incrementAndGet();
                Thread.sleep(3_000);
                ctx.text("late");
            });
        });
        events.start();
        ((Logger) LoggerFactory.getLogger(ServiceClient.class)).addAppender(events);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(ServiceClient.class)).detachAppender(events);
        if (caller != null) {
            caller.close();
        }
        backing.close();
    }

    /** Starts the calling service, whose GET /call/{path} calls the backing service's /{path}. */
    private void startCaller(URI paymentsUrl, Map<String, String> more, Consumer<ServiceClient> alsoWith) {
        var settings = new LinkedHashMap<>(Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn",
                "PAYMENTS_URL", paymentsUrl.toString()));
        settings.putAll(more);
        caller = Skiff.start(settings, app -> {
            ServiceClient payments = app.http("payments");
            alsoWith.accept(payments);
            app.get("/call/{path}", ctx -> {
                HttpResponse<String> answer = payments.get("/" + ctx.pathParam("path"));
                ctx.status(answer.statusCode()).text(answer.body());
            });
            app.post("/call/{path}", ctx -> {
                HttpResponse<String> answer = payments.send(payments.request("/" + ctx.pathParam("path"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                ctx.status(answer.statusCode()).text(answer.body());
            });
        });
    }

    private HttpResponse<String> call(String method, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(caller.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(caller.managementUri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aCallCarriesTheRequestIdAndTheTraceOfTheRequestBeingServed() throws Exception {
        startCaller(backing.uri(), Map.of(), payments -> { });

        HttpResponse<String> response = call("GET", "/call/echo", Map.of("X-Request-Id", "order-42",
                "traceparent", TRACEPARENT));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.get("requestId").asText()).isEqualTo("order-42");
        assertThat(seen.get("traceparent").asText()).as("passed on as it came: this service made no span")
                .isEqualTo(TRACEPARENT);
    }

    @Test
    void anIdempotentCallIsRetriedOn503AndTimedPerAttemptWithoutItsPath() throws Exception {
        startCaller(backing.uri(), Map.of(), payments -> { });
        failFirst.set(2);

        HttpResponse<String> response = call("GET", "/call/flaky", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("done after 3");
        String host = "127.0.0.1:" + backing.uri().getPort();
        assertThat(scrape())
                .contains("http_client_requests_seconds_count{client=\"payments\",error=\"none\",host=\"" + host
                        + "\",method=\"GET\",outcome=\"SERVER_ERROR\",status=\"503\"} 2")
                .contains("http_client_requests_seconds_count{client=\"payments\",error=\"none\",host=\"" + host
                        + "\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\"} 1")
                .contains("http_client_requests_seconds_bucket{client=\"payments\",error=\"none\",host=\"" + host
                        + "\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",le=\"0.005\"}")
                .doesNotContain("flaky");
    }

    @Test
    void aPostThatMayHaveReachedTheServiceIsNotSentTwice() throws Exception {
        startCaller(backing.uri(), Map.of(), payments -> { });
        failFirst.set(5);

        HttpResponse<String> response = call("POST", "/call/flaky", Map.of());

        assertThat(response.statusCode()).as("the service's own answer, handed to the handler").isEqualTo(503);
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetried() throws Exception {
        failFirst.set(1);
        caller = Skiff.start(Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn",
                "PAYMENTS_URL", backing.uri().toString()), app -> {
                    ServiceClient payments = app.http("payments");
                    app.post("/orders/{id}/charge", ctx -> {
                        String orderId = ctx.pathParam("id");
                        String json = "{\"amount\":42}";
                        // snippet:idempotency-key
                        HttpResponse<String> charged = payments.send(payments.request("/charges")
                                .header("Idempotency-Key", orderId)
                                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        // end:idempotency-key
                        ctx.status(charged.statusCode()).text(charged.body());
                    });
                });

        HttpResponse<String> response = call("POST", "/orders/order-7/charge", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(attempts.get()).isEqualTo(2);
    }

    @Test
    void aServiceThatCannotBeReachedIsA503ForTheCallerAndOneWarningPerOutage() throws Exception {
        URI closed;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        startCaller(closed, Map.of(), payments -> { });

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = call("GET", "/call/echo", Map.of());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.body()).contains("a service this one depends on is unavailable")
                    .doesNotContain("127.0.0.1").doesNotContain("payments");
        }

        assertThat(scrape()).as("refused connections are retried: the request never reached the service")
                .contains("http_client_requests_seconds_count{client=\"payments\",error=\"connect\",host=\"127.0.0.1:"
                        + closed.getPort() + "\",method=\"GET\",outcome=\"UNKNOWN\",status=\"NONE\"} 9");
        assertThat(events.list).filteredOn(e -> e.getLevel().toString().equals("WARN")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("payments is unavailable: payments ("
                        + closed + "): cannot connect after 3 attempts in "));
    }

    @Test
    void noCallWaitsLongerThanTheRequestTimeoutRetriesIncluded() throws Exception {
        startCaller(backing.uri(), Map.of("PAYMENTS_REQUEST_TIMEOUT", "400ms"), payments -> { });

        HttpResponse<String> response = call("GET", "/call/slow", Map.of());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(attempts.get()).as("no time was left for a retry").isEqualTo(1);
        assertThat(scrape()).contains("error=\"timeout\"");
    }

    @Test
    void aServiceThatSendsItsHeadersAndThenStallsItsBodyIsCutOffAtTheDeadline() throws Exception {
        try (var stalling = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            var held = new java.util.concurrent.CopyOnWriteArrayList<java.net.Socket>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        var socket = stalling.accept();
                        held.add(socket);
                        socket.getInputStream().read(new byte[4096]);
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nthe first"
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            startCaller(URI.create("http://127.0.0.1:" + stalling.getLocalPort()),
                    Map.of("PAYMENTS_REQUEST_TIMEOUT", "500ms"), payments -> { });

            HttpResponse<String> response = call("GET", "/call/echo", Map.of());

            assertThat(response.statusCode()).as("the JDK's own timeout ends at the headers; the call's at the body")
                    .isEqualTo(503);
            assertThat(scrape()).contains("error=\"timeout\"");
            for (var socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void retriesStopWhenTheBudgetIsSpentSoADownServiceIsNotHammered() throws Exception {
        startCaller(backing.uri(), Map.of(), payments -> { });
        failFirst.set(Integer.MAX_VALUE);

        for (int i = 0; i < 20; i++) {
            assertThat(call("GET", "/call/flaky", Map.of()).statusCode()).isEqualTo(503);
        }

        // 20 calls, retried twice each while the reserve of 10 retries and a tenth per call last.
        assertThat(attempts.get()).isBetween(20 + 10, 20 + 10 + 3);
    }

    @Test
    void aHealthCheckMakesReadinessFollowTheService() throws Exception {
        var settings = Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn", "HEALTH_CACHE_TTL", "0s",
                "PAYMENTS_URL", backing.uri().toString());
        caller = Skiff.start(settings, app -> {
            ServiceClient payments = app.http("payments");
            // snippet:readiness
            app.readinessCheck("payments", payments.healthCheck("/health/ready"));
            // end:readiness
        });
        URI ready = caller.managementUri().resolve("/health/ready");
        assertThat(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        backing.close();

        HttpResponse<String> probe = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).isEqualTo(503);
        assertThat(probe.body()).contains("\"payments\":{\"status\":\"DOWN\"");
    }

    @Test
    void aHealthCheckIsGivenHealthCheckTimeoutNotAFixedOne() throws Exception {
        var slow = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/health/ready", exchange -> {
            try {
                Thread.sleep(1_200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slow.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        slow.start();
        try {
            var settings = Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn", "HEALTH_CACHE_TTL", "0s",
                    "HEALTH_CHECK_TIMEOUT", "3s", "PAYMENTS_URL", "http://127.0.0.1:" + slow.getAddress().getPort());
            caller = Skiff.start(settings, app -> app.readinessCheck("payments",
                    app.http("payments").healthCheck("/health/ready")));
            URI ready = caller.managementUri().resolve("/health/ready");

            HttpResponse<String> probe = http.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(200);
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void aMissingOrBadUrlIsInTheConfigurationReportWithItsVariable() {
        assertThatThrownBy(() -> Skiff.start(Map.of("LOG_LEVEL", "warn"), app -> app.http("payments")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PAYMENTS_URL");
        assertThatThrownBy(() -> Skiff.start(Map.of("LOG_LEVEL", "warn", "PAYMENTS_URL", "https://u:t0ken-x@pay_svc:8443"),
                app -> app.http("payments")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must not hold credentials")
                .hasMessageNotContaining("t0ken-x");
        assertThatThrownBy(() -> Skiff.start(Map.of("LOG_LEVEL", "warn", "PAYMENTS_URL", "ftp://files",
                "LEDGER_URL", "http://ledger:8080", "LEDGER_REQUEST_TIMEOUT", "0s"), app -> {
                    app.http("payments");
                    app.http("ledger");
                }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PAYMENTS_URL").hasMessageContaining("http:// or https://")
                .hasMessageContaining("LEDGER_REQUEST_TIMEOUT").hasMessageContaining("1ms or more");
    }

    @Test
    void aPathCannotLeaveTheService() {
        startCaller(URI.create("http://payments.internal:8080/api/"), Map.of(), payments -> {
            assertThat(payments.request("/v1/charges").build().uri())
                    .isEqualTo(URI.create("http://payments.internal:8080/api/v1/charges"));
            for (String escape : new String[] {"http://elsewhere/steal", "//elsewhere/steal", "../admin", "/v1/../../admin",
                    "/%2e%2e/admin", "/v1/%2E%2E/%2e%2e/admin", "\\\\elsewhere\\x", "/a b", "http:x",
                    // Encodings that servers decode into a way out of /api/v1 (a name from input,
                    // URLEncoder.encode("../../x") is the first):
                    "/..%2F..%2Fx", "/..%2f..%2fadmin.txt", "/%2e%2e%2f%2e%2e%2fadmin.txt", "/%2E%2e%2F%2e%2E%2Fadmin.txt",
                    "/..;/admin", "/..;jsessionid=1/admin", "/..%5c..%5cadmin", "/..%00/admin", "/x%00", "/.%2e/admin",
                    "/%252e%252e/admin", "/%25252e%25252e/admin", "/..%252fadmin", "/files/%2fetc%2fpasswd",
                    "/files/a%5cb", "/%2e/admin", "/x%0d%0aHost:%20evil", "/x%zz", "/x%2"}) {
                assertThatThrownBy(() -> payments.request(escape)).as(escape)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a path under payments");
            }
            assertThat(payments.request("v1/charges?next=http://x/../y").build().uri().getRawPath())
                    .isEqualTo("/api/v1/charges");
            for (String fine : new String[] {"/v1/a%20b", "/v1/caf%C3%A9", "/v1/...", "/v1/.hidden", "/v1/a..b", "/v1/50%25"}) {
                assertThat(payments.request(fine).build().uri().getRawPath()).as(fine).startsWith("/api/v1/");
            }
            assertThatThrownBy(() -> payments.send(java.net.http.HttpRequest.newBuilder(URI.create("http://elsewhere/x"))
                    .build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to payments");
        });
    }
}
