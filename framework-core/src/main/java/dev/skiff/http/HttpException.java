package dev.skiff.http;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Ends a request with a status other than 500 and a problem body (RFC 9457) saying why, such as
 * {@code throw new HttpException(404, "no note 42")}. Not logged as an error: it is the answer.
 *
 * <p>The body is {@code application/problem+json}: {@code type} ({@code about:blank} unless
 * {@linkplain #type(URI) set}), {@code title} (the status's reason phrase unless set),
 * {@code status}, {@code detail}, the {@linkplain #with extension members}, and
 * {@code request_id}. An application's own exception may extend this class, or be mapped to one
 * with {@link dev.skiff.Routes#exception}.
 *
 * {@snippet :
 * throw new HttpException(409, "note 42 is locked by another editor")
 *         .type(URI.create("https://notes.example.com/problems/locked"))
 *         .title("Note locked")
 *         .with("note_id", 42);
 * }
 */
public class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance",
            "request_id");

    /** The status sent. */
    private final int status;
    /** The problem type's URI; null for {@code about:blank}. */
    private URI type;
    /** The problem type's summary; null for the status's reason phrase. */
    private String title;
    private final transient Map<String, Object> members = new LinkedHashMap<>();
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    /**
     * Creates the exception.
     *
     * @param status an HTTP status from 400 to 599
     * @param detail what went wrong, for the client; never secrets or internals
     */
    public HttpException(int status, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpException carries a 4xx or 5xx status, got " + status);
        }
        this.status = status;
    }

    /**
     * A 400 Bad Request.
     *
     * @param detail what is wrong with the request
     * @return the exception to throw
     */
    public static HttpException badRequest(String detail) {
        return new HttpException(400, detail);
    }

    /**
     * A 404 Not Found.
     *
     * @param detail what was not found
     * @return the exception to throw
     */
    public static HttpException notFound(String detail) {
        return new HttpException(404, detail);
    }

    /**
     * Names the kind of problem, for clients that act on it: a URI of the application's own,
     * ideally a page that explains it.
     *
     * @param type such as {@code https://api.example.com/problems/out-of-stock}
     * @return this exception
     */
    public HttpException type(URI type) {
        this.type = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * Sets the problem type's short summary, the same for every occurrence of the type.
     *
     * @param title such as {@code Out of stock}
     * @return this exception
     */
    public HttpException title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return this;
    }

    /**
     * Adds an extension member to the problem body, written as JSON by the application's mapper.
     *
     * @param name the member's name, other than the standard {@code type}, {@code title},
     *     {@code status}, {@code detail}, {@code instance} and {@code request_id}
     * @param value its value: a string, number, record, list or map
     * @return this exception
     * @throws IllegalArgumentException when the name is a standard member's
     */
    public HttpException with(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (STANDARD_MEMBERS.contains(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is a standard member of a problem; name an"
                    + " extension member otherwise");
        }
        members.put(name, value);
        return this;
    }

    /**
     * Adds a response header to the answer, such as {@code Retry-After} with a 503.
     *
     * @param name the header's name
     * @param value its value
     * @return this exception
     * @throws IllegalArgumentException when the name is not a header name, the value holds a line
     *     break, or the header is {@code Content-Length}, {@code Transfer-Encoding} or
     *     {@code Content-Type}, which the server sets for the problem body
     */
    public HttpException header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a header name");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the value of header " + name + " holds a line break or a NUL");
        }
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Content-Type")) {
            // The server frames and types the problem body it sends.
            throw new IllegalArgumentException(name + " is set by the server for the problem body; do not set it");
        }
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** {@return the status sent} */
    public int status() {
        return status;
    }

    /** {@return the problem type's URI; empty for {@code about:blank}} */
    public Optional<URI> type() {
        return Optional.ofNullable(type);
    }

    /** {@return the problem type's summary; empty for the status's reason phrase} */
    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /** {@return the extension members, in the order they were added} */
    public Map<String, Object> members() {
        return Collections.unmodifiableMap(members);
    }

    /** {@return the response headers added to the answer} */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }
}
