package dev.skiff.http;

import io.undertow.server.HttpServerExchange;
import java.io.OutputStream;
import java.util.Optional;

/** One request and its response, as a handler sees them. */
public interface Context {

    /** {@return the request method, such as {@code GET}} */
    String method();

    /** {@return the request path, without the query string} */
    String path();

    /** {@return the template of the route that matched, such as {@code /notes/{id}}} */
    String route();

    /**
     * Returns a path parameter of the route.
     *
     * @param name the parameter's name in the template, such as {@code id} for {@code /notes/{id}}
     * @return its value in this request's path
     * @throws IllegalArgumentException when the route has no such parameter
     */
    String pathParam(String name);

    /**
     * Returns the first value of a query parameter.
     *
     * @param name the parameter's name
     * @return its value, or empty when absent
     */
    Optional<String> queryParam(String name);

    /**
     * Returns the first value of a request header.
     *
     * @param name the header's name, in any case
     * @return its value, or empty when absent
     */
    Optional<String> header(String name);

    /** {@return this request's id: the caller's {@code X-Request-Id} if sane, else a new one} */
    String requestId();

    /**
     * Reads the whole request body as UTF-8 text.
     *
     * @return the body, empty when there is none
     * @throws HttpException 413 when it is larger than {@code http.max-body-size}
     */
    String body();

    /**
     * Reads the whole request body as bytes.
     *
     * @return the body, empty when there is none
     * @throws HttpException 413 when it is larger than {@code http.max-body-size}
     */
    byte[] bodyBytes();

    /**
     * Reads the request body as JSON into a type, such as a record.
     *
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws HttpException 400 naming what is wrong when the body is not that JSON, 413 when too large
     */
    <T> T bodyAs(Class<T> type);

    /**
     * Sets the response status; 200 unless set. An after filter may still change it.
     *
     * @param code an HTTP status code
     * @return this context
     */
    Context status(int code);

    /**
     * Sets a response header. The response is sent when the handler and the after filters have
     * returned, so an after filter may still set one.
     *
     * @param name the header's name
     * @param value its value
     * @return this context
     * @throws IllegalArgumentException when the name is not a header name, the value holds a line
     *     break, or the header is {@code Content-Length} or {@code Transfer-Encoding}, which the
     *     server sets from the body it sends
     */
    Context header(String name, String value);

    /**
     * Sends a plain-text UTF-8 body and ends the response.
     *
     * @param body the text
     */
    void text(String body);

    /**
     * Sends a value as a JSON body and ends the response.
     *
     * @param body a record, map, list or other value Jackson can write
     */
    void json(Object body);

    /**
     * Sends bytes with a content type and ends the response. The array is not copied: it is sent
     * once the handler and the after filters have returned, so it must not change after this call.
     *
     * @param body the bytes
     * @param contentType such as {@code application/pdf}
     */
    void bytes(byte[] body, String contentType);

    /**
     * Streams the response: headers and status are sent with the first write, the body as it is
     * written; closing the stream ends the response.
     *
     * @param contentType such as {@code text/csv}
     * @return the stream to write the body to
     */
    OutputStream stream(String contentType);

    /**
     * Returns the engine's exchange: the one escape hatch to Undertow, for what this interface
     * does not cover. Code that uses it is tied to Undertow.
     *
     * @return Undertow's exchange for this request
     */
    HttpServerExchange exchange();
}
