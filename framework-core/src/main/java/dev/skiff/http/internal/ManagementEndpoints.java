package dev.skiff.http.internal;

import dev.skiff.http.drain.internal.TrafficWatch;
import dev.skiff.internal.Metrics;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.HealthReport;
import dev.skiff.lifecycle.internal.Lifecycle;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * {@code /health/started}, {@code /health/live}, {@code /health/ready}, {@code /metrics} and
 * {@code /info}: answered by Skiff itself, never counted against the application's concurrency
 * limit, never in the access log.
 */
public final class ManagementEndpoints implements HttpHandler {

    /** The startup probe. */
    public static final String STARTED = "/health/started";
    /** The liveness probe. */
    public static final String LIVE = "/health/live";
    /** The readiness probe. */
    public static final String READY = "/health/ready";
    /** Prometheus's scrape. */
    public static final String METRICS = "/metrics";
    /** Build and runtime facts. */
    public static final String INFO = "/info";

    private final Lifecycle lifecycle;
    private final Metrics metrics;
    private final Map<String, Object> info;
    private final Executor blocking;
    private final TrafficWatch watch;

    /**
     * @param blocking where work that may block runs: health checks wait up to their timeout, a
     *     scrape for the JVM meters
     * @param watch told of every readiness probe, for the drain
     */
    ManagementEndpoints(Lifecycle lifecycle, Metrics metrics, Map<String, Object> info, Executor blocking,
            TrafficWatch watch) {
        this.watch = watch;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.info = info;
        this.blocking = blocking;
    }

    /** {@return the path of a request target as sent: of an absolute-form one, what follows its authority} */
    static String rawPath(String target) {
        int scheme = target.indexOf("://");
        if (scheme > 0 && target.charAt(0) != '/') {
            int slash = target.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : target.substring(slash);
        }
        return target;
    }

    /** Every endpoint's path, probes first: the one list the route table and training read. */
    public static final java.util.List<String> PATHS = java.util.List.of(STARTED, LIVE, READY, METRICS, INFO);

    /** {@return whether a path is one of these endpoints (or under /health/), which no route may take} */
    public static boolean isManagement(String path) {
        return path.startsWith("/health/") || path.equals(METRICS) || path.equals(INFO);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        String method = exchange.getRequestMethod().toString();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            problem(exchange, new Problem(405, path + " answers GET and HEAD", Map.of("Allow", "GET, HEAD"), false));
            return;
        }
        if (!rawPath(exchange.getRequestURI()).equals(path)) {
            // Only the exact spelling: a proxy rule that blocks "/metrics" must not be passed by
            // "/metrics;x" or "/%6detrics", which would decode to the same endpoint.
            problem(exchange, Problem.of(404, "no endpoint at " + TrafficWatch.printable(exchange.getRequestURI())
                    + "; management endpoints answer only their exact paths, such as " + READY));
            return;
        }
        switch (path) {
            case METRICS -> exchange.dispatch(blocking, () -> send(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            case INFO -> {
                var body = new LinkedHashMap<>(info);
                // Read here rather than at startup: the JVM's runtime bean is some 60 classes, loaded
                // by the JVM's meters after the first request anyway.
                var runtime = ManagementFactory.getRuntimeMXBean();
                body.put("started_at", Instant.ofEpochMilli(runtime.getStartTime()).toString());
                body.put("uptime_ms", runtime.getUptime());
                send(exchange, 200, "application/json", Json.writeBytes(body));
            }
            case STARTED, LIVE, READY -> exchange.dispatch(blocking, () -> probe(exchange, path));
            default -> problem(exchange, Problem.of(404, "no health endpoint " + path
                    + "; there are " + LIVE + ", " + READY + " and " + STARTED));
        }
    }

    private void probe(HttpServerExchange exchange, String path) {
        HealthReport report = switch (path) {
            case LIVE -> lifecycle.liveness();
            case READY -> lifecycle.readiness();
            default -> lifecycle.started();
        };
        if (path.equals(READY)) {
            boolean draining = report.state() == HealthState.DRAINING || report.state() == HealthState.STOPPED;
            HeaderMap headers = exchange.getRequestHeaders();
            var names = new java.util.ArrayList<String>();
            headers.getHeaderNames().forEach(name -> names.add(name.toString()));
            if (TrafficWatch.forwarded(names)) {
                // Forwarded by a proxy: a client's request, never a balancer's own check.
                watch.request(exchange.getSourceAddress());
            } else {
                watch.probe(exchange.getSourceAddress(), headers.getFirst(Headers.USER_AGENT),
                        TrafficWatch.shape(exchange.getProtocol().toString(), names), draining);
            }
        }
        send(exchange, report.up() ? 200 : 503, "application/json", Json.writeBytes(report));
    }

    private static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        var headers = new HeaderMap();
        headers.put(Headers.CONTENT_TYPE, contentType);
        headers.put(Headers.CACHE_CONTROL, "no-store");
        // A body sent to a probe is never read: close rather than drain it.
        Responses.send(exchange, status, headers, body, BodyReader.hasBody(exchange));
    }

    private static void problem(HttpServerExchange exchange, Problem problem) {
        new Reply(exchange, null, BodyReader.hasBody(exchange)).answerNow(problem);
    }
}
