/**
 * Logging on stdout: {@code Logging} configures Logback from {@code LogSettings}; the JSON (ECS),
 * GCP and text encoders; {@code Redactor} masks every registered secret in every field. Used by
 * this module and by framework-core, which configures it at startup.
 */
package dev.skiff.logging.internal;
