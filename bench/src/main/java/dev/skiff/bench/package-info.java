/**
 * Benchmarks (JMH) and the servers the comparison scripts in {@code bench/} start: Skiff and raw
 * Undertow serving the same route. Reached through the public API only, as a service is.
 */
package dev.skiff.bench;
