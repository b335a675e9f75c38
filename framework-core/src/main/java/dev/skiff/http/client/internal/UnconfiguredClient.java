package dev.skiff.http.client.internal;

import dev.skiff.http.ServiceClient;
import dev.skiff.lifecycle.HealthCheck;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What {@code app.http(name)} returns when the service's settings are missing or bad, so that
 * setup can finish and the one configuration report name them; the process then does not start,
 * so no call is ever made with it.
 */
public record UnconfiguredClient(String name) implements ServiceClient {

    @Override
    public URI url() {
        throw unconfigured();
    }

    @Override
    public HttpRequest.Builder request(String path) {
        throw unconfigured();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        throw unconfigured();
    }

    @Override
    public HttpRequest.BodyPublisher json(Object body) {
        throw unconfigured();
    }

    @Override
    public <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        throw unconfigured();
    }

    @Override
    public <T> T read(HttpResponse<byte[]> response, dev.skiff.http.TypeToken<T> type) {
        throw unconfigured();
    }

    @Override
    public HealthCheck healthCheck(String path) {
        return () -> {
            throw unconfigured();
        };
    }

    private IllegalStateException unconfigured() {
        return new IllegalStateException(name + " is not configured: see the configuration report (set "
                + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL)");
    }
}
