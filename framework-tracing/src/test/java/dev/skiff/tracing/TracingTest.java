package dev.skiff.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import dev.skiff.config.ConfigurationException;
import dev.skiff.http.ServiceClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Tracing switched on by the standard variables alone, against an OTLP/HTTP receiver: a server
 * span per request, a client span per call, the parent links between them and the logs that
 * carry them, and what a dead collector costs.
 */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Keeps events as a deferring appender must: with the log context of the thread that logged them. */
    private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RunningService> services = new ArrayList<>();
    private OtlpReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = OtlpReceiver.start();
        events.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(events);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(events);
        services.forEach(RunningService::close);
        receiver.close();
    }

    private RunningService service(String name, Map<String, String> more, java.util.function.Consumer<dev.skiff.App> setup) {
        var settings = new HashMap<>(Map.of("SERVICE_NAME", name, "SERVICE_ENVIRONMENT", "test",
                "SHUTDOWN_DRAIN_DELAY", "0s", "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString(),
                "OTEL_BSP_SCHEDULE_DELAY", "50"));
        settings.putAll(more);
        RunningService service = Skiff.start(settings, setup);
        services.add(service);
        return service;
    }

    private HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestIsAServerSpanChildOfTheCallersAndEveryLineItLogsCarriesThatSpan() throws Exception {
        RunningService orders = service("orders", Map.of(), app -> app.get("/orders/{id}", ctx -> {
            LoggerFactory.getLogger("orders").info("looking order {} up", ctx.pathParam("id"));
            ctx.text("order " + ctx.pathParam("id"));
        }));

        assertThat(get(orders.uri().resolve("/orders/42"), Map.of("traceparent", TRACEPARENT,
                "User-Agent", "tracing-test")).statusCode()).isEqualTo(200);

        OtlpReceiver.Span span = receiver.await(s -> s.name().equals("GET /orders/{id}"), WAIT);
        assertThat(span.kind()).isEqualTo("SPAN_KIND_SERVER");
        assertThat(span.traceId()).isEqualTo(TRACE_ID);
        assertThat(span.parentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(span.spanId()).isNotEqualTo(CALLER_SPAN).hasSize(16);
        assertThat(span.status()).isEqualTo("STATUS_CODE_UNSET");
        assertThat(span.attributes()).containsEntry("http.request.method", "GET")
                .containsEntry("http.route", "/orders/{id}").containsEntry("url.path", "/orders/42")
                .containsEntry("url.scheme", "http").containsEntry("http.response.status_code", 200L)
                .containsEntry("server.port", (long) orders.uri().getPort())
                .containsEntry("user_agent.original", "tracing-test").containsKey("client.address");
        assertThat(span.resource()).containsEntry("service.name", "orders")
                .containsEntry("deployment.environment.name", "test").containsKey("service.version");
        // The handler's line and the access log's: this service's trace and span, not the caller's.
        List<ILoggingEvent> lines = events.list.stream()
                .filter(e -> e.getMDCPropertyMap().get("request_id") != null).toList();
        assertThat(lines).extracting(ILoggingEvent::getLoggerName).contains("orders", "skiff.access");
        assertThat(lines).allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                .containsEntry("trace.id", TRACE_ID).containsEntry("span.id", span.spanId()));
    }

    @Test
    void spanAttributesTakenFromTheRequestPassTheRedactorAsLogLinesDo() throws Exception {
        String token = "tok-Canary-7d41f0";
        RunningService orders = service("orders", Map.of("ORDERS_API_TOKEN", token, "LOG_REDACT", "acct-\\d{6}"),
                app -> app.get("/orders/{id}", ctx -> ctx.text("order")));

        get(orders.uri().resolve("/orders/" + token + "-acct-123456"), Map.of("User-Agent", "agent " + token));

        OtlpReceiver.Span span = receiver.await(s -> s.name().equals("GET /orders/{id}"), WAIT);
        assertThat(span.attributes().toString()).doesNotContain(token).doesNotContain("123456");
        assertThat(span.attributes()).containsEntry("url.path", "/orders/******-******")
                .containsEntry("user_agent.original", "agent ******");
    }

    @Test
    void aCallToABackingServiceIsAClientSpanAndTheTraceGoesOnThroughIt() throws Exception {
        RunningService payments = service("payments", Map.of(), app -> app.get("/payments/{id}",
                ctx -> ctx.status(ctx.pathParam("id").equals("missing") ? 404 : 200).text("paid")));
        RunningService orders = service("orders", Map.of("PAYMENTS_URL", payments.uri().toString()), app -> {
            ServiceClient client = app.http("payments");
            app.get("/orders/{id}", ctx -> ctx.text(client.get("/payments/" + ctx.pathParam("id")).body()));
        });

        get(orders.uri().resolve("/orders/7"), Map.of("traceparent", TRACEPARENT));

        OtlpReceiver.Span server = receiver.await(s -> s.name().equals("GET /orders/{id}"), WAIT);
        OtlpReceiver.Span client = receiver.await(s -> s.kind().equals("SPAN_KIND_CLIENT"), WAIT);
        OtlpReceiver.Span backing = receiver.await(s -> s.name().equals("GET /payments/{id}"), WAIT);
        assertThat(List.of(server.traceId(), client.traceId(), backing.traceId())).containsOnly(TRACE_ID);
        assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(backing.parentSpanId()).isEqualTo(client.spanId());
        assertThat(client.name()).isEqualTo("GET");
        assertThat(client.attributes()).containsEntry("http.request.method", "GET")
                .containsEntry("server.address", "127.0.0.1").containsEntry("server.port", (long) payments.uri().getPort())
                .containsEntry("url.full", payments.uri() + "/payments/7").containsEntry("peer.service", "payments")
                .containsEntry("http.response.status_code", 200L);
        assertThat(client.resource()).containsEntry("service.name", "orders");
        assertThat(backing.resource()).containsEntry("service.name", "payments");
    }

    @Test
    void aRequestWithoutATraceparentStartsATraceAnd5xxAreErrors() throws Exception {
        RunningService orders = service("orders", Map.of(), app -> app.get("/fails", ctx -> {
            throw new IllegalStateException("boom");
        }));

        HttpResponse<String> response = get(orders.uri().resolve("/fails"), Map.of());

        assertThat(response.statusCode()).isEqualTo(500);
        OtlpReceiver.Span span = receiver.await(s -> s.name().equals("GET /fails"), WAIT);
        assertThat(span.parentSpanId()).isEmpty();
        assertThat(span.traceId()).hasSize(32).isNotEqualTo(TRACE_ID);
        assertThat(span.status()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(span.attributes()).containsEntry("error.type", "500").containsEntry("http.response.status_code", 500L);
        // An unmatched path is named by its method alone: a span name per path would be unbounded.
        get(orders.uri().resolve("/no/such/path"), Map.of());
        assertThat(receiver.await(s -> s.attributes().get("url.path").equals("/no/such/path"), WAIT).name())
                .isEqualTo("GET");
        http.send(HttpRequest.newBuilder(orders.uri().resolve("/fails")).method("PROPFIND",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        OtlpReceiver.Span other = receiver.await(s -> "PROPFIND".equals(s.attributes().get("http.request.method_original")),
                WAIT);
        assertThat(other.name()).isEqualTo("HTTP /fails");
        assertThat(other.attributes()).containsEntry("http.request.method", "_OTHER");
    }

    @Test
    void aCallerThatDidNotSampleIsNotExportedButItsDecisionGoesOn() throws Exception {
        RunningService payments = service("payments", Map.of(), app -> app.get("/echo",
                ctx -> ctx.text(ctx.header("traceparent").orElse(""))));
        RunningService orders = service("orders", Map.of("PAYMENTS_URL", payments.uri().toString()), app -> {
            ServiceClient client = app.http("payments");
            app.get("/relay", ctx -> ctx.text(client.get("/echo").body()));
        });

        String sent = get(orders.uri().resolve("/relay"), Map.of("traceparent",
                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00")).body();

        assertThat(sent).startsWith("00-" + TRACE_ID + "-").endsWith("-00").doesNotContain(CALLER_SPAN);
        get(orders.uri().resolve("/relay"), Map.of());
        receiver.await(s -> s.name().equals("GET /relay") && !s.traceId().equals(TRACE_ID), WAIT);
        assertThat(receiver.trace(TRACE_ID)).as("parent-based sampling: nothing of the unsampled trace").isEmpty();
    }

    @Test
    void withoutAnEndpointOrWithTheSdkDisabledNothingIsTracedAndTheCallersContextPassesOn() throws Exception {
        RunningService disabled = service("orders", Map.of("OTEL_SDK_DISABLED", "true"),
                app -> app.get("/hello", ctx -> ctx.text("hi")));
        var untraced = Skiff.start(Map.of("SHUTDOWN_DRAIN_DELAY", "0s"), app -> app.get("/hello", ctx -> ctx.text("hi")));
        services.add(untraced);

        get(disabled.uri().resolve("/hello"), Map.of("traceparent", TRACEPARENT));
        get(untraced.uri().resolve("/hello"), Map.of("traceparent", TRACEPARENT));
        disabled.close();
        untraced.close();

        assertThat(receiver.spans()).isEmpty();
        assertThat(events.list.stream().filter(e -> e.getLoggerName().equals("skiff.access")).toList()).hasSize(2)
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap()).containsEntry("trace.id", TRACE_ID)
                        .containsEntry("span.id", CALLER_SPAN));
    }

    @Test
    void aProtocolSkiffDoesNotSpeakIsAConfigurationProblemNamingTheVariable() {
        assertThatThrownBy(() -> service("orders", Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), app -> { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL is grpc").hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> service("orders", Map.of("OTEL_TRACES_SAMPLER", "sometimes"), app -> { }))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("sometimes");
    }

    @Test
    void aDeadCollectorNeitherFailsARequestNorHoldsTheShutdownPastItsBudget() throws Exception {
        URI dead;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        RunningService orders = service("orders", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", dead.toString()),
                app -> app.get("/hello", ctx -> ctx.text("hi")));

        for (int i = 0; i < 200; i++) {
            assertThat(get(orders.uri().resolve("/hello"), Map.of()).statusCode()).isEqualTo(200);
        }
        long begin = System.nanoTime();
        orders.close();

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("the flush gives up after 1 s")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(events.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("spans not exported within 1000 ms at shutdown are lost"));
    }
}
