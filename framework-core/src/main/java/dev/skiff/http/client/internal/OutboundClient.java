package dev.skiff.http.client.internal;

import dev.skiff.http.ServiceClient;
import dev.skiff.http.TypeToken;
import dev.skiff.http.internal.JsonCodec;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.Tracing;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceClient} on the JDK's HTTP client: one per backing service, created at its first
 * call and closed when the process stops (by its {@link #component()}).
 */
public final class OutboundClient implements ServiceClient {

    private static final Logger log = LoggerFactory.getLogger(ServiceClient.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(502, 503, 504);

    /** One timer per method, status and error: bounded, since the host is one per client. */
    private record TimerKey(String method, String status, String error) {}

    /** How long one health check may run (health.check-timeout): a check's call is given no more. */
    private final Duration checkTimeout;
    private final String name;
    private final OutboundSettings settings;
    private final MeterRegistry registry;
    private final Duration[] buckets;
    private final Supplier<Tracing> tracing;
    private final String host;
    private final RetryBudget budget = new RetryBudget();
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failedWhileDown = new AtomicLong();
    private final Object lock = new Object();
    private volatile HttpClient client;
    private ExecutorService executor;
    private boolean stopped;

    /**
     * @param name the name the application asked for the client by
     * @param settings its settings, bound from the block of that name
     * @param registry where {@code http.client.requests} goes
     * @param buckets the latency histogram's buckets
     * @param tracing how calls are traced, read at each call
     * @param checkTimeout how long one health check may run ({@code health.check-timeout}): a
     *     {@link #healthCheck} call is given no more
     * @param json the application's JSON mapper
     */
    public OutboundClient(String name, OutboundSettings settings, MeterRegistry registry, List<Duration> buckets,
            Supplier<Tracing> tracing, Duration checkTimeout, JsonCodec json) {
        this.name = name;
        this.json = json;
        this.checkTimeout = checkTimeout;
        this.settings = settings;
        this.registry = registry;
        this.buckets = buckets.toArray(Duration[]::new);
        this.tracing = tracing;
        URI url = settings.url();
        this.host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        switchOffTheJdksOwnRetry();
    }

    private final JsonCodec json;

    @Override
    public HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofByteArray(json.write(body));
    }

    @Override
    public <T> T read(HttpResponse<byte[]> response, Class<T> type) throws IOException {
        return json.readAnswer(name, response, type);
    }

    @Override
    public <T> T read(HttpResponse<byte[]> response, TypeToken<T> type) throws IOException {
        return json.readAnswer(name, response, type.type());
    }

    /** The JDK's switch: how many exchanges one send may make, its hidden retry included. */
    static final String JDK_ATTEMPTS = "jdk.httpclient.redirects.retrylimit";

    /**
     * Makes each send one copy on the wire. The JDK's client sends a GET or HEAD again, once, on its
     * own when the connection closes before any answer comes — outside {@code retries}, the
     * budget, the metrics and the span. Its one switch is process-wide and read once, when the
     * JDK's client first sends; a service that declares a backing service sets it before that,
     * unless it was set already (then the JDK's retry stays as set). It also caps redirects, which
     * these clients never follow; an {@code HttpClient} of the application's own that follows
     * redirects needs the property set (docs/backing-services.md).
     */
    private static void switchOffTheJdksOwnRetry() {
        if (System.getProperty(JDK_ATTEMPTS) == null) {
            System.setProperty(JDK_ATTEMPTS, "1");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI url() {
        return settings.url();
    }

    @Override
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(resolve(path)).timeout(settings.request());
    }

    /** {@return the URL of a path under the service's URL, as {@link ClientPaths#resolve} allows} */
    private URI resolve(String path) {
        return ClientPaths.resolve(settings.url(), path, name);
    }

    /** Refuses a request built by hand for another service: this client's headers and metrics are for its own. */
    private void requireOwn(URI uri) {
        URI base = settings.url();
        if (!base.getScheme().equals(uri.getScheme()) || uri.getRawAuthority() == null
                || !base.getRawAuthority().equals(uri.getRawAuthority())) {
            throw new IllegalArgumentException("the request goes to " + uri.getScheme() + "://" + uri.getHost()
                    + ", not to " + name + " (" + base + "): start it with request(path)");
        }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        requireOwn(request.uri());
        HttpClient http = client();
        long start = System.nanoTime();
        long deadline = start + settings.request().toNanos();
        String method = request.method();
        // Sent again after it may have arrived only when that is harmless, and when its body can be
        // sent again whole (a stream of unknown length cannot).
        boolean idempotent = (IDEMPOTENT.contains(method) || request.headers().firstValue("Idempotency-Key").isPresent())
                && request.bodyPublisher().map(publisher -> publisher.contentLength() >= 0).orElse(true);
        HttpRequest.Builder carried = HttpRequest.newBuilder(request, (header, value) -> true);
        if (request.headers().firstValue("X-Request-Id").isEmpty()) {
            LogContext.requestId().ifPresent(id -> carried.header("X-Request-Id", id));
        }
        boolean ownTrace = request.headers().firstValue("traceparent").isPresent();
        String parent = LogContext.traceparent().orElse(null);
        Tracing traced = tracing.get();
        budget.called();
        for (int attempt = 0; ; attempt++) {
            Duration timeout = Duration.ofNanos(deadline - System.nanoTime());
            if (timeout.toMillis() < 1) {
                // A wait overran what the deadline left (a pause of the JVM): no time for this attempt.
                throw unavailable(new HttpTimeoutException("no time left for attempt " + (attempt + 1)), attempt, start);
            }
            if (request.timeout().isPresent() && request.timeout().get().compareTo(timeout) < 0) {
                timeout = request.timeout().get();
            }
            // One span per attempt, each a child of the request being served, as the conventions ask.
            Tracing.Span span = traced.client(name, method, ClientPaths.redacted(request.uri()), attempt, parent);
            HttpRequest.Builder sent = carried.copy().timeout(timeout);
            if (!ownTrace && span.traceparent() != null) {
                sent.setHeader("traceparent", span.traceparent());
            }
            long begin = System.nanoTime();
            Duration wait;
            try {
                HttpResponse<T> response = exchange(http, sent.build(), body, timeout);
                int status = response.statusCode();
                span.end(status, null);
                record(method, Integer.toString(status), "none", begin);
                answered();
                if (!(idempotent && RETRYABLE_STATUSES.contains(status))) {
                    return response;
                }
                wait = RetryBudget.backoff(attempt, RetryBudget.retryAfter(response));
                if (!mayRetry(attempt, wait, deadline)) {
                    return response;
                }
                discard(response.body());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                // The request never reached the service: safe to send again, whatever its method.
                span.end(0, e.getClass().getName());
                record(method, "NONE", e instanceof ConnectException ? "connect" : "timeout", begin);
                wait = RetryBudget.backoff(attempt, Duration.ZERO);
                if (!mayRetry(attempt, wait, deadline)) {
                    throw unavailable(e, attempt + 1, start);
                }
            } catch (IOException e) {
                // It may have reached the service: sent again only when doing so twice is harmless.
                span.end(0, e.getClass().getName());
                record(method, "NONE", e instanceof HttpTimeoutException ? "timeout" : "io", begin);
                wait = RetryBudget.backoff(attempt, Duration.ZERO);
                if (!idempotent || !mayRetry(attempt, wait, deadline)) {
                    throw unavailable(e, attempt + 1, start);
                }
            } catch (InterruptedException | RuntimeException e) {
                span.end(0, e.getClass().getName());
                throw e;
            }
            Thread.sleep(wait);
        }
    }

    /**
     * Sends and waits for the whole response, body included, within {@code timeout}: the JDK's own
     * timeout ends at the response's headers, so a service that sends them and then stalls its
     * body would hold the call without end.
     */
    private static <T> HttpResponse<T> exchange(HttpClient http, HttpRequest request,
            HttpResponse.BodyHandler<T> body, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> response = http.sendAsync(request, body);
        try {
            return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no whole response within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io && io.getClass() == IOException.class
                    && io.getCause() instanceof IOException underlying) {
                // The JDK's retry, switched off, ends the send with a plain IOException around what
                // failed ("Too many retries"): what failed is what the caller decides by.
                throw underlying;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Closes a response body nobody will read (a stream), which would otherwise hold its connection. */
    private static void discard(Object body) {
        if (body instanceof AutoCloseable unread) {
            try {
                unread.close();
            } catch (Exception e) {
                // The connection is dropped rather than reused: nothing else to do.
            }
        }
    }

    private boolean mayRetry(int attempt, Duration wait, long deadline) {
        // A retry must leave itself some time: at least the wait and a first backoff's worth.
        return attempt < settings.retryCount()
                && System.nanoTime() + wait.toNanos() + RetryBudget.FIRST_BACKOFF.toNanos() < deadline
                && budget.tryRetry();
    }

    private BackingServiceUnavailable unavailable(IOException cause, int attempts, long start) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String reason = cause instanceof HttpTimeoutException ? "no answer in time"
                : cause instanceof ConnectException ? "cannot connect" : cause.getClass().getSimpleName();
        var unavailable = new BackingServiceUnavailable(name, name + " (" + settings.url() + "): " + reason + " after "
                + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + millis + " ms", cause);
        if (down.compareAndSet(false, true)) {
            log.atWarn().setMessage("{} is unavailable: {}; calls to it fail, answered 503 unless handled, until it"
                            + " answers again (said once per outage; see http.client.requests)")
                    .addArgument(name).addArgument(unavailable.getMessage())
                    .addKeyValue("service.target.name", name).log();
        } else {
            failedWhileDown.incrementAndGet();
        }
        return unavailable;
    }

    private void answered() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.atInfo().setMessage("{} answers again, after {} more failed calls")
                    .addArgument(name).addArgument(failedWhileDown.getAndSet(0))
                    .addKeyValue("service.target.name", name).log();
        }
    }

    private void record(String method, String status, String error, long begin) {
        String tagged = Metrics.method(method);
        timers.computeIfAbsent(new TimerKey(tagged, status, error), key -> Timer.builder("http.client.requests")
                .serviceLevelObjectives(buckets)
                .description("HTTP calls to backing services, one per attempt, by client, host, method, status and outcome")
                .tags("client", name, "host", host, "method", key.method(), "status", key.status(),
                        "outcome", key.status().equals("NONE") ? "UNKNOWN" : Metrics.outcome(Integer.parseInt(key.status())),
                        "error", key.error())
                .register(registry)).record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
    }

    @Override
    public HealthCheck healthCheck(String path) {
        URI target = resolve(path);
        // Within the health checks' own timeout (health.check-timeout), so a probe never outlives its check.
        Duration timeout = settings.request().compareTo(checkTimeout) < 0 ? settings.request() : checkTimeout;
        return () -> {
            // Body included and cancelled past the deadline: a probe abandoned by the health check's
            // own timeout leaves no exchange behind.
            HttpResponse<Void> response = exchange(client(), HttpRequest.newBuilder(target).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.discarding(), timeout);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(name + " answered " + response.statusCode() + " on " + target.getPath());
            }
        };
    }

    /**
     * Tries the service once, as the {@code check} command does: a GET of its URL within the request
     * timeout (at most 5 s), no retry; any HTTP answer means it is there.
     *
     * @return what answered, and how fast
     * @throws IOException when nothing answered, saying what went wrong
     */
    public String reach() throws IOException, InterruptedException {
        Duration timeout = settings.request().compareTo(Duration.ofSeconds(5)) < 0 ? settings.request()
                : Duration.ofSeconds(5);
        long begin = System.nanoTime();
        try {
            HttpResponse<Void> response = exchange(client(), HttpRequest.newBuilder(settings.url()).timeout(timeout)
                    .GET().build(), HttpResponse.BodyHandlers.discarding(), timeout);
            return settings.url() + " answered " + response.statusCode() + " in "
                    + (System.nanoTime() - begin) / 1_000_000 + " ms";
        } finally {
            close();
        }
    }

    private HttpClient client() {
        HttpClient http = client;
        if (http != null) {
            return http;
        }
        synchronized (lock) {
            if (stopped) {
                throw new IllegalStateException("the client of " + name + " was closed: the process is stopping");
            }
            if (client == null) {
                executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("skiff-http-client-" + name)
                        .factory());
                client = HttpClient.newBuilder().connectTimeout(settings.connect()).executor(executor)
                        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
            }
            return client;
        }
    }

    /**
     * {@return the component that closes the client when the process stops, after the HTTP server
     * has drained; the client itself is created at the first call, so a process that never calls
     * opens no connection and starts no thread}
     */
    public Component component() {
        return new Component() {
            @Override
            public String name() {
                return "http client " + name;
            }

            @Override
            public void start() {
                // Nothing: see above.
            }

            @Override
            public void stop() throws InterruptedException {
                close();
            }
        };
    }

    private void close() throws InterruptedException {
        HttpClient http;
        synchronized (lock) {
            stopped = true;
            http = client;
        }
        if (http != null) {
            // Calls in flight had the whole drain to finish; what is left is cut short.
            http.shutdownNow();
            http.awaitTermination(Duration.ofMillis(200));
            executor.shutdownNow();
        }
    }
}
