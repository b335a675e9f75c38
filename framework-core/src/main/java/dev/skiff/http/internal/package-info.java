/**
 * The HTTP server on Undertow. {@code HttpServer} owns the listeners and the drain;
 * {@code Pipeline} is the path of an application request (limits, route, body, handler, answer);
 * {@code Reply} holds the one claim on a response and {@code Responses} commits it;
 * {@code ManagementEndpoints} answers the probes, {@code /metrics} and {@code /info};
 * {@code AccessLog}, {@code BodyReader}/{@code BodyBudget}, {@code RequestTimer} and {@code InFlight}
 * are one concern each. Failures are mapped to answers by {@code FailureMapping}s that the modules
 * owning them contribute. Used by framework-core only.
 */
package dev.skiff.http.internal;
