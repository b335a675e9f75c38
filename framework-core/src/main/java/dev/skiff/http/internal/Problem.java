package dev.skiff.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error answer: a status, a detail for the client (never internals or secrets), and the headers
 * that go with it, such as {@code Retry-After}. Sent as an RFC 9457 {@code application/problem+json}
 * body.
 *
 * @param status a 4xx or 5xx status
 * @param detail what went wrong and, where it helps, what to do
 * @param headers extra response headers
 * @param closesConnection whether the connection is closed after the answer, because what is left
 *     of the request cannot be trusted or read
 */
public record Problem(int status, String detail, Map<String, String> headers, boolean closesConnection) {

    /** Checks the status and copies the headers. */
    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem carries a 4xx or 5xx status, got " + status);
        }
        Objects.requireNonNull(detail, "detail");
        headers = Map.copyOf(headers);
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
        return new Problem(status, detail, headers, true);
    }

    /** {@return the JSON body for a request} */
    byte[] body(String requestId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", io.undertow.util.StatusCodes.getReason(status));
        body.put("status", status);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return Json.writeBytes(body);
    }
}
