package dev.skiff.internal;

import dev.skiff.http.Handler;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthReport;
import dev.skiff.lifecycle.Lifecycle;
import dev.skiff.logging.LogContext;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/** The HTTP server as a lifecycle component: Undertow core, handlers on virtual threads. */
public final class HttpServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final HttpString REQUEST_ID = HttpString.tryFromString("X-Request-Id");
    private static final HttpString TRACEPARENT = HttpString.tryFromString("traceparent");

    private final CoreSettings.Http settings;
    private final Routes routes;
    private final Lifecycle lifecycle;
    private final Duration drainTimeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService handlers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-request-", 0).factory());
    private volatile boolean closing;
    private Undertow undertow;
    private InetSocketAddress address;

    /**
     * Creates the server; it binds when started.
     *
     * @param settings host and port
     * @param routes the application's routes
     * @param lifecycle whose health the probes report
     * @param drainTimeout how long stop waits for requests in flight
     */
    public HttpServer(CoreSettings.Http settings, Routes routes, Lifecycle lifecycle, Duration drainTimeout) {
        this.settings = settings;
        this.routes = routes;
        this.lifecycle = lifecycle;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() {
        undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                // Handlers run on virtual threads; Undertow's own workers only do its housekeeping.
                .setWorkerThreads(2)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 65_000)
                .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, 1_000)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(this::handle)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            try {
                undertow.stop(); // releases the XNIO worker that start() had already created
            } catch (RuntimeException ignored) {
                // the failure to report is the one from start()
            }
            undertow = null;
            if (hasCause(e, BindException.class)) {
                throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                        + " (" + rootMessage(e) + "): make sure no other process uses port " + settings.port()
                        + " and that " + settings.host() + " is an address of this machine, or set PORT and HOST"
                        + " to others", null);
            }
            throw e;
        }
        address = (InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress();
        log.atInfo().setMessage("listening on http://{}:{}")
                .addArgument(settings.host()).addArgument(address.getPort())
                .addKeyValue("host", settings.host()).addKeyValue("port", address.getPort()).log();
    }

    /** {@return the bound port, once started} */
    public int port() {
        return address.getPort();
    }

    @Override
    public void stop() throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int abandoned = inFlight.get();
        if (abandoned > 0) {
            log.atWarn().setMessage("{} requests still in flight after {} ms; closing their connections")
                    .addArgument(abandoned).addArgument(drainTimeout.toMillis()).log();
        }
        undertow.stop();
        handlers.shutdown();
        handlers.awaitTermination(1, TimeUnit.SECONDS);
    }

    private void handle(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        if (closing) {
            exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
        }
        if (path.startsWith("/health/")) {
            // Checks may block for up to their timeout: never on an IO thread.
            exchange.dispatch(handlers, () -> probe(exchange, path));
            return;
        }
        String requestId = requestId(exchange);
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        Handler handler = routes.find(method, path);
        if (handler == null) {
            Set<String> allowed = routes.methods(path);
            if (allowed.isEmpty()) {
                problem(exchange, 404, "Not Found", "no route for " + method + " " + path, requestId);
            } else {
                exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
                problem(exchange, 405, "Method Not Allowed",
                        path + " answers " + String.join(", ", allowed) + ", not " + method, requestId);
            }
            return;
        }
        inFlight.incrementAndGet();
        exchange.addExchangeCompleteListener((done, next) -> {
            inFlight.decrementAndGet();
            next.proceed();
        });
        exchange.dispatch(handlers, () -> serve(exchange, handler, requestId));
    }

    private void serve(HttpServerExchange exchange, Handler handler, String requestId) {
        LogContext.Scope scope = LogContext.open(requestId, exchange.getRequestHeaders().getFirst(TRACEPARENT));
        try {
            exchange.startBlocking();
            handler.handle(new ExchangeContext(exchange, requestId));
        } catch (Exception e) {
            log.atError().setMessage("request {} {} failed").addArgument(exchange.getRequestMethod())
                    .addArgument(exchange.getRequestPath()).setCause(e).log();
            if (!exchange.isResponseStarted()) {
                exchange.getResponseHeaders().clear();
                exchange.getResponseHeaders().put(REQUEST_ID, requestId);
                problem(exchange, 500, "Internal Server Error",
                        "the server failed to answer; quote request id " + requestId + " when reporting it", requestId);
            }
        } finally {
            scope.close();
        }
    }

    private void probe(HttpServerExchange exchange, String path) {
        HealthReport report = switch (path) {
            case "/health/live" -> lifecycle.liveness();
            case "/health/ready" -> lifecycle.readiness();
            case "/health/started" -> lifecycle.started();
            default -> null;
        };
        if (report == null) {
            problem(exchange, 404, "Not Found", "no health endpoint " + path
                    + "; there are /health/live, /health/ready and /health/started", null);
            return;
        }
        exchange.setStatusCode(report.up() ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(Json.write(report));
    }

    /** {@return the requests still being served} */
    public int activeRequests() {
        return inFlight.get();
    }

    private static void problem(HttpServerExchange exchange, int status, String title, String detail, String requestId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseSender().send(Json.write(body));
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
