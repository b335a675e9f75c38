package dev.skiff.http.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error answer: a status, a detail for the client (never internals or secrets), and the headers
 * that go with it, such as {@code Retry-After}. Sent as an RFC 9457 {@code application/problem+json}
 * body: {@code type} (a URI naming the kind of problem; {@code about:blank} when the status says it
 * all), {@code title}, {@code status}, {@code detail}, the extension members, and the request id.
 *
 * @param status a 4xx or 5xx status
 * @param detail what went wrong and, where it helps, what to do
 * @param headers extra response headers
 * @param closesConnection whether the connection is closed after the answer, because what is left
 *     of the request cannot be trusted or read
 * @param type the problem type's URI, or null for {@code about:blank}
 * @param title the problem type's short summary, or null for the status's reason phrase
 * @param members extension members, in order
 */
public record Problem(int status, String detail, Map<String, String> headers, boolean closesConnection, URI type,
                      String title, Map<String, Object> members) {

    /** Checks the status and copies the headers and members. */
    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem carries a 4xx or 5xx status, got " + status);
        }
        Objects.requireNonNull(detail, "detail");
        headers = Map.copyOf(headers);
        members = members.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** A problem of type {@code about:blank}, with no extension member. */
    public Problem(int status, String detail, Map<String, String> headers, boolean closesConnection) {
        this(status, detail, headers, closesConnection, null, null, Map.of());
    }

    /**
     * A problem with no extra headers, on a connection that stays open.
     *
     * @param status a 4xx or 5xx status
     * @param detail what went wrong
     * @return the problem
     */
    public static Problem of(int status, String detail) {
        return new Problem(status, detail, Map.of(), false);
    }

    /**
     * A 503 that tells the client to retry in a second: a dependency is down or the server is full.
     *
     * @param detail what is unavailable
     * @return the problem
     */
    public static Problem retryLater(String detail) {
        return new Problem(503, detail, Map.of("Retry-After", "1"), false);
    }

    /** {@return this problem, with the connection closed after it is sent} */
    public Problem closing() {
        return new Problem(status, detail, headers, true, type, title, members);
    }

    /** {@return this problem with one more extension member} */
    Problem with(String member, Object value) {
        var more = new LinkedHashMap<>(members);
        more.put(member, value);
        return new Problem(status, detail, headers, closesConnection, type, title, more);
    }

    /** {@return the JSON body for a request} */
    byte[] body(String requestId) {
        return body(requestId, null);
    }

    /** {@return the JSON body for a request, its members written by the application's mapper when there is one} */
    byte[] body(String requestId, JsonCodec json) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", type == null ? "about:blank" : type.toString());
        body.put("title", title != null ? title : io.undertow.util.StatusCodes.getReason(status));
        body.put("status", status);
        body.put("detail", detail);
        // Members are written by the application's mapper: the values are its types.
        body.putAll(members);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return members.isEmpty() || json == null ? Json.writeBytes(body) : json.write(body);
    }
}
