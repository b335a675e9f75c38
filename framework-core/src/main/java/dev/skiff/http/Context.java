package dev.skiff.http;

import io.undertow.server.HttpServerExchange;
import java.util.Optional;

/** One request and its response, as a handler sees them. */
public interface Context {

    /** {@return the request method, such as {@code GET}} */
    String method();

    /** {@return the request path, without the query string} */
    String path();

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
     * Sets the response status; 200 unless set.
     *
     * @param code an HTTP status code
     * @return this context
     */
    Context status(int code);

    /**
     * Sets a response header.
     *
     * @param name the header's name
     * @param value its value
     * @return this context
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
     * Returns the engine's exchange: the one escape hatch to Undertow, for what this interface
     * does not cover. Code that uses it is tied to Undertow.
     *
     * @return Undertow's exchange for this request
     */
    HttpServerExchange exchange();
}
