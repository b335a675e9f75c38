package dev.skiff.http.internal;

import dev.skiff.http.drain.internal.TrafficWatch;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.Tracing;
import dev.skiff.internal.TrustedProxies;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.StopSequence;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;

/**
 * The HTTP server as a lifecycle component: the {@link Listener} with its sockets, the
 * application's {@link Pipeline} and the {@link ManagementEndpoints}, on the main port or on a
 * port of their own, and the drain at shutdown.
 */
public final class HttpServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final CoreSettings.Http settings;
    private final Integer managementPort;
    private final Supplier<Duration> drainTimeout;
    private final TrafficWatch watch = new TrafficWatch();
    private final InFlight inFlight = new InFlight();
    /**
     * A new virtual thread per request. Not an executor service: the requests in flight are
     * counted by {@link InFlight} already, and a thread-per-task executor would keep a second set
     * of them.
     */
    private final RequestThreads handlers = new RequestThreads();
    private final BodyBudget bodyBudget;
    private final Pipeline pipeline;
    private final ManagementEndpoints management;
    private volatile boolean closing;
    /** Whether application requests are answered 503: the server was opened early, for the probes. */
    private volatile boolean starting;
    private Listener listener;
    private InetSocketAddress address;
    private InetSocketAddress managementAddress;
    private boolean stopped;

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
     * @param failureMappings how the modules answer the failures they own, asked in order
     */
    public HttpServer(CoreSettings.Http settings, Integer managementPort, RouteTable routes, Lifecycle lifecycle,
            Metrics metrics, Map<String, Object> info, Duration drainTimeout, List<FailureMapping> failureMappings) {
        this(settings, managementPort, routes, lifecycle, metrics, info, () -> drainTimeout, failureMappings,
                Tracing.NONE);
    }

    /**
     * Creates the server, with a span per request when {@code tracing} is enabled.
     *
     * @param settings host, port, limits, access log
     * @param managementPort a separate port for the management endpoints, or null for the main one
     * @param routes the application's routes
     * @param lifecycle whose health the probes report
     * @param metrics the registry behind /metrics, which also records every request
     * @param info what /info shows
     * @param drainTimeout how long stop waits for requests in flight, asked when it stops: what the
     *     drain before it left of the shutdown budget
     * @param failureMappings how the modules answer the failures they own, asked in order
     * @param tracing how requests are traced
     */
    public HttpServer(CoreSettings.Http settings, Integer managementPort, RouteTable routes, Lifecycle lifecycle,
            Metrics metrics, Map<String, Object> info, Supplier<Duration> drainTimeout,
            List<FailureMapping> failureMappings,
            Tracing tracing) {
        this.settings = settings;
        this.managementPort = managementPort;
        this.drainTimeout = drainTimeout;
        this.bodyBudget = new BodyBudget(settings.maxBufferedBodies().bytes());
        routes.freeze();
        this.pipeline = new Pipeline(settings, routes, inFlight, bodyBudget, failureMappings,
                new AccessLog(metrics, settings.accessLog(), new ClientAddress(TrustedProxies.parse(settings.trustedProxies()))), handlers,
                tracing, exchange -> listener == null ? null : listener.framingFault(exchange));
        io.micrometer.core.instrument.Gauge.builder("http.server.requests.body.buffered", bodyBudget, BodyBudget::used)
                .baseUnit("bytes").description("Request body bytes held in memory; at most http.max-buffered-bodies")
                .strongReference(true).register(metrics.registry());
        this.management = new ManagementEndpoints(lifecycle, metrics, info, handlers::startNow, watch);
    }

    @Override
    public String name() {
        return "http";
    }

    /**
     * {@return the server opened out of turn, for the probes only, while a component's start waits
     * for its backing service: application requests are answered 503 with {@code Retry-After}
     * until the server's own turn to start comes}
     */
    public Component probesFirst() {
        return Component.of("http (probes)", () -> {
            synchronized (this) {
                starting = true;
                start();
            }
        }, this::stop);
    }

    /** Binds, or, when {@link #probesFirst()} bound already, begins serving application requests. */
    @Override
    public synchronized void start() throws IOException {
        if (listener != null) {
            starting = false;
            return;
        }
        OptionMap serverOptions = OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .set(UndertowOptions.MAX_HEADERS, 100)
                // Skiff's own body reader enforces http.max-body-size and answers 413. Undertow's cap
                // stays as a backstop for bodies read through the escape hatch, far enough above that
                // it never trips first: when it does, Undertow 2.4.4 prints the exception's stack
                // trace to stderr, cuts the connection without an answer, and the exchange ends as 200.
                .set(UndertowOptions.MAX_ENTITY_SIZE, 2 * settings.maxBodySize().bytes() + 64 * 1024)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.requestHeadTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, 65_000)
                .set(UndertowOptions.SHUTDOWN_TIMEOUT, 1_000)
                .getMap();
        listener = new Listener(settings.host(), serverOptions, (int) settings.writeTimeout().toMillis());
        try {
            if (managementPort == null) {
                address = listener.listen(settings.port(), this::route);
            } else {
                address = listener.listen(settings.port(), this::application);
                managementAddress = listener.listen(managementPort, exchange -> serve(exchange, management));
            }
        } catch (IOException | RuntimeException e) {
            listener.shutdownNow();
            if (hasCause(e, BindException.class) || hasCause(e, UnknownHostException.class)) {
                String ports = managementPort == null ? "port " + settings.port()
                        : "ports " + settings.port() + " and " + managementPort;
                throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                        + (managementPort == null ? "" : " and :" + managementPort) + " (" + rootMessage(e)
                        + "): make sure no other process uses " + ports + " and that " + settings.host()
                        + " is an address of this machine, or set PORT and HOST to others", null);
            }
            throw e;
        }
        log.atInfo().setMessage("listening on http://{}:{}")
                .addArgument(settings.host()).addArgument(address.getPort())
                .addKeyValue("host", settings.host()).addKeyValue("port", address.getPort()).log();
        if (managementAddress != null) {
            log.atInfo().setMessage("management endpoints on http://{}:{}")
                    .addArgument(settings.host()).addArgument(managementAddress.getPort())
                    .addKeyValue("management.port", managementAddress.getPort()).log();
        }
    }

    /** {@return the address the server listens on, as configured: {@code 0.0.0.0} for every address} */
    public String host() {
        return settings.host();
    }

    /** {@return the bound port, once started} */
    public int port() {
        return address.getPort();
    }

    /** {@return the bound management port, when the management endpoints have their own} */
    public int managementPort() {
        return managementAddress == null ? port() : managementAddress.getPort();
    }

    /** {@return what the server sees of the parties that route to it, for the drain} */
    public TrafficWatch watch() {
        return watch;
    }

    /** {@return the application requests in flight, handlers that still run after a timeout included} */
    public int activeRequests() {
        return inFlight.count();
    }

    /** {@return the client connections open now} */
    int openConnections() {
        return listener.openConnections();
    }

    /** {@return the request body bytes held in memory now, by bodies being read or read} */
    long bufferedBodyBytes() {
        return bodyBudget.used();
    }

    /**
     * Stops taking connections, waits for the requests in flight (their handlers included) up to
     * the drain timeout, then closes what is left.
     */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (stopped || listener == null) {
            return;
        }
        stopped = true;
        closing = true;
        // New connections are refused from here on; requests in flight finish with Connection: close.
        listener.stopAccepting();
        // Most of the budget for requests to finish by themselves; the rest for those interrupted
        // then to answer (a handler waiting for a body that will not come answers 503) and end.
        Duration budget = drainTimeout.get();
        Duration natural = budget.minus(StopSequence.share(budget, 5));
        int abandoned = 0;
        if (!inFlight.awaitNone(natural)) {
            abandoned = inFlight.count();
            pipeline.abandon();
            int interrupted = inFlight.interruptHandlers();
            log.atWarn().setMessage("{} requests still in flight after {} ms; interrupted {} handlers and closing"
                    + " their connections").addArgument(abandoned).addArgument(natural.toMillis())
                    .addArgument(interrupted).addKeyValue("active_requests", abandoned).log();
            inFlight.awaitNone(budget.minus(natural));
        }
        // What is left is idle keep-alive connections (and those of abandoned requests): close them.
        listener.closeConnections();
        listener.shutdown();
        if (abandoned > 0) {
            // Stopped in time, but not cleanly: the shutdown's result, and the exit status, say so.
            throw new AbandonedRequests(abandoned + " requests were still in flight after " + natural.toMillis()
                    + " ms and were cut (their handlers interrupted)");
        }
    }

    /** Requests the drain had to cut: reported as the HTTP server's failure to stop cleanly. */
    private static final class AbandonedRequests extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        AbandonedRequests(String message) {
            super(message, null);
            setStackTrace(new StackTraceElement[0]); // what happened is the message; a stack would say nothing
        }
    }

    private void route(HttpServerExchange exchange) throws Exception {
        if (ManagementEndpoints.isManagement(exchange.getRequestPath())) {
            serve(exchange, management);
        } else {
            application(exchange);
        }
    }

    /** An application request: noted for the drain, then served. */
    private void application(HttpServerExchange exchange) throws Exception {
        watch.request(exchange.getSourceAddress());
        serve(exchange, starting ? HttpServer::retryLater : pipeline);
    }

    /** While the service waits for a backing service at startup: 503, try again. */
    private static void retryLater(HttpServerExchange exchange) {
        new Reply(exchange, null, BodyReader.hasBody(exchange)).answerNow(Problem.retryLater(
                "the service is starting: it waits for a backing service; try again shortly"));
    }

    /**
     * Every response is dated as it is committed, unless its handler dated it ({@link HttpDate}:
     * Undertow keeps a {@code Date} it finds), and from the start of a drain it closes its
     * connection after it is sent.
     */
    private final ResponseCommitListener onCommit = committed -> {
        if (!committed.getResponseHeaders().contains(Headers.DATE)) {
            committed.getResponseHeaders().put(Headers.DATE, HttpDate.now());
        }
        if (closing) {
            committed.setPersistent(false);
        }
    };

    private void serve(HttpServerExchange exchange, HttpHandler handler) throws Exception {
        if (closing) {
            exchange.setPersistent(false);
        }
        exchange.addResponseCommitListener(onCommit);
        handler.handleRequest(exchange);
    }

    /** {@return whether the failure or one of its causes is of a type} */
    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
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
