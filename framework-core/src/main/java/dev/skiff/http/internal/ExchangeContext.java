package dev.skiff.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.skiff.http.Context;
import dev.skiff.http.HttpException;
import dev.skiff.http.TypeToken;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
    private final JsonCodec json;
    private byte[] body;
    private Map<Class<?>, Object> attributes;

    ExchangeContext(HttpServerExchange exchange, Reply reply, BodyReader bodyReader, RequestTimer timer,
            String requestId, String route, Map<String, String> params, JsonCodec json) {
        this.json = json;
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
    public <T> T pathParam(String name, Class<T> type) {
        String what = name.equals(RouteTable.TAIL) ? "the path's rest" : "path parameter {" + name + "}";
        return ParamTypes.convert(what, pathParam(name), type);
    }

    @Override
    public Optional<String> queryParam(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public <T> Optional<T> queryParam(String name, Class<T> type) {
        return queryParam(name).map(value -> ParamTypes.convert("query parameter " + name, value, type));
    }

    @Override
    public List<String> queryParams(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public List<String> headers(String name) {
        HeaderValues values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public <T> Context attribute(Class<T> type, T value) {
        java.util.Objects.requireNonNull(type, "type");
        if (value == null) {
            if (attributes != null) {
                attributes.remove(type);
            }
            return this;
        }
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(type, type.cast(value));
        return this;
    }

    @Override
    public <T> Optional<T> attribute(Class<T> type) {
        return attributes == null ? Optional.empty() : Optional.ofNullable(type.cast(attributes.get(type)));
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
        return readJson(type);
    }

    @Override
    public <T> T bodyAs(TypeToken<T> type) {
        return readJson(type.type());
    }

    private <T> T readJson(Type type) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType != null && !isJson(contentType)) {
            // Refused before a byte is read: a form or text is not JSON that happens to parse.
            String sent = mediaType(contentType);
            throw new HttpException(415, (sent.isEmpty() ? "the body's Content-Type is empty" : "the body is " + sent)
                    + "; send it as application/json").header("Accept", "application/json");
        }
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            throw HttpException.badRequest("the request has no body; send a JSON body");
        }
        try {
            return json.read(bytes, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Json.Mismatch mismatch = Json.describe(e);
            HttpException refused = HttpException.badRequest(mismatch.detail());
            return throwWith(refused, mismatch.pointer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T throwWith(HttpException refused, String pointer) {
        throw refused.with("pointer", pointer);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.length() > 100 ? type.substring(0, 100) + "…" : type;
    }

    /** {@code application/json}, or a {@code +json} type such as {@code application/merge-patch+json}. */
    private static boolean isJson(String contentType) {
        String type = mediaType(contentType).toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
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
    public int status() {
        return reply.status();
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
        reply.answer("application/json", json.write(value));
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

    /** Sends a file on disk from {@code offset} to its end, without a copy through this thread. */
    void file(String contentType, java.nio.file.Path path, long offset, long length) {
        reply.answerFile(contentType, path, offset, length);
    }

    /** Streams a response of a known length. */
    OutputStream stream(String contentType, long length) {
        return reply.stream(contentType, length);
    }

    /** The engine's exchange, for the documented escape hatch alone. */
    HttpServerExchange exchange() {
        return exchange;
    }
}
