package dev.skiff.http.internal;

import dev.skiff.internal.Metrics;
import dev.skiff.internal.Tracing;
import dev.skiff.logging.LogContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Records every application request once its exchange completes: a timer in the metrics, and,
 * unless turned off, one access-log event. Both show the status the client got.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("skiff.access");
    /** The methods of RFC 9110 and PATCH; any other token a client sends is recorded as OTHER. */

    private final Metrics metrics;
    private final boolean enabled;
    private final ClientAddress clients;

    AccessLog(Metrics metrics, boolean enabled, ClientAddress clients) {
        this.metrics = metrics;
        this.enabled = enabled;
        this.clients = clients;
    }

    /**
     * Records a completed exchange, and ends its span.
     *
     * @param traceparent the request's trace context, as its log lines show it
     * @param span the request's span, or null when not tracing
     */
    void record(HttpServerExchange exchange, String route, String requestId, String traceparent, Tracing.Span span,
            long begin) {
        long nanos = System.nanoTime() - begin;
        int status = exchange.getStatusCode();
        Delivery delivery = delivery(exchange);
        if (span != null) {
            span.end(delivery == Delivery.NONE ? 0 : status, delivery == Delivery.WHOLE ? null : delivery.outcome);
        }
        String original = exchange.getRequestMethod().toString();
        String method = Metrics.method(original);
        metrics.record(method, route, delivery == Delivery.NONE ? 0 : status, delivery.outcome, nanos);
        if (!enabled) {
            return;
        }
        String path = exchange.getRequestPath();
        // The message built here rather than formatted from a pattern: one event per request.
        var text = new StringBuilder(method.length() + path.length() + 48).append(method).append(' ').append(path)
                .append(' ');
        switch (delivery) {
            case WHOLE -> text.append(status);
            case CUT -> text.append(status).append(" cut short (the connection closed)");
            case NONE -> text.append("no response (the connection closed first)");
        }
        String message = text.append(' ').append(TimeUnit.NANOSECONDS.toMillis(nanos)).append(" ms").toString();
        var event = log.atInfo().setMessage(message)
                .addKeyValue("http.request.method", method)
                .addKeyValue("url.path", path)
                .addKeyValue("http.route", route)
                .addKeyValue("event.duration", nanos)
                .addKeyValue("http.request.body.bytes", Math.max(0, exchange.getRequestContentLength()))
                .addKeyValue("http.response.body.bytes", exchange.getResponseBytesSent())
                .addKeyValue("user_agent.original", String.valueOf(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)))
                .addKeyValue("client.address", clients.of(exchange));
        if (!method.equals(original)) {
            event = event.addKeyValue("http.request.method_original", original);
        }
        if (delivery != Delivery.NONE) {
            event = event.addKeyValue("http.response.status_code", status);
        }
        if (delivery != Delivery.WHOLE) {
            event = event.addKeyValue("http.response.complete", false);
        }
        // The line only joins stdout's buffer here: its writer thread makes one write for many.
        log(event, requestId, traceparent);
    }

    /**
     * What the client got: the whole response, one cut short, or none. A response is cut short when
     * fewer bytes went out than its {@code Content-Length} announced (a write failed: the client
     * left, or stopped reading until the write timeout). Bytes the kernel took count as sent, and a
     * response without a length (a stream) counts as whole once its head went out.
     */
    enum Delivery {
        WHOLE(null), CUT("INCOMPLETE"), NONE("NO_RESPONSE");

        /** The metric's outcome, when not the status's own. */
        final String outcome;

        Delivery(String outcome) {
            this.outcome = outcome;
        }
    }

    static Delivery delivery(HttpServerExchange exchange) {
        if (!exchange.isResponseStarted()) {
            return Delivery.NONE;
        }
        String length = exchange.getResponseHeaders().getFirst(Headers.CONTENT_LENGTH);
        boolean short_ = length != null && !exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD)
                && exchange.getResponseBytesSent() < parseLong(length);
        return short_ ? Delivery.CUT : Delivery.WHOLE;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Logs the event with the request's id and trace, whichever thread ends the exchange: in the
     * context already when that is the request's own thread (a non-blocking route), else here.
     */
    private static void log(LoggingEventBuilder event, String requestId, String traceparent) {
        if (LogContext.requestId().isEmpty()) {
            LogContext.Scope scope = LogContext.open(requestId, traceparent);
            try {
                event.log();
            } finally {
                scope.close();
            }
        } else {
            event.log();
        }
    }
}
