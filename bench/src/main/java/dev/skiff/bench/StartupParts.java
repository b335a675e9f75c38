package dev.skiff.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * What each library Skiff starts costs a fresh JVM, part after part in the order Skiff needs them:
 * milliseconds of wall time per part, one line each ("part ms"). Run by {@code bench/startup-parts.sh}
 * on one core, where wall time is CPU time; a part's figure includes the JDK classes it is the
 * first to need, so the order matters and is Skiff's own.
 */
public final class StartupParts {

    private static long last = System.nanoTime();

    private StartupParts() {}

    public static void main(String[] args) throws Exception {
        LoggerFactory.getLogger(StartupParts.class).info("logging set up");
        lap("logging (SLF4J, Logback, Skiff's encoder)");
        ConfigFactory.load().getString("java.version");
        lap("configuration (Typesafe Config)");
        ManagementFactory.getPlatformMBeanServer();
        lap("platform MBean server (XNIO needs it; raw Undertow pays it too)");
        var mapper = new ObjectMapper();
        lap("JSON: new ObjectMapper");
        mapper.registerModule(new JavaTimeModule()).registerModule(new Jdk8Module());
        lap("JSON: java.time and Optional modules");
        mapper.writeValueAsBytes(Map.of("message", "Hello, world!"));
        lap("JSON: first answer written");
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        lap("metrics: Prometheus registry");
        Timer.builder("http.server.requests").tags("uri", "/hello").register(registry)
                .record(5, TimeUnit.MILLISECONDS);
        lap("metrics: first request timer");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        lap("metrics: JVM meters (bound after ready)");
        registry.scrape();
        lap("metrics: first scrape");
    }

    private static void lap(String part) {
        long now = System.nanoTime();
        System.out.println(part + "\t" + (now - last) / 1_000_000);
        last = now;
    }
}
