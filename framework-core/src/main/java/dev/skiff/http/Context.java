package dev.skiff.http;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * One request and its response, as a handler sees them. Belongs to the request's thread: answer
 * from that thread, not from work handed to another.
 *
 * <p>Path and query parameters read as a type ({@code ctx.pathParam("id", long.class)}) accept
 * {@code String}, {@code int}, {@code long}, {@code double}, {@code boolean}, {@code BigDecimal},
 * {@code UUID}, {@code LocalDate}, {@code Instant} and enums (by name, in any case); a value that
 * is not one is a 400 naming the parameter and what was expected.
 */
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
     * Returns a path parameter of the route as a type, such as {@code ctx.pathParam("id", long.class)}.
     * For a tail route ({@code /files/*}), {@code "*"} names the rest of the path.
     *
     * @param name the parameter's name in the template
     * @param type the type to read it as (see the list above)
     * @param <T> the type
     * @return its value in this request's path
     * @throws HttpException 400 naming the parameter when the value is not of that type
     * @throws IllegalArgumentException when the route has no such parameter, or the type is not supported
     */
    <T> T pathParam(String name, Class<T> type);

    /**
     * Returns the first value of a query parameter.
     *
     * @param name the parameter's name
     * @return its value, or empty when absent
     */
    Optional<String> queryParam(String name);

    /**
     * Returns the first value of a query parameter as a type, such as
     * {@code ctx.queryParam("limit", int.class).orElse(20)}.
     *
     * @param name the parameter's name
     * @param type the type to read it as (see the list above)
     * @param <T> the type
     * @return its value, or empty when absent
     * @throws HttpException 400 naming the parameter when the value is not of that type
     */
    <T> Optional<T> queryParam(String name, Class<T> type);

    /**
     * Returns every value of a query parameter, in the order sent: {@code ?tag=a&tag=b}.
     *
     * @param name the parameter's name
     * @return its values; empty when absent
     */
    List<String> queryParams(String name);

    /**
     * Returns the first value of a request header.
     *
     * @param name the header's name, in any case
     * @return its value, or empty when absent
     */
    Optional<String> header(String name);

    /**
     * Returns every value of a request header: each line sent for it, in order (a value with commas
     * is not split).
     *
     * @param name the header's name, in any case
     * @return its values; empty when absent
     */
    List<String> headers(String name);

    /** {@return this request's id: the caller's {@code X-Request-Id} if sane, else a new one} */
    String requestId();

    /**
     * Keeps a value for the rest of this request, keyed by its type: how a before filter hands what
     * it found — the authenticated caller — to the handler and the after filters.
     *
     * {@snippet :
     * routes.before(ctx -> ctx.attribute(Caller.class, callers.authenticate(ctx)));
     * routes.get("/orders", ctx -> ctx.json(orders.of(ctx.attribute(Caller.class).orElseThrow())));
     * }
     *
     * @param type the key: give each attribute a type of its own, such as a record
     * @param value the value; {@code null} removes it
     * @param <T> the type
     * @return this context
     */
    <T> Context attribute(Class<T> type, T value);

    /**
     * Returns a value kept for this request by {@link #attribute(Class, Object)}.
     *
     * @param type the key
     * @param <T> the type
     * @return the value, or empty when none was kept
     */
    <T> Optional<T> attribute(Class<T> type);

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
     * @throws HttpException 400 naming what is wrong, and where (a JSON pointer in the member
     *     {@code pointer}), when the body is not that JSON; 415 when its {@code Content-Type} is not
     *     JSON (none is taken as JSON); 413 when too large
     */
    <T> T bodyAs(Class<T> type);

    /**
     * Reads the request body as JSON into a generic type, such as
     * {@code ctx.bodyAs(new TypeToken<List<Order>>() {})}.
     *
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws HttpException as {@link #bodyAs(Class)} does
     */
    <T> T bodyAs(TypeToken<T> type);

    /**
     * Sets the response status; 200 unless set. An after filter may still change it.
     *
     * @param code an HTTP status code
     * @return this context
     */
    Context status(int code);

    /**
     * {@return the response status so far: 200 unless set, or the status of the error that
     * replaced the answer}, so that an after filter can read what the client will get
     */
    int status();

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
     * @param body a record, map, list or other value the application's JSON mapper can write
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
}
