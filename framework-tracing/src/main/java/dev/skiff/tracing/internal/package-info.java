/**
 * Traces over OTLP/HTTP with OpenTelemetry's SDK: the launcher finds {@code OtelTracingProvider}
 * with {@link java.util.ServiceLoader} when this module is on the class path, and it turns tracing
 * on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set. Nothing here is for applications to import.
 */
package dev.skiff.tracing.internal;
