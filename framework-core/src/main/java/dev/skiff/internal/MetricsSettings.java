package dev.skiff.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How latencies are counted, bound from the {@code metrics} configuration block.
 *
 * @param latencyBuckets the upper bounds of the latency histograms of HTTP requests served and
 *     made ({@code METRICS_LATENCY_BUCKETS}, such as {@code 50ms,100ms,250ms,1s}): each is one
 *     {@code le} series per method, route and status, so a few around the objectives are enough
 */
public record MetricsSettings(List<Duration> latencyBuckets) {

    /** The most buckets a histogram may have: each one is a series for every method, route and status. */
    public static final int MAX_BUCKETS = 30;

    /** The defaults: Prometheus's own client's buckets from 5 ms, and the request timeout's 30 s. */
    public static final MetricsSettings DEFAULTS = new MetricsSettings(List.of(Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)));

    /** Checks that there are 1 to 30 buckets, each above 0 and above the one before it. */
    public MetricsSettings {
        Objects.requireNonNull(latencyBuckets, "latencyBuckets");
        if (latencyBuckets.isEmpty() || latencyBuckets.size() > MAX_BUCKETS) {
            throw new IllegalArgumentException("latency-buckets must list 1 to " + MAX_BUCKETS
                    + " durations (each is a series per route), got " + latencyBuckets.size());
        }
        Duration previous = Duration.ZERO;
        for (Duration bucket : latencyBuckets) {
            if (bucket.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("latency-buckets must be above 0s and ascending, such as"
                        + " 50ms,100ms,1s; got " + bucket + " after " + previous);
            }
            previous = bucket;
        }
        latencyBuckets = List.copyOf(latencyBuckets);
    }
}
