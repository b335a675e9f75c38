package dev.skiff.http.internal;

import dev.skiff.internal.Metrics;
import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Tracing;
import dev.skiff.logging.LogContext;
import dev.skiff.logging.internal.Logging;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of an application request. On the connection's I/O thread: a request id, the route,
 * the concurrency limit, the declared body length — each may answer at once. Then on a virtual
 * thread of its own: before filters, the handler (which reads the body only if it asks for it),
 * after filters, and the answer — with the request timeout racing it for the one claim on the
 * response ({@link Reply}).
 */
final class Pipeline implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final HttpString REQUEST_ID = HttpString.tryFromString("X-Request-Id");
    private static final HttpString TRACEPARENT = HttpString.tryFromString("traceparent");
    /** The route tag of requests that matched no route: one value, so cardinality stays bounded. */
    static final String UNMATCHED = "UNMATCHED";

    private final CoreSettings.Http settings;
    private final RouteTable routes;
    private final InFlight inFlight;
    private final BodyBudget budget;
    private final Failures failures;
    private final AccessLog accessLog;
    private final RequestThreads handlers;
    private final Tracing tracing;
    private final CorsPolicy cors;
    /** Slow calls of non-blocking routes, per route: at most one entry per route. */
    private final Map<String, AtomicInteger> slowOnIoThread = new ConcurrentHashMap<>();
    private static final long SLOW_ON_IO_THREAD_MS = 10;
    private static final int SLOW_CALLS_BEFORE_WARNING = 3;

    /** What was wrong with the framing of a chunked body on an exchange's connection, or null. */
    private final java.util.function.Function<HttpServerExchange, String> framingFault;

    Pipeline(CoreSettings.Http settings, RouteTable routes, InFlight inFlight, BodyBudget budget,
            List<FailureMapping> failureMappings, AccessLog accessLog, RequestThreads handlers, Tracing tracing,
            java.util.function.Function<HttpServerExchange, String> framingFault) {
        this.framingFault = framingFault;
        this.settings = settings;
        this.routes = routes;
        this.inFlight = inFlight;
        this.budget = budget;
        this.failures = new Failures(failureMappings);
        this.accessLog = accessLog;
        this.handlers = handlers;
        this.tracing = tracing;
        this.cors = new CorsPolicy(settings.cors());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long begin = System.nanoTime();
        String incomingId = exchange.getRequestHeaders().getFirst(REQUEST_ID);
        String requestId = requestId(incomingId);
        // The client's own id is text the client chose: the access log redacts it, as any such text.
        boolean clientsId = requestId == incomingId;
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        RouteTable.Match match = routes.find(method, path);
        String route = match == null ? UNMATCHED : match.template();
        // This service's span when tracing, else the caller's context as it came: what every log
        // line of the request shows, and what calls made while serving it send on.
        String incoming = exchange.getRequestHeaders().getFirst(TRACEPARENT);
        Tracing.Span span = tracing.enabled() ? tracing.server(serverRequest(exchange, method, match, incoming)) : null;
        String traceparent = span == null ? incoming : span.traceparent();
        InFlight.Ticket ticket = inFlight.enter();
        exchange.addExchangeCompleteListener((done, next) -> {
            try {
                ticket.responseDone();
                accessLog.record(done, route, requestId, clientsId, traceparent, span, begin);
            } finally {
                next.proceed();
            }
        });
        var reply = new Reply(exchange, requestId, BodyReader.hasBody(exchange)).json(routes.json());
        String origin = cors.enabled() ? exchange.getRequestHeaders().getFirst(CorsPolicy.ORIGIN) : null;
        String preflight = origin != null && method.equals("OPTIONS")
                ? exchange.getRequestHeaders().getFirst(CorsPolicy.REQUEST_METHOD) : null;
        if (cors.enabled()) {
            // Every answer varies by Origin once CORS is on: a cache must not give one origin's to another.
            exchange.getResponseHeaders().add(io.undertow.util.Headers.VARY, "Origin");
            if (origin != null && preflight == null) {
                cors.answer(origin, exchange.getResponseHeaders());
            }
        }
        if (hasControlCharacter(path)) {
            // A decoded %00 or %0a would reach handlers, file names and log lines.
            reply.answerNow(Problem.of(400, "the path holds a control character").closing());
        } else if (preflight != null && match != null) {
            // A browser asks before it sends: answered here, before any filter (a preflight carries no credentials).
            var headers = new java.util.LinkedHashMap<String, String>();
            Problem refused = cors.preflight(origin, preflight,
                    exchange.getRequestHeaders().getFirst(CorsPolicy.REQUEST_HEADERS), routes.methods(match.template()),
                    headers);
            if (refused == null) {
                reply.answerEmpty(204, headers);
            } else {
                reply.answerNow(refused);
            }
        } else if (inFlight.count() > settings.maxConcurrentRequests()) {
            reply.answerNow(Problem.retryLater("the server is serving " + settings.maxConcurrentRequests()
                    + " requests, its limit; retry in a second"));
        } else if (match == null) {
            reply.answerNow(Problem.of(404, "no route for " + method + " " + shortened(path)));
        } else if (match.handler() == null && method.equals("OPTIONS")) {
            // Every route answers OPTIONS with the methods it takes, unless it has an OPTIONS route of its own.
            reply.answerEmpty(204, Map.of("Allow", String.join(", ", routes.methods(match.template()))));
        } else if (match.handler() == null) {
            String allowed = String.join(", ", routes.methods(match.template()));
            reply.answerNow(new Problem(405, match.template() + " answers " + allowed + ", not " + method,
                    Map.of("Allow", allowed), false));
        } else if (exchange.getRequestContentLength() > settings.maxBodySize().bytes()) {
            reply.answerNow(Problem.of(413, "the request body is larger than " + settings.maxBodySize().bytes()
                    + " bytes, the limit set by http.max-body-size").closing());
        } else if (!match.mayBlock() && !BodyReader.hasBody(exchange)) {
            serveOnIoThread(exchange, reply, match, requestId, traceparent);
        } else {
            var body = new BodyReader(exchange, reply, settings.maxBodySize().bytes(), settings.bodyReadTimeout(), budget,
                    framingFault);
            ticket.whenDone(body::release);
            ticket.expectHandler();
            // Armed here, on the I/O thread that runs it: from another thread, every request would
            // wake the I/O thread's selector once more. The wait for a handler thread counts too.
            long timeoutMs = settings.requestTimeout().toMillis();
            var timer = new RequestTimer(exchange.getIoThread(), timeoutMs,
                    () -> timedOut(exchange, reply, body, ticket, timeoutMs, requestId));
            timer.arm();
            exchange.dispatch(task -> handlers.start(exchange.getIoThread(), task, () -> {
                timer.disarm();
                ticket.handlerDone();
                reply.answerNow(Problem.retryLater("the server could not start a thread for the request; retry in a second"));
            }), () -> serve(exchange, reply, body, timer, ticket, match, requestId, traceparent));
        }
    }

    private static Tracing.ServerRequest serverRequest(HttpServerExchange exchange, String method, RouteTable.Match match,
            String traceparent) {
        java.net.InetSocketAddress peer = exchange.getSourceAddress();
        // What the client sent passes the log's redactor: a span leaves the process as a log line does.
        return new Tracing.ServerRequest(Metrics.method(method), Logging.redacted(method),
                match == null ? null : match.template(), exchange.getRequestScheme(),
                Logging.redacted(exchange.getRequestPath()), Logging.redacted(exchange.getHostName()),
                exchange.getHostPort(), peer == null ? null : peer.getHostString(),
                Logging.redacted(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)), traceparent);
    }

    /** The drain gives up on the requests left: what their interrupted handlers throw is the shutdown's doing. */
    void abandon() {
        failures.abandon();
    }

    /**
     * Serves a request of a route declared non-blocking, and without a body, here on the I/O
     * thread, to its answer: no thread to start, nothing to hand back. Nothing can interrupt it, so
     * a call that overstays is reported, once per route.
     */
    private void serveOnIoThread(HttpServerExchange exchange, Reply reply, RouteTable.Match match, String requestId,
            String traceparent) {
        // The requests waiting for their threads do not wait for this handler as well.
        handlers.startWaiting(exchange.getIoThread());
        long start = System.nanoTime();
        LogContext.Scope scope = LogContext.open(requestId, traceparent);
        try {
            run(new ExchangeContext(exchange, reply, null, null, requestId, match.template(), match.params(),
                    routes.json()), reply, match, requestId);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (millis > SLOW_ON_IO_THREAD_MS) {
                slowOnIoThread(exchange, match.template(), millis);
            }
            reply.finish();
        } finally {
            scope.close();
        }
    }

    /**
     * A non-blocking route's call took long. The first calls of a route load and compile its code,
     * and the JVM may pause: the warning comes at the third slow call, once per route.
     */
    private void slowOnIoThread(HttpServerExchange exchange, String route, long millis) {
        int slowCalls = slowOnIoThread.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
        if (slowCalls == SLOW_CALLS_BEFORE_WARNING) {
            log.atWarn().setMessage("{} {} is declared non-blocking but took {} ms on the I/O thread, where the other"
                    + " connections of that thread waited for it ({} calls over {} ms so far); remove"
                    + " Handler.nonBlocking from the route and its filters (warned once per route)")
                    .addArgument(Metrics.method(exchange.getRequestMethod().toString())).addArgument(route)
                    .addArgument(millis).addArgument(slowCalls).addArgument(SLOW_ON_IO_THREAD_MS)
                    .addKeyValue("http.route", route).log();
        }
    }

    /** Serves one request on its virtual thread, to its answer. */
    private void serve(HttpServerExchange exchange, Reply reply, BodyReader body, RequestTimer timer,
            InFlight.Ticket ticket, RouteTable.Match match, String requestId, String traceparent) {
        ticket.handlerRunning();
        if (reply.answeredByServer()) {
            timer.disarm();
            ticket.handlerDone(); // timed out while it waited for a thread: the client has its 503
            return;
        }
        LogContext.Scope scope = LogContext.open(requestId, traceparent);
        try {
            var ctx = new ExchangeContext(exchange, reply, body, timer, requestId, match.template(), match.params(),
                    routes.json());
            try {
                run(ctx, reply, match, requestId);
            } finally {
                timer.disarm();
            }
            reply.finish();
        } finally {
            scope.close();
            ticket.handlerDone();
        }
    }

    private void run(ExchangeContext ctx, Reply reply, RouteTable.Match match, String requestId) {
        try {
            for (Handler filter : match.before()) {
                filter.handle(ctx);
                if (reply.answered()) {
                    break;
                }
            }
            if (!reply.answered()) {
                match.handler().handle(ctx);
            }
        } catch (Throwable e) {
            failed(ctx, reply, e, match, requestId);
        }
        // After filters see every answer of this thread, errors included, and may still change it.
        for (Handler filter : match.after()) {
            try {
                filter.handle(ctx);
            } catch (Throwable e) {
                failed(ctx, reply, e, match, requestId);
            }
        }
    }

    /** On the I/O thread, when the handler has run too long: answer 503 for it, if it has not answered. */
    private void timedOut(HttpServerExchange exchange, Reply reply, BodyReader body, InFlight.Ticket ticket,
            long timeoutMs, String requestId) {
        if (!reply.answerNow(Problem.of(503, "the request took longer than " + timeoutMs + " ms").closing())) {
            return;
        }
        body.cancel();
        ticket.interruptHandler();
        log.atWarn().setMessage("{} {} took longer than {} ms; answered 503 and interrupted its handler")
                .addArgument(Metrics.method(exchange.getRequestMethod().toString()))
                .addArgument(exchange.getRequestPath()).addArgument(timeoutMs)
                .addKeyValue(LogContext.REQUEST_ID, requestId).log();
    }

    /** A handler or filter threw: the answer becomes the failure's problem. */
    private void failed(ExchangeContext ctx, Reply reply, Throwable e, RouteTable.Match match, String requestId) {
        if (reply.answeredByServer()) {
            return; // the client got 503 and the timeout was logged; this is the interrupted handler's echo
        }
        if (reply.streaming()) {
            // A response under way cannot be replaced: the client must see it cut.
            // A write of the stream failed because the connection is gone: any client can cause that.
            if (HttpServer.hasCause(e, java.io.IOException.class)) {
                log.atInfo().setMessage("{} {}: the client went away while the response was streamed ({})")
                        .addArgument(Metrics.method(ctx.method())).addArgument(ctx.path()).addArgument(e.toString())
                        .log();
            } else {
                log.atError().setMessage("request {} {} failed while its response was streamed")
                        .addArgument(Metrics.method(ctx.method())).addArgument(ctx.path()).setCause(e).log();
            }
            reply.abortStream();
            return;
        }
        Failures.Answer answer = failures.answer(ctx, e, match.exceptions(), requestId);
        try {
            reply.problem(answer.problem(), answer.meant());
        } catch (RuntimeException unwritable) {
            // A member the mapper cannot write: the request still gets an answer, and the failure its event.
            unwritable.addSuppressed(e);
            log.atError().setMessage("request {} {} failed, and its problem's members cannot be written as JSON")
                    .addArgument(Metrics.method(ctx.method())).addArgument(ctx.path()).setCause(unwritable).log();
            reply.problem(Failures.serverFailed(requestId), false);
        }
    }

    /** A path as a detail shows it: a client's 5,000-character path is not sent back whole. */
    static String shortened(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static boolean hasControlCharacter(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** {@return the client's request id when it is sane, else a new one} */
    private static String requestId(String incoming) {
        if (incoming != null && SANE_REQUEST_ID.matcher(incoming).matches()) {
            return incoming;
        }
        // A random UUID without SecureRandom: a request id must be unique, not unpredictable, and
        // the platform's secure source costs a system call per request.
        var random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L; // version 4
        long low = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
