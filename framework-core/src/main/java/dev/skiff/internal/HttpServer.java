package dev.skiff.internal;

import dev.skiff.Endpoints;
import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthReport;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.logging.LogContext;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The HTTP server as a lifecycle component: Undertow core, handlers on virtual threads, the
 * management endpoints on the main port or on their own.
 */
public final class HttpServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger accessLog = LoggerFactory.getLogger("skiff.access");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final HttpString REQUEST_ID = HttpString.tryFromString("X-Request-Id");
    private static final HttpString TRACEPARENT = HttpString.tryFromString("traceparent");
    /** The route tag of requests that matched no route: one value, so cardinality stays bounded. */
    private static final String UNMATCHED = "UNMATCHED";

    private final CoreSettings.Http settings;
    private final Routes routes;
    private final Lifecycle lifecycle;
    private final Duration drainTimeout;
    private final Metrics metrics;
    private final Map<String, Object> info;
    private final Integer managementPort;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService handlers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-request-", 0).factory());
    private final List<AcceptingChannel<StreamConnection>> accepting = new ArrayList<>();
    private final Set<StreamConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private XnioWorker worker;
    private InetSocketAddress address;
    private InetSocketAddress managementAddress;

    /**
     * Creates the server; it binds when started.
     *
     * @param settings host, port, limits, access log
     * @param managementPort a separate port for the management endpoints, or null for the main one
     * @param routes the application's routes
     * @param lifecycle whose health the probes report
     * @param metrics the registry behind /metrics, which also records every request
     * @param info what /info shows
     * @param drainTimeout how long stop waits for requests in flight
     */
    public HttpServer(CoreSettings.Http settings, Integer managementPort, Routes routes, Lifecycle lifecycle,
            Metrics metrics, Map<String, Object> info, Duration drainTimeout) {
        this.settings = settings;
        this.managementPort = managementPort;
        this.routes = routes;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.info = info;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws IOException {
        // Built from Undertow's parts rather than Undertow.builder(), to hold the accepting channels:
        // closing them refuses new connections at once while open ones finish (suspend() would
        // close those too).
        // One I/O thread per core: handlers run on virtual threads, so more would only add switching.
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                // Handlers run on virtual threads; Undertow's own task pool only does housekeeping.
                .set(Options.WORKER_TASK_CORE_THREADS, 2)
                .set(Options.WORKER_TASK_MAX_THREADS, 2)
                .set(Options.TCP_NODELAY, true)
                .set(Options.WORKER_NAME, "skiff-http")
                .getMap());
        OptionMap serverOptions = OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .set(UndertowOptions.MAX_HEADERS, 100)
                .set(UndertowOptions.MAX_ENTITY_SIZE, settings.maxBodySize().bytes())
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.requestHeadTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, 65_000)
                .set(UndertowOptions.SHUTDOWN_TIMEOUT, 1_000)
                .getMap();
        var buffers = new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
        try {
            if (managementPort == null) {
                accepting.add(listen(settings.port(), this::handle, buffers, serverOptions));
            } else {
                accepting.add(listen(settings.port(), this::handleApplication, buffers, serverOptions));
                accepting.add(listen(managementPort, this::handleManagement, buffers, serverOptions));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            if (hasCause(e, BindException.class) || hasCause(e, java.net.UnknownHostException.class)) {
                String ports = managementPort == null ? "port " + settings.port()
                        : "ports " + settings.port() + " and " + managementPort;
                throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                        + (managementPort == null ? "" : " and :" + managementPort) + " (" + rootMessage(e)
                        + "): make sure no other process uses " + ports + " and that " + settings.host()
                        + " is an address of this machine, or set PORT and HOST to others", null);
            }
            throw e;
        }
        address = (InetSocketAddress) accepting.getFirst().getLocalAddress();
        log.atInfo().setMessage("listening on http://{}:{}")
                .addArgument(settings.host()).addArgument(address.getPort())
                .addKeyValue("host", settings.host()).addKeyValue("port", address.getPort()).log();
        if (managementPort != null) {
            managementAddress = (InetSocketAddress) accepting.get(1).getLocalAddress();
            log.atInfo().setMessage("management endpoints on http://{}:{}")
                    .addArgument(settings.host()).addArgument(managementAddress.getPort())
                    .addKeyValue("management.port", managementAddress.getPort()).log();
        }
    }

    private AcceptingChannel<StreamConnection> listen(int port, HttpHandler handler, DefaultByteBufferPool buffers,
            OptionMap serverOptions) throws IOException {
        var open = new HttpOpenListener(buffers, serverOptions);
        open.setRootHandler(handler);
        // Every connection is known, so that idle keep-alive ones can be closed at the end of a drain.
        ChannelListener<StreamConnection> tracking = connection -> {
            connections.add(connection);
            connection.getCloseSetter().set(closed -> connections.remove(closed));
            open.handleEvent(connection);
        };
        ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(tracking);
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.TCP_NODELAY, true)
                .set(Options.BACKLOG, 1000)
                .getMap();
        AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                new InetSocketAddress(InetAddress.getByName(settings.host()), port), accept, socketOptions);
        channel.resumeAccepts();
        return channel;
    }

    /** {@return the bound port, once started} */
    public int port() {
        return address.getPort();
    }

    /** {@return the bound management port, when the management endpoints have their own} */
    public int managementPort() {
        return managementAddress == null ? port() : managementAddress.getPort();
    }

    /** {@return the requests still being served} */
    public int activeRequests() {
        return inFlight.get();
    }

    @Override
    public void stop() throws InterruptedException {
        if (stopped.getAndSet(true)) {
            return;
        }
        closing = true;
        // New connections are refused from here on; requests in flight finish with Connection: close.
        for (AcceptingChannel<StreamConnection> channel : accepting) {
            IoUtils.safeClose(channel);
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int abandoned = inFlight.get();
        if (abandoned > 0) {
            log.atWarn().setMessage("{} requests still in flight after {} ms; closing their connections")
                    .addArgument(abandoned).addArgument(drainTimeout.toMillis()).log();
        }
        // What is left is idle keep-alive connections (and those of abandoned requests): close them.
        connections.forEach(IoUtils::safeClose);
        worker.shutdown();
        if (!worker.awaitTermination(1, TimeUnit.SECONDS)) {
            worker.shutdownNow();
        }
        handlers.shutdown();
        handlers.awaitTermination(1, TimeUnit.SECONDS);
    }

    private void closeQuietly() {
        accepting.forEach(IoUtils::safeClose);
        accepting.clear();
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    private void handle(HttpServerExchange exchange) {
        if (isManagement(exchange.getRequestPath())) {
            handleManagement(exchange);
        } else {
            handleApplication(exchange);
        }
    }

    private static boolean isManagement(String path) {
        return path.startsWith("/health/") || path.equals(Endpoints.METRICS) || path.equals(Endpoints.INFO);
    }

    private void handleManagement(HttpServerExchange exchange) {
        closeWhenDraining(exchange);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        String path = exchange.getRequestPath();
        if (!exchange.getRequestMethod().toString().equals("GET") && !exchange.getRequestMethod().toString().equals("HEAD")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            problem(exchange, 405, path + " answers GET and HEAD", null);
            return;
        }
        switch (path) {
            case Endpoints.METRICS -> exchange.dispatch(handlers, () -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                Bodies.send(exchange, metrics.scrape());
            });
            case Endpoints.INFO -> {
                var body = new LinkedHashMap<>(info);
                body.put("uptime_ms", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(Json.write(body));
            }
            // Checks may block for up to their timeout: never on an IO thread.
            default -> exchange.dispatch(handlers, () -> probe(exchange, path));
        }
    }

    private void probe(HttpServerExchange exchange, String path) {
        HealthReport report = switch (path) {
            case Endpoints.LIVE -> lifecycle.liveness();
            case Endpoints.READY -> lifecycle.readiness();
            case Endpoints.STARTED -> lifecycle.started();
            default -> null;
        };
        if (report == null) {
            problem(exchange, 404, "no health endpoint " + path
                    + "; there are /health/live, /health/ready and /health/started", null);
            return;
        }
        exchange.setStatusCode(report.up() ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        Bodies.send(exchange, Json.writeBytes(report));
    }

    /** From the start of a drain, every response closes its connection after it is sent. */
    private void closeWhenDraining(HttpServerExchange exchange) {
        if (closing) {
            exchange.setPersistent(false);
        } else {
            exchange.addResponseCommitListener(committed -> {
                if (closing) {
                    committed.setPersistent(false);
                }
            });
        }
    }

    private void handleApplication(HttpServerExchange exchange) {
        long begin = System.nanoTime();
        closeWhenDraining(exchange);
        String requestId = requestId(exchange);
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        if (hasControlCharacter(path)) {
            // A decoded %00 or %0a would reach handlers, file names and log lines.
            exchange.setPersistent(false);
            problem(exchange, 400, "the path holds a control character", requestId);
            return;
        }
        Routes.Match match = routes.find(method, path);
        String route = match == null ? UNMATCHED : match.template();
        int active = inFlight.incrementAndGet();
        exchange.addExchangeCompleteListener((done, next) -> {
            inFlight.decrementAndGet();
            completed(done, route, requestId, begin);
            next.proceed();
        });
        if (active > settings.maxConcurrentRequests()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            problem(exchange, 503, "the server is serving " + settings.maxConcurrentRequests()
                    + " requests, its limit; retry in a second", requestId);
            return;
        }
        if (match == null) {
            problem(exchange, 404, "no route for " + method + " " + path, requestId);
            return;
        }
        if (match.handler() == null) {
            Set<String> allowed = routes.methods(match.template());
            exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
            problem(exchange, 405, match.template() + " answers " + String.join(", ", allowed) + ", not " + method,
                    requestId);
            return;
        }
        if (!hasBody(exchange)) {
            exchange.dispatch(handlers, () -> serve(exchange, match, requestId, NO_BODY));
            return;
        }
        long declared = exchange.getRequestContentLength();
        if (declared > settings.maxBodySize().bytes()) {
            exchange.setPersistent(false);
            problem(exchange, 413, tooLarge(), requestId);
            return;
        }
        // The body is read here, without blocking, by the I/O thread: a slow client holds no
        // thread while it sends, and handlers find the body in memory. Undertow's entity limit
        // (MAX_ENTITY_SIZE) stops a chunked body that grows past http.max-body-size.
        var deadline = exchange.getIoThread().executeAfter(() -> {
            if (!exchange.isRequestComplete()) {
                log.atInfo().setMessage("request body not received within {} ms; closing the connection")
                        .addArgument(settings.bodyReadTimeout().toMillis()).log();
                exchange.setPersistent(false);
                if (!exchange.isResponseStarted()) {
                    problem(exchange, 408, "the request body did not arrive within "
                            + settings.bodyReadTimeout().toMillis() + " ms", requestId);
                }
                IoUtils.safeClose(exchange.getConnection());
            }
        }, settings.bodyReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        exchange.getRequestReceiver().receiveFullBytes(
                (received, body) -> {
                    deadline.remove();
                    received.dispatch(handlers, () -> serve(received, match, requestId, body));
                },
                (failed, e) -> {
                    deadline.remove();
                    failed.setPersistent(false);
                    if (!failed.isResponseStarted()) {
                        boolean tooBig = e instanceof io.undertow.server.RequestTooBigException;
                        problem(failed, tooBig ? 413 : 400, tooBig ? tooLarge()
                                : "the request body could not be read: the client sent less than it announced, or"
                                        + " broke off", requestId);
                    }
                });
    }

    private static final byte[] NO_BODY = new byte[0];

    private static boolean hasBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    private String tooLarge() {
        return "the request body is larger than " + settings.maxBodySize().bytes()
                + " bytes, the limit set by http.max-body-size";
    }

    private void serve(HttpServerExchange exchange, Routes.Match match, String requestId, byte[] body) {
        LogContext.Scope scope = LogContext.open(requestId, exchange.getRequestHeaders().getFirst(TRACEPARENT));
        try {
            var ctx = new ExchangeContext(exchange, requestId, match.template(), match.params(), body);
            Thread handlerThread = Thread.currentThread();
            long timeoutMs = settings.requestTimeout().toMillis();
            var timeout = exchange.getIoThread().executeAfter(() -> {
                if (ctx.answerTimeout()) {
                    log.atWarn().setMessage("{} {} took longer than {} ms; answered 503 and interrupted its handler")
                            .addArgument(exchange.getRequestMethod()).addArgument(exchange.getRequestPath())
                            .addArgument(timeoutMs).addKeyValue(LogContext.REQUEST_ID, requestId).log();
                    exchange.setPersistent(false);
                    problem(exchange, 503, "the request took longer than " + timeoutMs + " ms", requestId);
                    handlerThread.interrupt();
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
            try {
                for (Handler filter : routes.beforeFilters()) {
                    filter.handle(ctx);
                    if (ctx.sent()) {
                        return;
                    }
                }
                match.handler().handle(ctx);
            } catch (Exception e) {
                fail(exchange, ctx, e, requestId);
            }
            for (Handler filter : routes.afterFilters()) {
                try {
                    filter.handle(ctx);
                } catch (Exception e) {
                    fail(exchange, ctx, e, requestId);
                }
            }
            timeout.remove();
            if (!ctx.sent() && !exchange.isResponseStarted()) {
                // The handler answered nothing: end the response, or the client would wait for one.
                ctx.answeredByServer();
                exchange.endExchange();
            }

        } finally {
            scope.close();
        }
    }

    private void fail(HttpServerExchange exchange, ExchangeContext ctx, Exception e, String requestId) {
        if (ctx.timedOut()) {
            return; // already answered 503 and logged; what the interrupted handler throws is its echo
        }
        if (e instanceof HttpException http) {
            if (!ctx.sent()) {
                ctx.answeredByServer();
                problem(exchange, http.status(), http.getMessage(), requestId);
            }
            return;
        }
        if (databaseUnavailable(e)) {
            // The database is down or frozen: the pool's bounded wait has passed. Expected while it
            // lasts, so one warning line without a stack; the client may retry.
            log.atWarn().setMessage("request {} {} failed: the database is unavailable: {}")
                    .addArgument(exchange.getRequestMethod()).addArgument(exchange.getRequestPath())
                    .addArgument(e.getMessage()).log();
            if (!ctx.sent()) {
                ctx.answeredByServer();
                exchange.getResponseHeaders().clear();
                exchange.getResponseHeaders().put(REQUEST_ID, requestId);
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
                problem(exchange, 503, "the database is unavailable; try again shortly", requestId);
            }
            return;
        }
        log.atError().setMessage("request {} {} failed").addArgument(exchange.getRequestMethod())
                .addArgument(exchange.getRequestPath()).setCause(e).log();
        if (!ctx.sent()) {
            ctx.answeredByServer();
            exchange.getResponseHeaders().clear();
            exchange.getResponseHeaders().put(REQUEST_ID, requestId);
            problem(exchange, 500, "the server failed to answer; quote request id " + requestId + " when reporting it",
                    requestId);
        } else {
            exchange.setPersistent(false); // a half-sent response cannot be repaired: close the connection
        }
    }

    /** {@return whether the failure is a database that cannot be reached: SQLState class 08, or no connection} */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private void completed(HttpServerExchange exchange, String route, String requestId, long begin) {
        long nanos = System.nanoTime() - begin;
        int status = exchange.getStatusCode();
        String method = exchange.getRequestMethod().toString();
        metrics.record(method, route, status, nanos);
        if (settings.accessLog()) {
            var event = accessLog.atInfo().setMessage("{} {} {} {} ms").addArgument(method).addArgument(exchange.getRequestPath())
                    .addArgument(status).addArgument(TimeUnit.NANOSECONDS.toMillis(nanos))
                    .addKeyValue("http.request.method", method)
                    .addKeyValue("url.path", exchange.getRequestPath())
                    .addKeyValue("http.route", route)
                    .addKeyValue("http.response.status_code", status)
                    .addKeyValue("event.duration", nanos)
                    .addKeyValue("http.request.body.bytes", Math.max(0, exchange.getRequestContentLength()))
                    .addKeyValue("http.response.body.bytes", exchange.getResponseBytesSent())
                    .addKeyValue("user_agent.original", String.valueOf(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)));
            // On the serving thread the request id is already in the context; elsewhere, add it.
            if (LogContext.requestId().isEmpty()) {
                event = event.addKeyValue(LogContext.REQUEST_ID, requestId);
            }
            event.log();
        }
    }

    private static void problem(HttpServerExchange exchange, int status, String detail, String requestId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", StatusCodes.getReason(status));
        body.put("status", status);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        Bodies.send(exchange, Json.writeBytes(body));
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

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
