package dev.skiff.tracing.internal;

import dev.skiff.internal.Tracing;
import dev.skiff.logging.internal.TraceParent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Spans of OpenTelemetry's SDK, with the attributes of its HTTP semantic conventions. The
 * incoming {@code traceparent} is the parent of a request's span; that span's own
 * {@code traceparent} is what the log context shows and what calls made while serving send, so
 * that a call's span is its child on whatever thread it is made.
 */
final class OtelTracing implements Tracing {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    private static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    OtelTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer("dev.skiff");
    }

    @Override
    public Span server(ServerRequest request) {
        // A method outside the known ones is _OTHER in the attribute and HTTP in the name, as the
        // conventions ask.
        boolean known = !request.method().equals("OTHER");
        String method = known ? request.method() : "_OTHER";
        String nameMethod = known ? request.method() : "HTTP";
        SpanBuilder span = tracer.spanBuilder(request.route() == null ? nameMethod : nameMethod + " " + request.route())
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent(request.traceparent()))
                .setAttribute(METHOD, method)
                .setAttribute(URL_PATH, request.path())
                .setAttribute(URL_SCHEME, request.scheme())
                .setAttribute(SERVER_ADDRESS, request.serverAddress())
                .setAttribute(SERVER_PORT, (long) request.serverPort());
        if (request.route() != null) {
            span.setAttribute(ROUTE, request.route());
        }
        if (!known) {
            span.setAttribute(METHOD_ORIGINAL, request.originalMethod());
        }
        if (request.clientAddress() != null) {
            span.setAttribute(CLIENT_ADDRESS, request.clientAddress());
        }
        if (request.userAgent() != null) {
            span.setAttribute(USER_AGENT, request.userAgent());
        }
        return new OtelSpan(span.startSpan(), 500);
    }

    @Override
    public Span client(String client, String method, URI uri, int resendCount, String parentTraceparent) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        SpanBuilder span = tracer.spanBuilder(method)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent(parentTraceparent))
                .setAttribute(METHOD, method)
                .setAttribute(SERVER_ADDRESS, uri.getHost())
                .setAttribute(SERVER_PORT, (long) port)
                // Without user info or query, which may hold what should not leave the service.
                .setAttribute(URL_FULL, uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort()
                        : "") + uri.getRawPath())
                .setAttribute(PEER_SERVICE, client);
        if (resendCount > 0) {
            span.setAttribute(RESEND_COUNT, (long) resendCount);
        }
        return new OtelSpan(span.startSpan(), 400);
    }

    /** The caller's span, from its traceparent; none (a new trace) without a valid one. */
    private static Context parent(String traceparent) {
        Optional<TraceParent> parsed = TraceParent.parse(traceparent);
        if (parsed.isEmpty()) {
            return Context.root();
        }
        SpanContext remote = SpanContext.createFromRemoteParent(parsed.get().traceId(), parsed.get().parentId(),
                TraceFlags.fromHex(parsed.get().flags(), 0), TraceState.getDefault());
        return Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean close(Duration timeout) {
        return sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /**
     * One span. A status from {@code errorFrom} on is an error: 500 for a server span (a 4xx is the
     * client's doing), 400 for a client span (the call did not get what it asked for).
     */
    private record OtelSpan(io.opentelemetry.api.trace.Span span, int errorFrom) implements Span {

        @Override
        public String traceparent() {
            SpanContext context = span.getSpanContext();
            return context.isValid() ? "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                    + context.getTraceFlags().asHex() : null;
        }

        @Override
        public void end(int status, String errorType) {
            if (status > 0) {
                span.setAttribute(STATUS, (long) status);
            }
            String error = errorType != null ? errorType : status >= errorFrom ? Integer.toString(status) : null;
            if (error != null) {
                span.setAttribute(ERROR_TYPE, error);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}
