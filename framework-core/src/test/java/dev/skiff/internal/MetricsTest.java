package dev.skiff.internal;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.config.Configuration;
import dev.skiff.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

    @Test
    void requestLatenciesAreAHistogramOfTheConfiguredBucketsAndNoOthers() {
        try (var metrics = new Metrics(() -> 0, new MetricsSettings(List.of(Duration.ofMillis(50), Duration.ofSeconds(1))))) {
            metrics.record("GET", "/notes/{id}", 200, null, Duration.ofMillis(10).toNanos());
            metrics.record("GET", "/notes/{id}", 200, null, Duration.ofMillis(700).toNanos());
            metrics.record("GET", "/notes/{id}", 200, null, Duration.ofSeconds(3).toNanos());

            String series = "http_server_requests_seconds_bucket{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                    + "uri=\"/notes/{id}\",le=";
            assertThat(metrics.scrape().lines().filter(line -> line.startsWith("http_server_requests_seconds_bucket")))
                    .containsExactly(series + "\"0.05\"} 1", series + "\"1.0\"} 2", series + "\"+Inf\"} 3");
        }
    }

    @Test
    void theDefaultBucketsReadFromReferenceConfAndABadListIsReportedWithItsVariable(@TempDir Path dir) {
        assertThat(Configuration.load(Map.of(), Map.of(), dir).bind("metrics", MetricsSettings.class))
                .isEqualTo(MetricsSettings.DEFAULTS);
        assertThat(Configuration.load(Map.of("METRICS_LATENCY_BUCKETS", "100ms,1s"), Map.of(), dir)
                .bind("metrics", MetricsSettings.class).latencyBuckets())
                .containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThatThrownBy(() -> Configuration.load(Map.of("METRICS_LATENCY_BUCKETS", "1s,100ms"), Map.of(), dir)
                .bind("metrics", MetricsSettings.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("METRICS_LATENCY_BUCKETS").hasMessageContaining("ascending");
        assertThatThrownBy(() -> Configuration.load(Map.of("METRICS_LATENCY_BUCKETS", "1s,".repeat(31) + "2s"), Map.of(),
                dir).bind("metrics", MetricsSettings.class))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("1 to 30");
    }

    @Test
    void theInFlightGaugeStillReadsAfterAGarbageCollection() {
        var active = new AtomicInteger(3);
        try (var metrics = new Metrics(active::get)) {
            System.gc();
            System.gc();

            assertThat(metrics.scrape()).contains("http_server_requests_active 3.0");
        }
    }

    @Test
    void theJvmMetersAreThereAtTheFirstScrapeEvenBeforeTheLauncherBindsThem() {
        try (var metrics = new Metrics(() -> 0)) {
            assertThat(metrics.registry().find("jvm.memory.used").meters()).as("not bound while starting").isEmpty();

            assertThat(metrics.scrape()).contains("jvm_memory_used_bytes", "jvm_gc_", "process_cpu_seconds_total",
                    "jvm_threads_live_threads", "process_uptime_seconds");
        }
    }

    @Test
    void theJvmMetersWaitForTheFirstRequestAnswered() throws Exception {
        try (var metrics = new Metrics(() -> 0)) {
            metrics.bindJvmMeters(); // as the launcher does when the service is ready
            Thread.sleep(500);
            assertThat(metrics.registry().find("jvm.memory.used").meters())
                    .as("not bound while the first request is still to come").isEmpty();

            metrics.record("GET", "/hello", 200, null, 1_000_000);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !metrics.registry().find("jvm.memory.used").meters().isEmpty());
        }
    }

    @Test
    void aRegistryClosedBeforeItsJvmMetersAreBoundIsNotKeptByTheJvm() throws Exception {
        var metrics = new Metrics(() -> 0);
        var collected = new java.lang.ref.WeakReference<>(metrics.registry());
        // The order of a service closed at once after Skiff.start, whose binding thread had not got
        // far: that thread must not add GC notification listeners to the closed registry.
        metrics.close();
        metrics.bindJvmMeters();
        metrics = null;

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (collected.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(collected.get()).as("the registry collected: no GC notification listener holds it").isNull();
    }

    @Test
    void aMeterNamedWithASuffixPrometheusReservesIsWarnedOfOnce() {
        var events = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        events.start();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Metrics.class);
        logger.addAppender(events);
        try (var metrics = new Metrics(() -> 0)) {
            for (int i = 0; i < 3; i++) {
                metrics.registry().counter("orders.created").increment();
            }
            metrics.registry().counter("payments.total").increment(); // what Prometheus adds to a counter anyway
            metrics.registry().gauge("build.info", 1);
            assertThat(metrics.scrape()).contains("orders_total 3.0").doesNotContain("orders_created");
            assertThat(events.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                    "the meter orders.created ends in \".created\", a suffix Prometheus reserves: /metrics shows it as"
                            + " orders_total, not as named; rename it (docs/http.md#metrics)",
                    "the meter build.info ends in \".info\", a suffix Prometheus reserves: /metrics shows it as"
                            + " build, not as named; rename it (docs/http.md#metrics)");
        } finally {
            logger.detachAppender(events);
        }
    }
}
