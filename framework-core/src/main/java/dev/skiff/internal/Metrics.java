package dev.skiff.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Prometheus registry behind /metrics, with JVM and process meters and HTTP timers. */
public final class Metrics implements AutoCloseable {

    /** One timer per method, route, status: bounded, since routes are templates. */
    private record TimerKey(String method, String route, int status, String outcome) {

        // Written out: a record's own equals and hashCode are made at their first call by a bootstrap
        // method that generates eight classes, and the first call is in the first request.
        @Override
        public boolean equals(Object other) {
            return other instanceof TimerKey key && status == key.status && Objects.equals(method, key.method)
                    && Objects.equals(route, key.route) && Objects.equals(outcome, key.outcome);
        }

        @Override
        public int hashCode() {
            return ((Objects.hashCode(method) * 31 + Objects.hashCode(route)) * 31 + status) * 31
                    + Objects.hashCode(outcome);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Metrics.class);

    private final Duration[] latencyBuckets;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    /**
     * Made with the other JVM meters, under {@link #jvmMetersLock}: its constructor reads the memory
     * pools through the JVM's management beans, about a hundred classes the first request need not wait for.
     */
    private JvmGcMetrics gc;
    private final FutureTask<Void> jvmMeters = new FutureTask<>(this::bindJvmMetersNow, null);
    private final AtomicBoolean jvmMetersStarted = new AtomicBoolean();
    /** Released by the first request recorded, a scrape or close: the JVM's meters wait for it. */
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private final ReentrantLock jvmMetersLock = new ReentrantLock();
    private boolean closed;

    /**
     * Creates the registry with the default latency buckets.
     *
     * @param activeRequests what the in-flight requests gauge reads
     */
    public Metrics(Supplier<Number> activeRequests) {
        this(activeRequests, MetricsSettings.DEFAULTS);
    }

