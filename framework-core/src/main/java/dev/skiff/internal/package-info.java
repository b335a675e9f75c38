/**
 * What the launcher reads and keeps: the framework's settings ({@code CoreSettings}), the metrics
 * registry ({@code Metrics}), the platform the service runs on ({@code Platform}), signal handling
 * ({@code Signals}) and build metadata ({@code BuildInfo}). Used by framework-core only.
 */
package dev.skiff.internal;
