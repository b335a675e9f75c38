package dev.skiff.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.skiff.http.Context;
import dev.skiff.http.HttpException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/** The handler's view of an Undertow exchange. */
final class ExchangeContext implements Context {

    private final HttpServerExchange exchange;
    private final String requestId;
    private final String route;
    private final Map<String, String> params;
    private final byte[] body;
    private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean timedOut;

    /** The body was read before the handler was called, without blocking a thread. */
    ExchangeContext(HttpServerExchange exchange, String requestId, String route, Map<String, String> params,
            byte[] body) {
        this.exchange = exchange;
        this.requestId = requestId;
        this.route = route;
        this.params = params;
        this.body = body;
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
    public String route() {
        return route;
    }

    @Override
    public String pathParam(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route " + route + " has no path parameter {" + name + "}");
        }
        return value;
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
    public String body() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] bodyBytes() {
        return body;
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            throw HttpException.badRequest("the request has no body; send " + type.getSimpleName() + " as JSON");
        }
        try {
            return Json.read(bytes, type);
        } catch (JsonProcessingException e) {
            throw HttpException.badRequest("the body is not a valid " + type.getSimpleName() + ": " + Json.describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (claim()) {
            Bodies.send(exchange, body);
        }
    }

    @Override
    public void json(Object body) {
        byte[] json = Json.writeBytes(body);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        if (claim()) {
            Bodies.send(exchange, json);
        }
    }

    @Override
    public void bytes(byte[] body, String contentType) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        if (claim()) {
            Bodies.send(exchange, body);
        }
    }

    @Override
    public OutputStream stream(String contentType) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        // Only a streamed response blocks its virtual thread on the socket.
        if (!claim()) {
            return OutputStream.nullOutputStream();
        }
        exchange.startBlocking();
        return exchange.getOutputStream();
    }

    /** {@return whether a response was sent or started: the request is answered} */
    boolean sent() {
        return sent.get() || exchange.isResponseStarted();
    }

    /** Records that the server answered on the handler's behalf, with a problem. */
    void answeredByServer() {
        sent.set(true);
    }

    /** {@return true when the request-timeout answer won the race against the handler's} */
    boolean answerTimeout() {
        if (sent.compareAndSet(false, true)) {
            timedOut = true;
            return true;
        }
        return false;
    }

    /** {@return whether the request timed out and the client was answered 503} */
    boolean timedOut() {
        return timedOut;
    }

    /** Claims the one response of this request; false when the timeout already answered. */
    private boolean claim() {
        if (sent.compareAndSet(false, true)) {
            return true;
        }
        if (timedOut) {
            return false; // the client already got 503; this late answer goes nowhere
        }
        throw new IllegalStateException("this request was answered already; send one response per request");
    }

    @Override
    public HttpServerExchange exchange() {
        return exchange;
    }
}