    /**
     * Creates the registry; the JVM's and the process's meters are bound by {@link #bindJvmMeters}.
     *
     * @param activeRequests what the in-flight requests gauge reads
     * @param settings the latency histograms' buckets
     */
    public Metrics(Supplier<Number> activeRequests, MetricsSettings settings) {
        this.latencyBuckets = settings.latencyBuckets().toArray(Duration[]::new);
        // Names that Prometheus's own lint (promtool check metrics) accepts: the process's CPU time
        // in seconds rather than Micrometer's nanoseconds, and no "_count" on a gauge.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("jvm.available.processors") : id;
            }
        });
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                warnOfAReservedSuffix(id);
                return id;
            }
        });
        // Held strongly: a gauge keeps its object weakly, and nothing else holds this supplier, so
        // after the first collection the gauge would read NaN.
        Gauge.builder("http.server.requests.active", activeRequests, s -> s.get().doubleValue())
                .strongReference(true).description("HTTP requests being served").register(registry);
        FunctionCounter.builder("log.dropped.lines", this, metrics -> dev.skiff.logging.internal.Logging.droppedLines())
                .description("log lines dropped because stdout did not drain").register(registry);
    }

    /** The suffixes Prometheus reserves and drops from a name: {@code orders.created} would be {@code orders_total}. */
    private static final java.util.List<String> RESERVED_SUFFIXES = java.util.List.of("created", "bucket", "info", "total");
    /** Names warned of already: a meter is looked up again at every use, so each is warned of once. */
    private final java.util.Set<String> warnedNames = ConcurrentHashMap.newKeySet();

    /**
     * Warns, once per name, of a meter whose name ends in a suffix Prometheus reserves: the
     * exporter drops it, so the series would not be named as written ({@code orders.created}, a
     * counter, is {@code orders_total}). A counter's {@code .total} is what Prometheus adds anyway.
     */
    private void warnOfAReservedSuffix(io.micrometer.core.instrument.Meter.Id id) {
        String name = id.getName();
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('_'));
        if (cut < 0) {
            return;
        }
        String suffix = name.substring(cut + 1);
        boolean counter = id.getType() == io.micrometer.core.instrument.Meter.Type.COUNTER;
        if (!RESERVED_SUFFIXES.contains(suffix) || (counter && suffix.equals("total")) || !warnedNames.add(name)) {
            return;
        }
        log.atWarn().setMessage("the meter {} ends in \"{}\", a suffix Prometheus reserves: /metrics shows it as {},"
                + " not as named; rename it (docs/http.md#metrics)")
                .addArgument(name).addArgument(name.substring(cut))
                .addArgument(name.substring(0, cut).replace('.', '_') + (counter ? "_total" : ""))
                .addKeyValue("meter.name", name).log();
    }

    /**
     * Binds the JVM's and the process's meters on a thread of their own, once: ~150 ms of class
     * loading and MXBean lookups on one core that need not delay the first requests, so the
     * launcher calls this once the service is ready, and the thread waits until the first request
     * was answered (at most {@value #JVM_METERS_WAIT_MS} ms): on one core it would otherwise share
     * it with that request. A scrape binds them at once.
     */
    public void bindJvmMeters() {
        if (jvmMetersStarted.compareAndSet(false, true)) {
            Thread.ofPlatform().name("skiff-metrics-init").daemon(true).start(() -> {
                try {
                    firstRequest.await(JVM_METERS_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                jvmMeters.run();
            });
        }
    }

    /** The longest the JVM's meters wait for a first request after the service is ready. */
    static final long JVM_METERS_WAIT_MS = 10_000;

    private void bindJvmMetersNow() {
        // Under the lock close takes: a registry closed before this ran gets no GC listener, which
        // the JVM would otherwise keep, with the registry, for good.
        jvmMetersLock.lock();
        try {
            if (!closed) {
                bindEachJvmMeter();
            }
        } catch (RuntimeException e) {
            log.atWarn().setMessage("cannot read the JVM's meters ({}): /metrics shows the others")
                    .addArgument(e.toString()).setCause(e).log();
        } finally {
            jvmMetersLock.unlock();
        }
    }

    private void bindEachJvmMeter() {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds").description("CPU time used by the process").register(registry);
        }
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** {@return the registry, for the application's own meters} */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one served request under its route template, never its raw path, in a histogram of
     * the configured buckets.
     *
     * @param status the status sent, or 0 when no response went out
     * @param outcome {@code INCOMPLETE} for a response cut short, {@code NO_RESPONSE} for none; null
     *     for a whole response, whose outcome its status says
     */
    public void record(String method, String route, int status, String outcome, long nanos) {
        timers.computeIfAbsent(new TimerKey(method, route, status, outcome), key -> latencyTimer("http.server.requests")
                .description("HTTP requests served, by method, route template, status and outcome")
                .tags("method", key.method(), "uri", key.route(),
                        "status", key.status() == 0 ? "NONE" : Integer.toString(key.status()),
                        "outcome", key.outcome() != null ? key.outcome() : outcome(key.status()))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (firstRequest.getCount() != 0) {
            firstRequest.countDown();
        }
    }

    /** {@return the latency histograms' buckets} */
    public java.util.List<Duration> latencyBuckets() {
        return java.util.List.of(latencyBuckets);
    }

    /**
     * {@return a timer builder whose histogram has the configured latency buckets, and no others}
     *
     * @param name the timer's name
     */
    public Timer.Builder latencyTimer(String name) {
        return Timer.builder(name).serviceLevelObjectives(latencyBuckets);
    }

    /** {@return the Prometheus text exposition of every meter} */
    public String scrape() {
        awaitJvmMeters();
        return registry.scrape();
    }

    /** {@return the registry once the JVM's and the process's meters are in it: binds them if not yet} */
    public MeterRegistry registryWithJvmMeters() {
        awaitJvmMeters();
        return registry;
    }

    private void awaitJvmMeters() {
        firstRequest.countDown();
        bindJvmMeters();
        try {
            jvmMeters.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Not bound in time: the caller sees the application's and the HTTP meters.
        }
    }

    /** The methods of RFC 9110 and PATCH; any other token a client sends is recorded as OTHER. */
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    /**
     * {@return the method as a metric tag or log field: a standard method as it is, anything else
     * as {@code OTHER}, since a client may send any token as a method}
     */
    public static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    /** {@return the outcome tag of an HTTP status: SUCCESS, CLIENT_ERROR, SERVER_ERROR, …} */
    public static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    @Override
    public void close() {
        firstRequest.countDown(); // a binding thread still waiting ends now, binding nothing
        jvmMetersLock.lock();
        try {
            closed = true;
            if (gc != null) {
                gc.close();
            }
            registry.close();
        } finally {
            jvmMetersLock.unlock();
        }
    }
}
