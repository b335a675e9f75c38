package dev.skiff.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.skiff.http.Context;
import dev.skiff.http.HttpException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * The handler's view of a request: reads come from the exchange, which nobody changes while the
 * request is served; everything the handler answers goes to the {@link Reply}, which alone decides
 * what is sent. Used by the request's own thread only.
 */
final class ExchangeContext implements Context {

    private final HttpServerExchange exchange;
    private final Reply reply;
    private final BodyReader bodyReader;
    private final RequestTimer timer;
    private final String requestId;
    private final String route;
    private final Map<String, String> params;
    private byte[] body;

    ExchangeContext(HttpServerExchange exchange, Reply reply, BodyReader bodyReader, RequestTimer timer,
            String requestId, String route, Map<String, String> params) {
        this.exchange = exchange;
        this.reply = reply;
        this.bodyReader = bodyReader;
        this.timer = timer;
        this.requestId = requestId;
        this.route = route;
        this.params = params;
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
        if (body == null) {
            // On the I/O thread (a non-blocking route) there is no reader: such requests have no body.
            body = bodyReader == null ? new byte[0] : bodyReader.read(timer);
        }
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
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("an HTTP status is from 100 to 599, got " + code);
        }
        reply.status(code);
        return this;
    }

    @Override
    public Context header(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a header name: letters, digits and"
                    + " !#$%&'*+-.^_`|~ only");
        }
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            // The server frames the body it sends; a length of the handler's could disagree with it.
            throw new IllegalArgumentException(name + " is set by the server from the body sent; do not set it");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            // A line break in a value would let it write headers (or a body) of its own.
            throw new IllegalArgumentException("the value of header " + name + " holds a line break or a NUL");
        }
        reply.header(new HttpString(name), value);
        return this;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void text(String text) {
        reply.answer("text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void json(Object value) {
        reply.answer("application/json", Json.writeBytes(value));
    }

    @Override
    public void bytes(byte[] bytes, String contentType) {
        reply.answer(contentType, bytes);
    }

    @Override
    public OutputStream stream(String contentType) {
        // Only a streamed response blocks its virtual thread on the socket.
        return reply.stream(contentType);
    }

    @Override
    public HttpServerExchange exchange() {
        return exchange;
    }
}
