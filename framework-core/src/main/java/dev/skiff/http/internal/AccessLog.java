package dev.skiff.http.internal;

import dev.skiff.internal.Metrics;
import dev.skiff.internal.Tracing;
import dev.skiff.logging.internal.Logging;
import dev.skiff.logging.internal.PreparedEvent;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * @param clientsId whether the request id is the one the client sent (else the server made it)
     * @param traceparent the request's trace context, as its log lines show it
     * @param span the request's span, or null when not tracing
     */
    void record(HttpServerExchange exchange, String route, String requestId, boolean clientsId, String traceparent,
            Tracing.Span span, long begin) {
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
        event(new Entry(method, original, exchange.getRequestPath(), route, status, delivery, nanos,
                Math.max(0, exchange.getRequestContentLength()), exchange.getResponseBytesSent(),
                exchange.getRequestHeaders().getFirst(Headers.USER_AGENT), clients.of(exchange)),
                clientsId ? Logging.redacted(requestId) : requestId, traceparent);
    }

    /**
     * What one access-log event says of a request.
     *
     * @param method the method as the metrics name it ({@code OTHER} for an unknown token)
     * @param originalMethod the method the client sent
     * @param userAgent the client's {@code User-Agent}, or null
     */
    record Entry(String method, String originalMethod, String path, String route, int status, Delivery delivery,
            long nanos, long requestBodyBytes, long responseBodyBytes, String userAgent, String clientAddress) {}

    /** The access-log event's key-values, in the order {@link #event} gives their values. */
    private static final PreparedEvent.Names FIELDS = PreparedEvent.names("http.request.method", "url.path",
            "http.route", "event.duration", "http.request.body.bytes", "http.response.body.bytes",
            "user_agent.original", "client.address", "http.request.method_original", "http.response.status_code",
            "http.response.complete");

    /**
     * Logs one request's access-log event, with the request's id and trace. What the client sent —
     * the path, the user agent, a method of its own — and the route's template, which the
     * application wrote (a secret may be part of it), are redacted and capped here, once; the rest
     * is the framework's own (numbers, an address it parsed) and is written as it is.
     *
     * @param requestId the request's id, redacted already if the client chose it
     */
    void event(Entry entry, String requestId, String traceparent) {
        String method = entry.method();
        String path = Logging.redacted(entry.path());
        // The message built here rather than formatted from a pattern: one event per request.
        var text = new StringBuilder(method.length() + path.length() + 48).append(method).append(' ').append(path)
                .append(' ');
        switch (entry.delivery()) {
            case WHOLE -> text.append(entry.status());
            case CUT -> text.append(entry.status()).append(" cut short (the connection closed)");
            case NONE -> text.append("no response (the connection closed first)");
        }
        String message = Logging.capped(text.append(' ').append(TimeUnit.NANOSECONDS.toMillis(entry.nanos()))
                .append(" ms").toString());
        // The line only joins stdout's buffer here: its writer thread makes one write for many.
        PreparedEvent.log(log, message, requestId, traceparent, FIELDS,
                method, path, Logging.redactedName(entry.route()), entry.nanos(), entry.requestBodyBytes(), entry.responseBodyBytes(),
                userAgent(entry.userAgent()), entry.clientAddress(),
                method.equals(entry.originalMethod()) ? null : Logging.redacted(entry.originalMethod()),
                entry.delivery() == Delivery.NONE ? null : entry.status(),
                entry.delivery() == Delivery.WHOLE ? null : Boolean.FALSE);
    }

    /** {@return the user agent as the line shows it: none when the client sent none, or a blank one} */
    private static String userAgent(String sent) {
        return sent == null || sent.isBlank() ? null : Logging.redacted(sent);
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
}
