package dev.skiff.internal;

import dev.skiff.http.Context;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Deque;
import java.util.Optional;

/** The handler's view of an Undertow exchange. */
final class ExchangeContext implements Context {

    private final HttpServerExchange exchange;
    private final String requestId;

    ExchangeContext(HttpServerExchange exchange, String requestId) {
        this.exchange = exchange;
        this.requestId = requestId;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String path() {
        return exchange.getRequestPath();
    }

    @Override
    public Optional<String> queryParam(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public Context status(int code) {
        exchange.setStatusCode(code);
        return this;
    }

    @Override
    public Context header(String name, String value) {
        exchange.getResponseHeaders().put(HttpString.tryFromString(name), value);
        return this;
    }

    @Override
    public void text(String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send(body);
    }

    @Override
    public void json(Object body) {
        String json = Json.write(body);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json);
    }

    @Override
    public HttpServerExchange exchange() {
        return exchange;
    }
}
