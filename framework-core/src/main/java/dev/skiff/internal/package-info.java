/**
 * What the launcher reads and keeps: the framework's settings ({@code CoreSettings}), the metrics
 * registry ({@code Metrics}), the platform the service runs on ({@code Platform}), signal handling
 * ({@code Signals}), build metadata ({@code BuildInfo}) and the tracing interface ({@code Tracing})
 * that framework-tracing implements. Used by framework-core, and by framework-tracing for
 * {@code Tracing} alone.
 */
package dev.skiff.internal;
