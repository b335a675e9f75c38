/**
 * The drain: {@code TrafficWatch}, what the HTTP server sees of the parties that probe readiness
 * and send requests, and {@code TrafficAwareDrain}, the rule that decides from it when they have
 * noticed a shutdown — a lifecycle {@code Drain}. Knows nothing of the server it watches for.
 */
package dev.skiff.http.drain.internal;
