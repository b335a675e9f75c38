package dev.skiff.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsTest {

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
}
