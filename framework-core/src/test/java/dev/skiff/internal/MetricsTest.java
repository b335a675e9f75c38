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
}
