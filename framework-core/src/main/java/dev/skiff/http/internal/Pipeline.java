package dev.skiff.http.internal;

import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import dev.skiff.internal.CoreSettings;
import dev.skiff.logging.LogContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
    private final List<FailureMapping> failureMappings;
    private final AccessLog accessLog;
    private final Executor handlers;
    /** Set when the drain gives up on the requests left: their handlers are interrupted. */
    private volatile boolean abandoning;

    Pipeline(CoreSettings.Http settings, RouteTable routes, InFlight inFlight, BodyBudget budget,
            List<FailureMapping> failureMappings, AccessLog accessLog, Executor handlers) {
        this.settings = settings;
        this.routes = routes;
        this.inFlight = inFlight;
        this.budget = budget;
        this.failureMappings = List.copyOf(failureMappings);
        this.accessLog = accessLog;
        this.handlers = handlers;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long begin = System.nanoTime();
        String requestId = requestId(exchange);
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        RouteTable.Match match = routes.find(method, path);
        String route = match == null ? UNMATCHED : match.template();
        InFlight.Ticket ticket = inFlight.enter();
        exchange.addExchangeCompleteListener((done, next) -> {
            try {
                ticket.responseDone();
                accessLog.record(done, route, requestId, begin);
            } finally {
                next.proceed();
            }
        });
        var reply = new Reply(exchange, requestId, BodyReader.hasBody(exchange));
        if (hasControlCharacter(path)) {
            // A decoded %00 or %0a would reach handlers, file names and log lines.
            reply.answerNow(Problem.of(400, "the path holds a control character").closing());
        } else if (inFlight.count() > settings.maxConcurrentRequests()) {
            reply.answerNow(Problem.retryLater("the server is serving " + settings.maxConcurrentRequests()
                    + " requests, its limit; retry in a second"));
        } else if (match == null) {
            reply.answerNow(Problem.of(404, "no route for " + method + " " + path));
        } else if (match.handler() == null) {
            String allowed = String.join(", ", routes.methods(match.template()));
            reply.answerNow(new Problem(405, match.template() + " answers " + allowed + ", not " + method,
                    Map.of("Allow", allowed), false));
        } else if (exchange.getRequestContentLength() > settings.maxBodySize().bytes()) {
            reply.answerNow(Problem.of(413, "the request body is larger than " + settings.maxBodySize().bytes()
                    + " bytes, the limit set by http.max-body-size").closing());
        } else {
            var body = new BodyReader(exchange, reply, settings.maxBodySize().bytes(), settings.bodyReadTimeout(), budget);
            ticket.whenDone(body::release);
            ticket.expectHandler();
            exchange.dispatch(task -> {
                try {
                    handlers.execute(task);
                } catch (RejectedExecutionException e) {
                    ticket.handlerDone(); // Undertow answers 503 itself
                    throw e;
                }
            }, () -> serve(exchange, reply, body, ticket, match, requestId));
        }
    }

    /** The drain gives up on the requests left: what their interrupted handlers throw is the shutdown's doing. */
    void abandon() {
        abandoning = true;
    }

    /** Serves one request on its virtual thread, to its answer. */
    private void serve(HttpServerExchange exchange, Reply reply, BodyReader body, InFlight.Ticket ticket,
            RouteTable.Match match, String requestId) {
        ticket.handlerRunning();
        LogContext.Scope scope = LogContext.open(requestId, exchange.getRequestHeaders().getFirst(TRACEPARENT));
        try {
            Thread thread = Thread.currentThread();
            long timeoutMs = settings.requestTimeout().toMillis();
            var timer = new RequestTimer(exchange.getIoThread(), timeoutMs,
                    () -> timedOut(exchange, reply, body, thread, timeoutMs, requestId));
            var ctx = new ExchangeContext(exchange, reply, body, timer, requestId, match.template(), match.params());
            timer.arm();
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
            failed(ctx, reply, e, requestId);
        }
        // After filters see every answer of this thread, errors included, and may still change it.
        for (Handler filter : match.after()) {
            try {
                filter.handle(ctx);
            } catch (Throwable e) {
                failed(ctx, reply, e, requestId);
            }
        }
    }

    /** On the I/O thread, when the handler has run too long: answer 503 for it, if it has not answered. */
    private void timedOut(HttpServerExchange exchange, Reply reply, BodyReader body, Thread handler, long timeoutMs,
            String requestId) {
        if (!reply.answerNow(Problem.of(503, "the request took longer than " + timeoutMs + " ms").closing())) {
            return;
        }
        body.cancel();
        handler.interrupt();
        log.atWarn().setMessage("{} {} took longer than {} ms; answered 503 and interrupted its handler")
                .addArgument(AccessLog.method(exchange.getRequestMethod().toString()))
                .addArgument(exchange.getRequestPath()).addArgument(timeoutMs)
                .addKeyValue(LogContext.REQUEST_ID, requestId).log();
    }

    /** A handler or filter threw: the answer becomes the failure's problem. */
    private void failed(ExchangeContext ctx, Reply reply, Throwable e, String requestId) {
        if (reply.answeredByServer()) {
            return; // the client got 503 and the timeout was logged; this is the interrupted handler's echo
        }
        if (reply.streaming()) {
            // A response under way cannot be replaced: the client must see it cut.
            // A write of the stream failed because the connection is gone: any client can cause that.
            if (HttpServer.hasCause(e, java.io.IOException.class)) {
                log.atInfo().setMessage("{} {}: the client went away while the response was streamed ({})")
                        .addArgument(AccessLog.method(ctx.method())).addArgument(ctx.path()).addArgument(e.toString())
                        .log();
            } else {
                log.atError().setMessage("request {} {} failed while its response was streamed")
                        .addArgument(AccessLog.method(ctx.method())).addArgument(ctx.path()).setCause(e).log();
            }
            reply.abortStream();
            return;
        }
        reply.problem(problem(ctx, e, requestId), e instanceof HttpException);
    }

    private Problem problem(ExchangeContext ctx, Throwable e, String requestId) {
        if (abandoning && (Thread.currentThread().isInterrupted()
                || HttpServer.hasCause(e, InterruptedException.class)
                || HttpServer.hasCause(e, java.io.InterruptedIOException.class))) {
            return Problem.retryLater("the server is shutting down; retry").closing();
        }
        if (e instanceof HttpException http) {
            return Problem.of(http.status(), http.getMessage());
        }
        if (e instanceof ProblemException refused) {
            return refused.problem();
        }
        for (FailureMapping mapping : failureMappings) {
            Optional<Problem> answer = mapping.answer(e);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        log.atError().setMessage("request {} {} failed").addArgument(AccessLog.method(ctx.method()))
                .addArgument(ctx.path()).setCause(e).log();
        return Problem.of(500, "the server failed to answer; quote request id " + requestId + " when reporting it");
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

    private static String requestId(HttpServerExchange exchange) {
        String incoming = exchange.getRequestHeaders().getFirst(REQUEST_ID);
        if (incoming != null && SANE_REQUEST_ID.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }
}
