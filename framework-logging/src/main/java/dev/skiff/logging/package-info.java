/**
 * Log context for application code: {@link dev.skiff.logging.LogContext} carries the request id
 * and trace ids into every log line and onto other threads.
 */
package dev.skiff.logging;
