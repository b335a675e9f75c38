package dev.skiff.http;

import dev.skiff.lifecycle.HealthCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A backing service reached over HTTP, such as {@code payments}: the JDK's
 * {@link java.net.http.HttpClient} configured from the service's own keys, that carries the
 * request being served ({@code X-Request-Id}, {@code traceparent}) to the next hop, times every
 * call in {@code http.client.requests}, retries what is safe to retry, and never waits without end.
 *
 * {@snippet :
 * var payments = app.http("payments");      // PAYMENTS_URL=http://payments:8080
 * app.get("/orders/{id}/payment", ctx -> {
 *     var answer = payments.get("/payments/" + ctx.pathParam("id"));
 *     ctx.json(Map.of("settled", answer.statusCode() == 200));
 * });
 * }
 *
 * <p>Configuration, under the name given to {@code app.http(name)}: {@code <name>.url} (required),
 * {@code <name>.connect-timeout} (2s), {@code <name>.request-timeout} (10s, for the whole call,
 * retries included) and {@code <name>.retries} (2), each from its variable:
 * {@code PAYMENTS_URL}, {@code PAYMENTS_CONNECT_TIMEOUT}, {@code PAYMENTS_REQUEST_TIMEOUT},
 * {@code PAYMENTS_RETRIES}.
 *
 * <p>A call that cannot reach the service, or gets no answer in time, throws an
 * {@link IOException} that the server answers with 503 and {@code Retry-After} when a handler lets
 * it through: a backing service that is down is not this service's bug.
 */
public interface ServiceClient {

    /** {@return the name it was asked for by, as its metrics and logs show it} */
    String name();

    /** {@return the base URL, {@code <name>.url}} */
    URI url();

    /**
     * Starts a request to a path of the service, with the call's timeout set. Add the method,
     * headers and body, then {@link #send} it.
     *
     * @param path a path under the URL's own: with {@code PAYMENTS_URL=http://payments/api},
     *     {@code /v1/charges} is {@code http://payments/api/v1/charges}; a URL elsewhere is refused
     * @return a request builder
     */
    HttpRequest.Builder request(String path);

    /**
     * Sends a request, retrying it when that is safe: a request that never reached the service
     * (the connection was refused) always; one that may have, or got 502, 503 or 504, only when
     * its method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE) or it has an
     * {@code Idempotency-Key} header. Retries wait a little, with jitter, and stop at the
     * call's deadline and when retries pass a tenth of the calls (plus a burst of 10): a
     * service that is down is not hammered.
     *
     * @param request the request, from {@link #request}
     * @param body how to read the response's body
     * @param <T> the body's type
     * @return the response, whatever its status
     * @throws IOException when the service cannot be reached or does not answer within the deadline
     * @throws InterruptedException when the calling thread is interrupted (the request timed out)
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException;

    /**
     * GETs a path and reads the body as text.
     *
     * @param path the path, as for {@link #request}
     * @return the response, whatever its status
     * @throws IOException when the service cannot be reached or does not answer within the deadline
     * @throws InterruptedException when the calling thread is interrupted
     */
    default HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Writes a value as a JSON request body with the application's mapper (the one
     * {@code app.json(…)} configures, as {@code ctx.json} uses):
     * {@code client.request("/v1/charges").header("Content-Type", "application/json").POST(client.json(charge))}.
     *
     * @param body a record, map, list or other value the mapper can write
     * @return the body
     */
    HttpRequest.BodyPublisher json(Object body);

    /**
     * Reads a response's JSON body with the application's mapper; check its status first.
     *
     * {@snippet :
     * HttpResponse<byte[]> answer = payments.send(request, HttpResponse.BodyHandlers.ofByteArray());
     * if (answer.statusCode() == 201) {
     *     Receipt receipt = payments.read(answer, Receipt.class);
     * }
     * }
     *
     * @param response a response read as bytes
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws IOException naming the service, the call and what does not fit when the body is not that JSON
     */
    <T> T read(HttpResponse<byte[]> response, Class<T> type) throws IOException;

    /**
     * Reads a response's JSON body into a generic type, such as {@code new TypeToken<List<Rate>>() {}}.
     *
     * @param response a response read as bytes
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws IOException as {@link #read(HttpResponse, Class)} does
     */
    <T> T read(HttpResponse<byte[]> response, TypeToken<T> type) throws IOException;

    /**
     * Returns a health check that GETs {@code path} and passes on any 2xx, for
     * {@code app.readinessCheck("payments", payments.healthCheck("/health/ready"))}. Make this
     * service's readiness depend on another only when it can do nothing useful without it: when
     * that one fails, every instance of this one leaves the load balancer too.
     *
     * @param path the path of the service's health endpoint
     * @return the check; no retries, within the health check timeout
     */
    HealthCheck healthCheck(String path);
}
