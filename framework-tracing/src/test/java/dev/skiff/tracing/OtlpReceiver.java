package dev.skiff.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver on a free loopback port, as a collector would be: it decodes every
 * {@code POST /v1/traces} with the OTLP messages of {@code opentelemetry-proto} and keeps the spans.
 */
public final class OtlpReceiver implements AutoCloseable {

    /**
     * One span as received.
     *
     * @param traceId 32 hex digits
     * @param spanId 16 hex digits
     * @param parentSpanId 16 hex digits, or empty for a root span
     * @param name the span's name
     * @param kind {@code SPAN_KIND_SERVER}, {@code SPAN_KIND_CLIENT}, …
     * @param status {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_ERROR}, …
     * @param attributes the span's attributes, strings and longs as they came
     * @param resource the attributes of the resource that sent it
     */
    public record Span(String traceId, String spanId, String parentSpanId, String name, String kind, String status,
                       Map<String, Object> attributes, Map<String, Object> resource) {}

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** {@return a receiver listening on a free loopback port} */
    public static OtlpReceiver start() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        var receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    /** {@return the endpoint to set as {@code OTEL_EXPORTER_OTLP_ENDPOINT}} */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@return every span received so far} */
    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** {@return the content types the exports came with} */
    public List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /** {@return the first span that matches, waiting for it up to {@code timeout}} */
    public Span await(Predicate<Span> matcher, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Span span : spans) {
                if (matcher.test(span)) {
                    return span;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no span received within " + timeout.toMillis() + " ms matches; received: " + spans);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
                for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                    for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                        spans.add(new Span(hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
                                hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
                                span.getStatus().getCode().name(), attributes(span.getAttributesList()), resource));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, Object> attributes(List<KeyValue> pairs) {
        var out = new LinkedHashMap<String, Object>();
        for (KeyValue pair : pairs) {
            AnyValue value = pair.getValue();
            out.put(pair.getKey(), switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> value.getIntValue();
                case BOOL_VALUE -> value.getBoolValue();
                case DOUBLE_VALUE -> value.getDoubleValue();
                default -> value.toString();
            });
        }
        return out;
    }

    /** {@return the spans of one trace, in the order received} */
    public List<Span> trace(String traceId) {
        var out = new ArrayList<Span>();
        for (Span span : spans) {
            if (span.traceId().equals(traceId)) {
                out.add(span);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
