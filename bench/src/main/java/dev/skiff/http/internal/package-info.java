/**
 * The benchmark of the access-log event ({@code AccessLogBenchmark}): in the framework's internal
 * HTTP package, for package access to {@code AccessLog}, as a test of it would be. Not shipped:
 * the benchmark module is never a dependency of a service.
 */
package dev.skiff.http.internal;
