/**
 * Benchmarks of the framework's internal HTTP parts: the access-log event
 * ({@code AccessLogBenchmark}) and a JSON answer's bytes ({@code JsonAnswerBenchmark}). In that
 * package for package access to {@code AccessLog} and {@code PlainJson}, as a test of them would
 * be. Not shipped: the benchmark module is never a dependency of a service.
 */
package dev.skiff.http.internal;
