package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.AppProcess;
import dev.skiff.testing.LogEvent;
import dev.skiff.tracing.OtlpReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged sample traced with nothing but {@code OTEL_EXPORTER_OTLP_ENDPOINT}: a trace a
 * client started continues through one instance and its call to another, and reaches the OTLP
 * receiver with the right parent links; the spans still pending at SIGTERM go out before the exit.
 */
class TracingIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("skiff.jar", "target/notes.jar"));
    private static final String H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_DELAY=-1";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CLIENT_SPAN = "b7ad6b7169203331";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aClientsTraceGoesThroughTheSampleAndItsCallToAnotherAndPendingSpansGoOutAtSigterm() throws Exception {
        try (var receiver = OtlpReceiver.start()) {
            // Spans wait a minute in the batch: only the shutdown's flush can send them in time.
            Map<String, String> traced = Map.of("PORT", "0", "HOST", "127.0.0.1", "DATABASE_URL", H2, "NOTES_API_TOKEN", "t0ken-for-tracing",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString(), "OTEL_BSP_SCHEDULE_DELAY", "60000");
            try (var greeter = AppProcess.startJar(JAR, with(traced, "SERVICE_NAME", "greeter"))) {
                URI greeterUri = greeter.awaitListening(WAIT);
                try (var notes = AppProcess.startJar(JAR, with(with(traced, "SERVICE_NAME", "notes"),
                        "GREETER_URL", greeterUri.toString()))) {
                    URI base = notes.awaitListening(WAIT);

                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    base.resolve("/hello/relayed?name=Ada"))
                            .header("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01")
                            .header("X-Request-Id", "trace-it-1").timeout(WAIT).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).contains("Hello, Ada!");

                    notes.signal(AppProcess.Signal.TERM);
                    assertThat(notes.awaitExit(WAIT)).isZero();
                    OtlpReceiver.Span server = receiver.await(s -> s.name().equals("GET /hello/relayed"), WAIT);
                    OtlpReceiver.Span call = receiver.await(s -> s.kind().equals("SPAN_KIND_CLIENT"), WAIT);
                    assertThat(server.traceId()).isEqualTo(TRACE_ID);
                    assertThat(server.parentSpanId()).isEqualTo(CLIENT_SPAN);
                    assertThat(server.resource()).containsEntry("service.name", "notes")
                            .containsEntry("service.version", System.getProperty("service.version", "0.1.0-SNAPSHOT"));
                    assertThat(call.traceId()).isEqualTo(TRACE_ID);
                    assertThat(call.parentSpanId()).isEqualTo(server.spanId());
                    assertThat(call.attributes()).containsEntry("peer.service", "greeter");
                    // Every line of the request, its access log line included, shows this service's span.
                    List<LogEvent> lines = notes.events().stream()
                            .filter(e -> e.field("request_id").filter("trace-it-1"::equals).isPresent()).toList();
                    assertThat(lines).anySatisfy(e -> assertThat(e.logger()).isEqualTo("skiff.access"));
                    assertThat(lines).allSatisfy(e -> {
                        assertThat(e.field("trace.id")).contains(TRACE_ID);
                        assertThat(e.field("span.id")).contains(server.spanId());
                    });

                    greeter.signal(AppProcess.Signal.TERM);
                    assertThat(greeter.awaitExit(WAIT)).isZero();
                    OtlpReceiver.Span served = receiver.await(s -> s.name().equals("GET /hello")
                            && s.traceId().equals(TRACE_ID), WAIT);
                    assertThat(served.parentSpanId()).isEqualTo(call.spanId());
                    assertThat(served.resource()).containsEntry("service.name", "greeter");
                    assertThat(greeter.stderrLines()).isEmpty();
                    assertThat(notes.stderrLines()).isEmpty();
                }
            }
            assertThat(receiver.contentTypes()).containsOnly("application/x-protobuf");
        }
    }

    private static Map<String, String> with(Map<String, String> settings, String name, String value) {
        var out = new java.util.HashMap<>(settings);
        out.put(name, value);
        return Map.copyOf(out);
    }
}
