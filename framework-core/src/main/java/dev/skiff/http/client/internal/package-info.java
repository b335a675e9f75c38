/**
 * The client side of HTTP: {@code OutboundClient}, the {@code ServiceClient} behind
 * {@code app.http(name)}, with its settings, retry budget and the failure that makes a call to an
 * unavailable service a 503 ({@code BackingServiceUnavailable}). Joins a process as a module does,
 * through {@code Registry}.
 */
package dev.skiff.http.client.internal;
